from datetime import date, datetime, timezone

import pytest

from kep_lifecycle.domain.dates import business_date_at, format_tr, next_anniversary
from kep_lifecycle.domain.money import format_try


def test_leap_day_anniversary_over_several_years():
    renewals = [date(2024, 2, 29)]
    for _ in range(5):
        renewals.append(next_anniversary(renewals[-1], "02-29"))
    assert renewals == [
        date(2024, 2, 29),
        date(2025, 2, 28),
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2028, 2, 29),
        date(2029, 2, 28),
    ]


def test_anniversary_of_ordinary_day_is_same_day():
    assert next_anniversary(date(2025, 3, 1), "03-01") == date(2026, 3, 1)


def test_business_date_is_istanbul_calendar_day():
    assert business_date_at(datetime(2025, 2, 28, 21, 30, tzinfo=timezone.utc)) == date(2025, 3, 1)
    assert business_date_at(datetime(2025, 2, 28, 20, 59, tzinfo=timezone.utc)) == date(2025, 2, 28)


def test_business_date_rejects_naive_timestamp():
    with pytest.raises(ValueError):
        business_date_at(datetime(2025, 3, 1, 0, 0))


@pytest.mark.parametrize("kurus, shown", [
    (0, "0,00 TL"),
    (5, "0,05 TL"),
    (7000, "70,00 TL"),
    (123456, "1.234,56 TL"),
    (100_000_000, "1.000.000,00 TL"),
    (-1, "-0,01 TL"),
])
def test_money_shown_turkish_way(kurus, shown):
    assert format_try(kurus) == shown


def test_money_rejects_float():
    with pytest.raises(TypeError):
        format_try(70.0)


def test_date_shown_turkish_way():
    assert format_tr(date(2024, 10, 1)) == "01.10.2024"
