"""Local stand-ins for Lambda's event source mappings: an SQS queue and a DynamoDB stream.

They read the moto server's real queue and stream and invoke the handlers with events of
the shape Lambda delivers, deleting a queue message only when the handler did not report it
as failed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, time

import boto3

from ..domain.dates import ISTANBUL

# A guard against a handler that keeps re-queueing work forever.
MAX_DELIVERIES_PER_DRAIN = 100_000


class QueuePump:
    def __init__(self, endpoint_url: str, region: str, queue_url: str) -> None:
        self._client = boto3.client("sqs", endpoint_url=endpoint_url, region_name=region)
        self._url = queue_url

    def drain(self, handler: Callable, context_factory: Callable) -> Counter:
        """Deliver messages one at a time until the queue is empty; return the handlers' summed counts."""
        delivered = 0
        counts: Counter = Counter()
        while delivered < MAX_DELIVERIES_PER_DRAIN:
            messages = self._client.receive_message(QueueUrl=self._url, MaxNumberOfMessages=1,
                                                    VisibilityTimeout=0).get("Messages", [])
            if not messages:
                return counts
            message = messages[0]
            event = {"Records": [{
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": {},
                "messageAttributes": {},
                "md5OfBody": message["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:local",
                "awsRegion": "local",
            }]}
            response = handler(event, context_factory())
            counts.update(response.get("counts", {}))
            if not response.get("batchItemFailures"):
                self._client.delete_message(QueueUrl=self._url, ReceiptHandle=message["ReceiptHandle"])
            else:
                raise RuntimeError(f"queue task failed locally: {message['Body']}")
            delivered += 1
        raise RuntimeError("queue did not drain; a handler keeps re-queueing work")


class StreamPump:
    """Reads a table's stream from where the previous drain stopped."""

    def __init__(self, endpoint_url: str, region: str, table_name: str) -> None:
        dynamodb = boto3.client("dynamodb", endpoint_url=endpoint_url, region_name=region)
        self._streams = boto3.client("dynamodbstreams", endpoint_url=endpoint_url, region_name=region)
        stream_arn = dynamodb.describe_table(TableName=table_name)["Table"]["LatestStreamArn"]
        shards = self._streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]
        self._iterators = [
            self._streams.get_shard_iterator(StreamArn=stream_arn, ShardId=shard["ShardId"],
                                             ShardIteratorType="LATEST")["ShardIterator"]
            for shard in shards
        ]

    def read(self, business_date: date) -> list[dict]:
        """Return the new records in Lambda's event shape, dated on the simulated business date."""
        stamp = datetime.combine(business_date, time(9, 0), tzinfo=ISTANBUL).timestamp()
        records = []
        for index, iterator in enumerate(self._iterators):
            while iterator:
                response = self._streams.get_records(ShardIterator=iterator, Limit=1000)
                iterator = response.get("NextShardIterator")
                self._iterators[index] = iterator
                for record in response["Records"]:
                    stream_record = dict(record["dynamodb"])
                    stream_record["ApproximateCreationDateTime"] = stamp
                    records.append({"eventID": record["eventID"], "eventName": record["eventName"],
                                    "eventSource": "aws:dynamodb", "awsRegion": "local",
                                    "dynamodb": stream_record})
                if not response["Records"]:
                    break
        return records
