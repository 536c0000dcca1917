"""Extra storage purchases: storage counts from purchase until its `valid_until` date."""

from __future__ import annotations

from datetime import date

from .account import AccountState, ExtraStorage, Status, quota_on, storage_still_valid
from .renewal import RuleViolation
from .transition import Transition


def plan_storage_purchase(state: AccountState, as_of: date, megabytes: int, valid_until: date) -> Transition:
    """Add bought storage and recompute today's quota; raise RuleViolation for a closed account."""
    if state.status is not Status.ACTIVE:
        raise RuleViolation("account_closed", kep_address=state.kep_address)
    if valid_until <= as_of:
        raise RuleViolation("storage_already_expired", kep_address=state.kep_address, valid_until=valid_until)
    storage = storage_still_valid(as_of, state.extra_storage) + (ExtraStorage(megabytes, valid_until),)
    after = state.evolve(extra_storage=storage, quota_bytes=quota_on(as_of, storage))
    return Transition("storage_added", state, after)
