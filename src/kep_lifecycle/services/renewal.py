"""The daily renewal job: collect due fees, start periods, and send the 30- and 7-day reminders."""

from __future__ import annotations

from datetime import date, timedelta

from aws_lambda_powertools import Logger

from ..domain.renewal import plan_reminders, plan_renewal
from .jobs import JobReport, JobRequest, apply_until_settled
from .quota_scan import check_account
from .runtime import Runtime, utc_timestamp

logger = Logger(child=True)

JOB = "renewal"
# Periods of one account renewed in one run at most, when runs were missed for years.
MAX_PERIODS_PER_RUN = 10
# Days a reminder catch-up looks back when earlier runs are missing.
MAX_REMINDER_LOOKBACK_DAYS = 30


def run_renewal(runtime: Runtime, request: JobRequest) -> JobReport:
    report = JobReport(JOB, request.as_of, request.dry_run)

    if request.kep_addresses is not None:
        due = list(request.kep_addresses)
    else:
        due = list(runtime.accounts.due_addresses(request.as_of))
    logger.info("renewal candidates", extra={"as_of": request.as_of.isoformat(), "count": len(due)})

    for kep_address in due:
        applied = apply_until_settled(
            runtime.accounts.get,
            lambda state: plan_renewal(state, request.as_of, runtime.tariffs),
            runtime.write,
            kep_address,
            report,
            max_steps=MAX_PERIODS_PER_RUN,
        )
        # The quota falls back on the renewal date, so a restriction it causes starts that day too.
        if applied and not request.dry_run:
            check_account(runtime, kep_address, request.as_of, report)

    for kep_address in _reminder_candidates(runtime, request):
        _send_reminders(runtime, request, kep_address, report)

    if not request.dry_run and request.kep_addresses is None:
        runtime.runs.record(JOB, request.as_of, dict(report.counts), utc_timestamp())
    logger.info("renewal finished", extra={"as_of": request.as_of.isoformat(), "counts": dict(report.counts)})
    return report


def reminder_windows(as_of: date, last_run: date | None) -> list[tuple[date, date]]:
    """Return the renewal-date ranges whose 7- and 30-day reminders became due since the last run.

    Normally one day each: renewal dates exactly 7 and 30 days ahead. After missed runs the
    ranges widen so the reminders that fell on missed days are still sent.
    """
    first_day = as_of if last_run is None else last_run + timedelta(days=1)
    first_day = max(first_day, as_of - timedelta(days=MAX_REMINDER_LOOKBACK_DAYS))
    windows = []
    for stage, stage_floor in ((7, 1), (30, 8)):
        start = max(first_day + timedelta(days=stage), as_of + timedelta(days=stage_floor))
        end = as_of + timedelta(days=stage)
        if start <= end:
            windows.append((start, end))
    return windows


def _reminder_candidates(runtime: Runtime, request: JobRequest) -> list[str]:
    if request.kep_addresses is not None:
        return list(request.kep_addresses)
    last_run = runtime.runs.last_run_before(JOB, request.as_of)
    candidates: list[str] = []
    for start, end in reminder_windows(request.as_of, last_run):
        candidates.extend(runtime.accounts.due_addresses(end, since=start))
    return candidates


def _send_reminders(runtime: Runtime, request: JobRequest, kep_address: str, report: JobReport) -> None:
    state = runtime.accounts.get(kep_address)
    if state is None:
        return
    for draft in plan_reminders(state, request.as_of, runtime.tariffs):
        if request.dry_run:
            if not runtime.notices.exists(kep_address, draft.notice_key):
                report.planned.append({"kep_address": kep_address, "outcome": "notice", "notices": [draft.notice_key]})
                report.counts[f"{draft.kind.value}_planned"] += 1
            continue
        if runtime.notices.record(kep_address, draft, utc_timestamp()):
            report.counts[draft.kind.value] += 1
