"""The daily quota scan, fanned out over parallel scan segments, and the prompt re-check of one account.

The coordinator sends one task per segment to the scan queue. A worker pages through its
segment and, when its remaining time falls below the reserve, sends the rest of the
segment back to the queue as a new task instead of being cut off by the Lambda limit.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date

import boto3
from aws_lambda_powertools import Logger

from ..dal.accounts import SegmentScanner
from ..domain.quota import plan_quota
from .jobs import JobReport, JobRequest, apply_until_settled, describe
from .runtime import Runtime

logger = Logger(child=True)

JOB = "quota_scan"


@dataclass(frozen=True)
class SegmentTask:
    as_of: str
    segment: int
    total_segments: int
    start_key: dict | None = None
    # How many times this segment was handed on; shows up in logs when a segment is slow.
    handovers: int = 0

    def to_message(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_message(cls, body: str) -> SegmentTask:
        data = json.loads(body)
        return cls(**data)


def plan_for(runtime: Runtime, as_of: date):
    return lambda state: plan_quota(state, as_of, runtime.enforcement, runtime.tariffs)


def check_account(runtime: Runtime, kep_address: str, as_of: date, report: JobReport) -> None:
    """Re-evaluate one account's quota restriction with a consistent read, and write any change."""
    apply_until_settled(
        runtime.accounts.get,
        plan_for(runtime, as_of),
        runtime.write,
        kep_address,
        report,
    )


def scan_segment(runtime: Runtime, task: SegmentTask, remaining_ms: Callable[[], int],
                 dry_run: bool = False) -> tuple[JobReport, SegmentTask | None]:
    """Scan one segment from its start key; return the report and the task for the rest, if any.

    Accounts are decided on the projected scan item; only an account that needs a change is
    read again consistently before its conditional write.
    """
    as_of = date.fromisoformat(task.as_of)
    report = JobReport(JOB, as_of, dry_run)
    plan = plan_for(runtime, as_of)
    scanner = SegmentScanner(task.segment, task.total_segments, task.start_key, runtime.settings.scan_page_size)

    for state in scanner:
        report.counts["scanned"] += 1
        transition = plan(state)
        if transition is not None:
            if dry_run:
                report.planned.append(describe(transition))
                report.counts[str(transition.outcome)] += 1
            else:
                check_account(runtime, state.kep_address, as_of, report)
        if remaining_ms() < runtime.settings.scan_reserve_ms:
            resume_key = scanner.resume_key
            if resume_key is None:
                break
            report.counts["handovers"] += 1
            return report, SegmentTask(task.as_of, task.segment, task.total_segments, resume_key,
                                       task.handovers + 1)
    return report, None


class ScanQueue:
    def __init__(self, runtime: Runtime) -> None:
        settings = runtime.settings
        if not settings.quota_scan_queue_url:
            raise RuntimeError("QUOTA_SCAN_QUEUE_URL is not set; the quota scan cannot fan out")
        self._url = settings.quota_scan_queue_url
        self._client = boto3.client("sqs", region_name=settings.region, endpoint_url=settings.endpoint_url)

    def send(self, tasks: list[SegmentTask]) -> None:
        for first in range(0, len(tasks), 10):
            batch = tasks[first:first + 10]
            response = self._client.send_message_batch(QueueUrl=self._url, Entries=[
                {"Id": str(index), "MessageBody": task.to_message()} for index, task in enumerate(batch)
            ])
            if response.get("Failed"):
                raise RuntimeError(f"scan queue rejected {len(response['Failed'])} segment tasks: "
                                   f"{response['Failed'][0].get('Message', '')}")


def start_scan(runtime: Runtime, request: JobRequest, remaining_ms: Callable[[], int]) -> JobReport:
    """Run the quota job for a scheduler or operator event.

    A full run fans the segments out through the queue. A dry run, and a run for listed
    addresses, is done within this invocation and writes nothing in the dry case.
    """
    report = JobReport(JOB, request.as_of, request.dry_run)

    if request.kep_addresses is not None:
        for kep_address in request.kep_addresses:
            if request.dry_run:
                state = runtime.accounts.get(kep_address)
                transition = plan_for(runtime, request.as_of)(state) if state else None
                if transition is not None:
                    report.planned.append(describe(transition))
                    report.counts[str(transition.outcome)] += 1
            else:
                check_account(runtime, kep_address, request.as_of, report)
        return report

    total = runtime.settings.quota_scan_segments
    tasks = [SegmentTask(request.as_of.isoformat(), segment, total) for segment in range(total)]
    if request.dry_run:
        for task in tasks:
            segment_report, rest = scan_segment(runtime, task, remaining_ms, dry_run=True)
            if rest is not None:
                report.counts["dry_run_incomplete"] += 1
                break
            report.counts.update(segment_report.counts)
            report.planned.extend(segment_report.planned)
        return report

    ScanQueue(runtime).send(tasks)
    report.counts["segments_queued"] = total
    logger.info("quota scan fanned out", extra={"as_of": request.as_of.isoformat(), "segments": total})
    return report
