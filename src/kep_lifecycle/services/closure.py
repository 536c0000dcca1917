"""The daily closure job: retry the unpaid fee, remind on days 7 and 12, close after the grace deadline."""

from __future__ import annotations

from aws_lambda_powertools import Logger

from ..domain.closure import plan_grace_collection, plan_grace_reminder
from .jobs import JobReport, JobRequest, apply_until_settled
from .runtime import Runtime, utc_timestamp

logger = Logger(child=True)

JOB = "closure"


def settle_grace(runtime: Runtime, kep_address: str, request: JobRequest, report: JobReport) -> None:
    """Retry the charge (or close) for one account in grace, then record a grace reminder if one is due.

    The collection and the closure are conditional on the account version that was read.
    A top-up that lands while this runs therefore makes the write fail, and the decision is
    taken again on the new balance. The account ends paid or closed, never both.
    """
    applied = apply_until_settled(
        runtime.accounts.get,
        lambda state: plan_grace_collection(state, request.as_of, runtime.tariffs),
        runtime.write,
        kep_address,
        report,
    )
    if applied:
        return

    state = runtime.accounts.get(kep_address)
    draft = plan_grace_reminder(state, request.as_of, runtime.tariffs) if state else None
    if draft is None:
        return
    if request.dry_run:
        if not runtime.notices.exists(kep_address, draft.notice_key):
            report.planned.append({"kep_address": kep_address, "outcome": "notice", "notices": [draft.notice_key]})
            report.counts["grace_reminder_planned"] += 1
        return
    if runtime.notices.record(kep_address, draft, utc_timestamp()):
        report.counts["grace_reminder"] += 1


def run_closure(runtime: Runtime, request: JobRequest) -> JobReport:
    report = JobReport(JOB, request.as_of, request.dry_run)
    if request.kep_addresses is not None:
        addresses = list(request.kep_addresses)
    else:
        addresses = list(runtime.accounts.grace_addresses())
    logger.info("accounts in grace", extra={"as_of": request.as_of.isoformat(), "count": len(addresses)})

    for kep_address in addresses:
        settle_grace(runtime, kep_address, request, report)

    if not request.dry_run and request.kep_addresses is None:
        runtime.runs.record(JOB, request.as_of, dict(report.counts), utc_timestamp())
    logger.info("closure finished", extra={"as_of": request.as_of.isoformat(), "counts": dict(report.counts)})
    return report
