"""Business dates: Europe/Istanbul calendar days, anniversaries and Turkish display."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

ISTANBUL = ZoneInfo("Europe/Istanbul")


def business_date_at(moment: datetime) -> date:
    """Return the Europe/Istanbul calendar date of an aware timestamp."""
    if moment.tzinfo is None:
        raise ValueError("timestamp must carry a time zone")
    return moment.astimezone(ISTANBUL).date()


def today_in_istanbul() -> date:
    """Return today's business date; only handlers call this, never the domain rules."""
    return business_date_at(datetime.now(timezone.utc))


def anniversary(anchor_month: int, anchor_day: int, year: int) -> date:
    """Return the anniversary of (month, day) in a year, clamped to the month's last day.

    An anniversary on 29 February falls on 28 February in common years.
    """
    last_day = calendar.monthrange(year, anchor_month)[1]
    return date(year, anchor_month, min(anchor_day, last_day))


def next_anniversary(current: date, anchor: str) -> date:
    """Return the renewal date one year after `current`, keeping the 'MM-DD' anchor."""
    month, day = parse_anchor(anchor)
    return anniversary(month, day, current.year + 1)


def parse_anchor(anchor: str) -> tuple[int, int]:
    month_text, day_text = anchor.split("-")
    month, day = int(month_text), int(day_text)
    # Year 2000 is a leap year, so this accepts 02-29 and rejects 02-30.
    date(2000, month, day)
    return month, day


def anchor_of(day: date) -> str:
    return f"{day.month:02d}-{day.day:02d}"


def format_tr(day: date) -> str:
    """Format a date as Turkish readers expect: 01.10.2024."""
    return day.strftime("%d.%m.%Y")


def days_between(start: date, end: date) -> int:
    return (end - start).days


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)
