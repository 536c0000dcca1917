"""Lambda handler of the quota scan: fan-out on schedule, segment workers on the queue, stream re-checks."""

from collections import Counter

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from kep_lifecycle.handlers import job_handler, runtime
from kep_lifecycle.services.account_stream import process_account_changes, usage_fell_or_storage_changed
from kep_lifecycle.services.quota_scan import ScanQueue, SegmentTask, check_account, scan_segment, start_scan

logger = Logger(service="kep-quota_scan")

_start = job_handler("quota_scan",
                     lambda rt, request, context: start_scan(rt, request, context.get_remaining_time_in_millis))


def _scan_tasks(event, context):
    processor = BatchProcessor(event_type=EventType.SQS)
    rt = runtime()
    counts = Counter()

    def scan(record: SQSRecord) -> None:
        task = SegmentTask.from_message(record.body)
        report, rest = scan_segment(rt, task, context.get_remaining_time_in_millis)
        if rest is not None:
            ScanQueue(rt).send([rest])
        counts.update(report.counts)
        logger.info("segment scanned", extra={"segment": task.segment, "handovers": task.handovers,
                                               "counts": dict(report.counts), "finished": rest is None})
        if report.failures:
            raise RuntimeError(f"{len(report.failures)} accounts failed in segment {task.segment}")

    response = process_partial_response(event=event, record_handler=scan, processor=processor, context=context)
    # Lambda reads only batchItemFailures; the counts are for operators and the local run.
    return {**response, "counts": dict(counts)}


def handler(event, context):
    records = event.get("Records") if isinstance(event, dict) else None
    if records and records[0].get("eventSource") == "aws:sqs":
        return _scan_tasks(event, context)
    if records and records[0].get("eventSource") == "aws:dynamodb":
        rt = runtime()
        return process_account_changes(
            event, context, usage_fell_or_storage_changed,
            lambda change, report: check_account(rt, change.kep_address, change.business_date, report),
            "quota_scan",
        )
    return _start(event, context)
