"""The request a job runs for and the report it returns."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from ..dal.accounts import ConcurrentChange
from ..domain.account import AccountState
from ..domain.transition import Transition

# A state change retried this many times on write conflicts before the account is reported as failed.
MAX_CONFLICT_RETRIES = 5


@dataclass(frozen=True)
class JobRequest:
    as_of: date
    dry_run: bool = False
    kep_addresses: tuple[str, ...] | None = None


@dataclass
class JobReport:
    job: str
    as_of: date
    dry_run: bool
    counts: Counter = field(default_factory=Counter)
    planned: list[dict] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "job": self.job,
            "as_of": self.as_of.isoformat(),
            "dry_run": self.dry_run,
            "counts": dict(sorted(self.counts.items())),
            "planned": self.planned,
            "failures": self.failures,
        }


def describe(transition: Transition) -> dict:
    """Summarise a planned transition for a dry-run report."""
    summary = {"kep_address": transition.before.kep_address, "outcome": str(transition.outcome)}
    if transition.fee is not None:
        summary["fee_kurus"] = transition.fee.amount_kurus
        summary["period_start"] = transition.fee.period_start.isoformat()
    summary["notices"] = [draft.notice_key for draft in transition.notices]
    return summary


def apply_until_settled(
    load: Callable[[str], AccountState | None],
    plan: Callable[[AccountState], Transition | None],
    write: Callable[[Transition], None],
    kep_address: str,
    report: JobReport,
    max_steps: int = 1,
) -> list[Transition]:
    """Read, plan and write one account, re-reading after a lost conditional write.

    `max_steps` > 1 lets a job apply consecutive transitions to the same account, for
    example renewals of several missed periods. In a dry run only the first step is planned.
    """
    applied: list[Transition] = []
    conflicts = 0
    while len(applied) < max_steps:
        state = load(kep_address)
        if state is None:
            report.counts["not_found"] += 1
            return applied
        transition = plan(state)
        if transition is None:
            return applied
        if report.dry_run:
            report.planned.append(describe(transition))
            report.counts[str(transition.outcome)] += 1
            return [transition]
        try:
            write(transition)
        except ConcurrentChange:
            conflicts += 1
            report.counts["write_conflicts"] += 1
            if conflicts > MAX_CONFLICT_RETRIES:
                report.failures.append({"kep_address": kep_address, "error": "too many concurrent changes"})
                return applied
            continue
        report.counts[str(transition.outcome)] += 1
        applied.append(transition)
    return applied
