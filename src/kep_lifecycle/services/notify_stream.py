"""Send notices as soon as they are recorded, from the notices table's DynamoDB stream.

The daily sweep sends whatever this path missed; the claim in the notice item keeps the
two paths from sending the same notice twice.
"""

from __future__ import annotations

from datetime import date

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from ..dal.notices import NoticeStatus
from .jobs import JobReport
from .notify import Notifier
from .runtime import Runtime

logger = Logger(child=True)


def send_stream_batch(runtime: Runtime, event: dict, context) -> dict:
    notifier = Notifier(runtime)
    processor = BatchProcessor(event_type=EventType.DynamoDBStreams)

    def send_record(record: DynamoDBRecord) -> None:
        image = record.dynamodb.new_image if record.dynamodb else None
        if record.event_name is None or record.event_name.name != "INSERT" or not image:
            return
        if image.get("status") != NoticeStatus.PENDING.value:
            return
        report = JobReport("notify", date.fromisoformat(image["business_date"]), dry_run=False)
        notifier.send_one(image["kep_address"], image["notice_key"], report)
        if report.failures:
            raise RuntimeError(f"notice send failed: {report.failures[0]['error']}")

    return process_partial_response(event=event, record_handler=send_record, processor=processor, context=context)
