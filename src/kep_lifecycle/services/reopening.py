"""Reopening a closed account at the holder's request, for operators and the local run."""

from __future__ import annotations

from datetime import date

from ..domain.closure import ReopenChannel, plan_reopening
from ..domain.transition import Transition
from .account_events import AccountNotFound, apply_rule
from .runtime import Runtime


def reopen(runtime: Runtime, kep_address: str, as_of: date, channel: str, dry_run: bool = False) -> Transition:
    """Reopen the account, collecting the new period's fee in the same write.

    Raises RuleViolation or AccountNotFound and changes nothing when the request is rejected.
    A dry run returns the transition it would write.
    """
    reopen_channel = ReopenChannel(channel)
    if dry_run:
        state = runtime.accounts.get(kep_address)
        if state is None:
            raise AccountNotFound(kep_address)
        return plan_reopening(state, as_of, reopen_channel, runtime.tariffs)
    return apply_rule(runtime, kep_address, lambda state: plan_reopening(state, as_of, reopen_channel, runtime.tariffs))
