"""Reactions to changes in the accounts table's stream, so top-ups and freed space act within minutes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from ..domain.dates import business_date_at, today_in_istanbul
from .jobs import JobReport


@dataclass(frozen=True)
class AccountChange:
    kep_address: str
    old: dict
    new: dict
    business_date: date


def _change_of(record: DynamoDBRecord) -> AccountChange | None:
    if record.event_name is None or record.event_name.name != "MODIFY" or record.dynamodb is None:
        return None
    new = record.dynamodb.new_image or {}
    old = record.dynamodb.old_image or {}
    if "kep_address" not in new:
        return None
    created = record.dynamodb.approximate_creation_date_time
    # The business date of the change is the Istanbul date on which it was written.
    day = business_date_at(datetime.fromtimestamp(created, timezone.utc)) if created else today_in_istanbul()
    return AccountChange(new["kep_address"], old, new, day)


def usage_fell_or_storage_changed(change: AccountChange) -> bool:
    return (change.new.get("used_bytes", 0) < change.old.get("used_bytes", 0)
            or change.new.get("extra_storage") != change.old.get("extra_storage"))


def balance_rose_in_grace(change: AccountChange) -> bool:
    return ("grace_deadline" in change.new
            and change.new.get("balance_kurus", 0) > change.old.get("balance_kurus", 0))


def process_account_changes(event: dict, context, wanted: Callable[[AccountChange], bool],
                            react: Callable[[AccountChange, JobReport], None], job: str) -> dict:
    """Run `react` for each stream record that `wanted` selects; failed records are retried by Lambda."""
    processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
    counts: Counter = Counter()

    def handle(record: DynamoDBRecord) -> None:
        change = _change_of(record)
        if change is None or not wanted(change):
            return
        report = JobReport(job, change.business_date, dry_run=False)
        react(change, report)
        counts.update(report.counts)
        if report.failures:
            raise RuntimeError(f"{job} reaction failed: {report.failures[0]['error']}")

    response = process_partial_response(event=event, record_handler=handle, processor=processor, context=context)
    # Lambda reads only batchItemFailures; the counts are for operators and the local run.
    return {**response, "counts": dict(counts)}
