"""The result of applying a rule: the new account state and what must be written with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .account import AccountState
from .notices import NoticeDraft


class PaymentSource(StrEnum):
    RENEWAL = "renewal"
    EARLY_RENEWAL = "early_renewal"
    GRACE_COLLECTION = "grace_collection"
    REOPENING = "reopening"


@dataclass(frozen=True)
class FeeCollection:
    """One annual fee taken from the balance; at most one exists per (account, period_start)."""

    period_start: date
    amount_kurus: int
    collected_on: date
    source: PaymentSource


@dataclass(frozen=True)
class Transition:
    """A state change that is written atomically with its fee collection and notices."""

    outcome: str
    before: AccountState
    after: AccountState
    fee: FeeCollection | None = None
    notices: tuple[NoticeDraft, ...] = ()
