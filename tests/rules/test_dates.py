import datetime

from rules.dates import PARIS, french_date, french_datetime, local_time, month_bounds, month_name, month_of, \
    previous_month


def test_french_date_ignores_the_machine_locale():
    assert french_date(datetime.date(2026, 3, 3)) == "3 mars 2026"
    assert french_date(datetime.date(2026, 8, 1)) == "1er août 2026"
    assert french_date(datetime.date(2026, 12, 1), weekday=True) == "mardi 1er décembre 2026"


def test_instants_are_read_in_the_region_time():
    winter = datetime.datetime(2026, 12, 1, 8, 5, tzinfo=datetime.timezone.utc).timestamp()
    summer = datetime.datetime(2026, 7, 1, 8, 5, tzinfo=datetime.timezone.utc).timestamp()
    assert french_datetime(winter) == "mardi 1er décembre 2026 à 9 h 05"
    assert french_datetime(summer) == "mercredi 1er juillet 2026 à 10 h 05"
    assert local_time(winter).utcoffset() == datetime.timedelta(hours=1)


def test_month_bounds_follow_the_region_clock():
    start, end = month_bounds("2026-11")
    assert datetime.datetime.fromtimestamp(start, PARIS).isoformat().startswith("2026-11-01T00:00")
    assert datetime.datetime.fromtimestamp(end, PARIS).isoformat().startswith("2026-12-01T00:00")
    assert month_of(start) == "2026-11" and month_of(end - 1) == "2026-11" and month_of(end) == "2026-12"
    assert month_bounds("2026-12")[1] == datetime.datetime(2027, 1, 1, tzinfo=PARIS).timestamp()
    assert previous_month(datetime.date(2026, 1, 1)) == "2025-12"
    assert month_name("2026-08") == "août 2026"


def test_months_before_keeps_the_day_or_takes_the_months_last():
    from rules.dates import months_before
    assert months_before(datetime.date(2027, 4, 1), 6) == datetime.date(2026, 10, 1)
    assert months_before(datetime.date(2026, 12, 6), 6) == datetime.date(2026, 6, 6)
    assert months_before(datetime.date(2026, 8, 31), 6) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2028, 8, 31), 6) == datetime.date(2028, 2, 29)
    assert months_before(datetime.date(2026, 3, 15), 3) == datetime.date(2025, 12, 15)


def test_the_year_to_date_runs_from_january_to_the_month():
    from rules.dates import year_to
    assert year_to("2026-03") == ["2026-01", "2026-02", "2026-03"]
    assert year_to("2026-01") == ["2026-01"]
    assert len(year_to("2025-12")) == 12 and year_to("2025-12")[-1] == "2025-12"
