"""The charter's clock: working days exclude weekends and French public holidays."""

import datetime

import pytest

from rules.dates import PARIS
from rules.working_days import (add_working_days, count_start, in_office_hours, is_working_day, next_office_time,
                                office_seconds_between, public_holiday, working_days_between)


def at(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


def test_a_friday_evening_request_counts_from_friday_and_skips_the_weekend():
    friday = at(2026, 11, 27, 17, 0)
    assert add_working_days(friday, 1) == at(2026, 11, 30, 17, 0)     # Monday
    assert add_working_days(friday, 2) == at(2026, 12, 1, 17, 0)      # Tuesday evening


def test_a_weekend_request_starts_counting_on_monday_morning():
    saturday = at(2026, 11, 28, 11, 30)
    assert count_start(saturday) == at(2026, 11, 30, 9, 0)
    assert add_working_days(saturday, 1) == at(2026, 12, 1, 9, 0)


@pytest.mark.parametrize("day, name", [
    (datetime.date(2026, 12, 25), "Noël"), (datetime.date(2027, 1, 1), "Jour de l'an"),
    (datetime.date(2026, 5, 25), "Lundi de Pentecôte"), (datetime.date(2027, 3, 29), "Lundi de Pâques"),
    (datetime.date(2026, 11, 11), "Armistice"),
])
def test_public_holidays_come_from_the_holidays_library(day, name):
    assert public_holiday(day) == name and not is_working_day(day)


def test_a_public_holiday_is_skipped():
    thursday = at(2026, 12, 24, 10, 0)           # Christmas on Friday, then the weekend
    assert add_working_days(thursday, 1) == at(2026, 12, 28, 10, 0)
    assert add_working_days(thursday, 2) == at(2026, 12, 29, 10, 0)
    assert working_days_between(thursday, at(2026, 12, 28, 10, 0)) == pytest.approx(1.0)


def test_nothing_is_sent_at_night_or_on_a_day_off():
    assert in_office_hours(at(2026, 12, 1, 10, 0))
    assert not in_office_hours(at(2026, 12, 1, 22, 0))
    assert next_office_time(at(2026, 12, 1, 22, 0)) == at(2026, 12, 2, 9, 0)
    assert next_office_time(at(2026, 12, 2, 6, 0)) == at(2026, 12, 2, 9, 0)
    assert next_office_time(at(2026, 12, 24, 19, 0)) == at(2026, 12, 28, 9, 0)
    assert next_office_time(at(2026, 12, 2, 11, 0)) == at(2026, 12, 2, 11, 0)


def test_office_time_counts_office_hours_of_working_days_only():
    friday = at(2026, 11, 20, 16, 30)
    assert office_seconds_between(friday, at(2026, 11, 20, 23)) == 1.5 * 3600          # closes at 18:00
    assert office_seconds_between(friday, at(2026, 11, 22, 23)) == 1.5 * 3600          # the weekend: nothing
    assert office_seconds_between(friday, at(2026, 11, 23, 10)) == 2.5 * 3600          # Monday from 9:00
    assert office_seconds_between(at(2026, 5, 13, 17), at(2026, 5, 15, 10)) == 2 * 3600   # Ascension: nothing
    assert office_seconds_between(at(2026, 11, 24, 7), at(2026, 11, 24, 8)) == 0        # before the opening
    assert office_seconds_between(at(2026, 11, 24, 12), at(2026, 11, 24, 11)) == 0      # backwards: nothing
