"""Changes that reach an account from outside the daily jobs: top-ups, usage, storage, early renewal.

On AWS the customer portal and the mail platform make these writes; the local run and
operators apply them through the same functions.
"""

from __future__ import annotations

from datetime import date

from ..dal.accounts import ConcurrentChange
from ..domain.renewal import RuleViolation, plan_early_renewal
from ..domain.storage import plan_storage_purchase
from ..domain.transition import Transition
from .jobs import MAX_CONFLICT_RETRIES
from .runtime import Runtime


class AccountNotFound(Exception):
    def __init__(self, kep_address: str) -> None:
        super().__init__(kep_address)
        self.kep_address = kep_address


def apply_rule(runtime: Runtime, kep_address: str, plan) -> Transition:
    """Apply one planned transition to an account, re-reading on a concurrent change."""
    for _ in range(MAX_CONFLICT_RETRIES + 1):
        state = runtime.accounts.get(kep_address)
        if state is None:
            raise AccountNotFound(kep_address)
        transition = plan(state)
        try:
            runtime.write(transition)
        except ConcurrentChange:
            continue
        return transition
    raise ConcurrentChange(kep_address)


def top_up(runtime: Runtime, kep_address: str, amount_kurus: int) -> None:
    if amount_kurus <= 0:
        raise RuleViolation("amount_not_positive", kep_address=kep_address, amount_kurus=amount_kurus)
    if runtime.accounts.get(kep_address) is None:
        raise AccountNotFound(kep_address)
    runtime.accounts.add_balance(kep_address, amount_kurus)


def change_usage(runtime: Runtime, kep_address: str, used_bytes: int) -> None:
    if used_bytes < 0:
        raise RuleViolation("usage_negative", kep_address=kep_address, used_bytes=used_bytes)
    if runtime.accounts.get(kep_address) is None:
        raise AccountNotFound(kep_address)
    runtime.accounts.set_usage(kep_address, used_bytes)


def purchase_storage(runtime: Runtime, kep_address: str, as_of: date, megabytes: int, valid_until: date) -> Transition:
    return apply_rule(runtime, kep_address,
                      lambda state: plan_storage_purchase(state, as_of, megabytes, valid_until))


def renew_early(runtime: Runtime, kep_address: str, as_of: date) -> Transition:
    return apply_rule(runtime, kep_address, lambda state: plan_early_renewal(state, as_of, runtime.tariffs))
