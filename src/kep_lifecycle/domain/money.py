"""Money as integer kuruş (1 TL = 100 kuruş), shown the Turkish way."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal

KURUS_PER_LIRA = 100


def format_try(kurus: int) -> str:
    """Format an amount of kuruş as Turkish lira text, e.g. 123456 -> '1.234,56 TL'."""
    if isinstance(kurus, bool) or not isinstance(kurus, int):
        raise TypeError(f"amount must be integer kuruş, got {kurus!r}")
    lira = Decimal(kurus) / KURUS_PER_LIRA
    return f"{format_decimal(lira, format='#,##0.00', locale='tr_TR')} TL"


def lira_to_kurus(text: str) -> int:
    """Parse a lira amount written with a dot as decimal separator ('70.00') into kuruş."""
    value = Decimal(text)
    kurus = value * KURUS_PER_LIRA
    if kurus != kurus.to_integral_value():
        raise ValueError(f"amount {text!r} has more than two decimal places")
    return int(kurus)
