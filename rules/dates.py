"""French dates and the region's clock, whatever the machine's locale or time zone.

Everything shown to people (pages, e-mails, reports, the kit) and every calendar bound (a month, a reference's
day) is read in Europe/Paris; stored instants are epoch seconds (UTC).
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")   # the tzdata package ships the database where the system has none (Lambda)

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
# Abbreviations of the Imprimerie nationale, for columns too narrow for « septembre ».
MONTH_ABBREVIATIONS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
                       "nov.", "déc.")
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def local_time(epoch: float) -> datetime.datetime:
    """An instant (epoch seconds) as the region's wall-clock time."""
    return datetime.datetime.fromtimestamp(epoch, PARIS)


def french_date(day: datetime.date, weekday: bool = False) -> str:
    """``3 mars 2026``, ``1er août 2026``; with ``weekday``: ``mardi 3 mars 2026``."""
    number = "1er" if day.day == 1 else str(day.day)
    text = f"{number} {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def french_time(moment: datetime.datetime) -> str:
    """``9 h 05``: the hour as French writes it."""
    return f"{moment.hour} h {moment.minute:02d}"


def french_datetime(epoch: float) -> str:
    """``mardi 3 mars 2026 à 9 h 05``, in the region's time."""
    moment = local_time(epoch)
    return f"{french_date(moment.date(), weekday=True)} à {french_time(moment)}"


def sortable_datetime(epoch: float) -> str:
    """``2026-03-03 09:05``: ISO 8601 in the region's time, for tables a spreadsheet reads as dates and sorts."""
    return f"{local_time(epoch):%Y-%m-%d %H:%M}"


def month_name(month: str) -> str:
    """``2026-11`` → ``novembre 2026``."""
    year, number = (int(x) for x in month.split("-"))
    return f"{MONTHS[number - 1]} {year}"


def month_label(month: str) -> str:
    """``2026-11`` → ``nov. 2026``, for the columns of a trend."""
    year, number = (int(x) for x in month.split("-"))
    return f"{MONTH_ABBREVIATIONS[number - 1]} {year}"


def month_bounds(month: str, tz: datetime.tzinfo = PARIS) -> tuple[int, int]:
    """Epoch seconds of the first instant of the month (``2026-11``) and of the next one, in the region's time."""
    year, number = (int(x) for x in month.split("-"))
    start = datetime.datetime(year, number, 1, tzinfo=tz)
    end = datetime.datetime(year + number // 12, number % 12 + 1, 1, tzinfo=tz)
    return int(start.timestamp()), int(end.timestamp())


def month_of(epoch: float) -> str:
    """The month (``2026-11``) an instant falls in, in the region's time."""
    return f"{local_time(epoch):%Y-%m}"


def year_to(month: str) -> list[str]:
    """January to ``month`` of its year (``2026-03`` → 2026-01, 2026-02, 2026-03): the year to date of the reports
    and of the Annexe 3 table."""
    year, last = month.split("-")
    return [f"{year}-{n:02d}" for n in range(1, int(last) + 1)]


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` calendar months earlier, or the month's last day when it has none:
    31 August − 6 months → 28 (or 29) February."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    first_of_next = datetime.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return min(day.replace(year=year, month=month + 1, day=1) + datetime.timedelta(days=day.day - 1),
               first_of_next - datetime.timedelta(days=1))


def previous_month(today: datetime.date) -> str:
    last = today.replace(day=1) - datetime.timedelta(days=1)
    return f"{last.year}-{last.month:02d}"


def week_of(epoch: float) -> str:
    """The ISO week (``2026-S45``, « S » for « semaine ») an instant falls in, in the region's time."""
    year, week, _ = local_time(epoch).isocalendar()
    return f"{year}-S{week:02d}"


def week_monday(week: str) -> datetime.date:
    """``2026-S45`` → its Monday (2 November 2026); ValueError for a week the year does not have."""
    year, number = week.split("-S")
    return datetime.date.fromisocalendar(int(year), int(number), 1)


def week_bounds(week: str, tz: datetime.tzinfo = PARIS) -> tuple[int, int]:
    """Epoch seconds of Monday 0:00 of the ISO week and of the next Monday, in the region's time (a week with
    a change of clock is 167 or 169 hours long)."""
    monday = week_monday(week)
    start = datetime.datetime.combine(monday, datetime.time(0), tz)
    end = datetime.datetime.combine(monday + datetime.timedelta(days=7), datetime.time(0), tz)
    return int(start.timestamp()), int(end.timestamp())


def week_name(week: str) -> str:
    """``2026-S45`` → ``semaine du 2 au 8 novembre 2026`` (« du 30 novembre au 6 décembre 2026 »)."""
    monday = week_monday(week)
    sunday = monday + datetime.timedelta(days=6)
    first = "1er" if monday.day == 1 else str(monday.day)
    if monday.year != sunday.year:
        return f"semaine du {french_date(monday)} au {french_date(sunday)}"
    if monday.month != sunday.month:
        return f"semaine du {first} {MONTHS[monday.month - 1]} au {french_date(sunday)}"
    return f"semaine du {first} au {french_date(sunday)}"
