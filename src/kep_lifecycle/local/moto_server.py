"""An embedded moto server on 127.0.0.1, so local runs take the same boto3 path as on AWS."""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
from collections import Counter
from contextlib import contextmanager
from collections.abc import Iterator

LOCAL_REGION = "eu-central-1"
# moto accepts any credentials; these keep boto3 from looking for real ones.
LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing"}

# Requests served by every embedded server of this process, by X-Amz-Target header (for example
# "DynamoDB_20120810.Scan"). A request without that header counts under "".
_request_counts: Counter[str] = Counter()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _check_then_write(backend, transact_items: list[dict]) -> None:
    """Run a DynamoDB transaction by checking every condition first and writing only if all hold.

    moto 5 snapshots every table a transaction touches with a deep copy, so that it can roll
    back. On a table of thousands of items that copy costs more than the rest of the run.
    DynamoDB rejects a transaction that names one item twice, so once all conditions hold the
    writes cannot interfere with each other and there is nothing to roll back.
    """
    from moto.dynamodb.comparisons import get_filter_expression
    from moto.dynamodb.exceptions import (
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactionCanceledException,
        TransactWriteSingleOpException,
    )

    if len(transact_items) > 100:
        raise TooManyTransactionsException()

    operations, seen, reasons = [], set(), []
    for entry in transact_items:
        if len(entry) > 1:
            raise TransactWriteSingleOpException
        kind, operation = next(iter(entry.items()))
        table = backend.get_table(operation["TableName"])
        if kind == "Put":
            key = {name: operation["Item"][name] for name in (table.hash_key_attr, table.range_key_attr) if name}
        else:
            key = operation["Key"]
        identity = (operation["TableName"], str(sorted(key.items())))
        if identity in seen:
            raise MultipleTransactionsException()
        seen.add(identity)

        condition = operation.get("ConditionExpression")
        satisfied = condition is None or get_filter_expression(
            condition, operation.get("ExpressionAttributeNames"), operation.get("ExpressionAttributeValues"),
        ).expr(backend.get_item(operation["TableName"], key))
        reasons.append((None, None, None) if satisfied else
                       ("ConditionalCheckFailed", "The conditional request failed", None))
        operations.append((kind, operation, key))

    if any(code is not None for code, _, _ in reasons):
        raise TransactionCanceledException(reasons)

    for kind, operation, key in operations:
        names, values = operation.get("ExpressionAttributeNames"), operation.get("ExpressionAttributeValues")
        if kind == "Put":
            backend.put_item(operation["TableName"], operation["Item"], expression_attribute_names=names,
                             expression_attribute_values=values)
        elif kind == "Delete":
            backend.delete_item(operation["TableName"], key, expression_attribute_names=names,
                                expression_attribute_values=values)
        elif kind == "Update":
            backend.update_item(operation["TableName"], key, update_expression=operation["UpdateExpression"],
                                expression_attribute_names=names, expression_attribute_values=values)


# Item operations whose results moto already keeps as plain JSON data (AttributeValue maps).
_PLAIN_JSON_OPERATIONS = frozenset({
    "Scan", "Query", "GetItem", "BatchGetItem", "PutItem", "UpdateItem", "DeleteItem",
    "BatchWriteItem", "TransactWriteItems",
})


def _install_speedups() -> None:
    """Replace four moto hot paths that dominate a local run of thousands of accounts.

    Transactions skip moto's whole-table snapshot (see `_check_then_write`). Projections of
    top-level attributes copy those attributes instead of converting the whole item to
    plain JSON and back. Results of item operations are written with json.dumps instead of
    moto's shape-driven serializer, which walks the botocore model for every attribute of
    every item. For these operations both produce the same JSON document. Comparisons of two
    strings compare the strings directly: moto answers an index query by sorting every item
    that matches the partition key, and its generic comparison dominates that sort.
    """
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType, Item
    from moto.dynamodb.responses import DynamoResult

    DynamoDBBackend.transact_write_items = _check_then_write

    nested_projection = Item.project

    def project(self, projection_expressions):
        if any(len(path) != 1 for path in projection_expressions):
            return nested_projection(self, projection_expressions)
        projected = {path[0] for path in projection_expressions}
        attributes = {name: value.to_json() for name, value in self.attrs.items() if name in projected}
        return Item(hash_key=self.hash_key, range_key=self.range_key, attrs=attributes)

    Item.project = project

    generic_lt, generic_eq, generic_hash = DynamoType.__lt__, DynamoType.__eq__, DynamoType.__hash__

    def less_than(self, other):
        if self.type == "S" and other.type == "S":
            return self.value < other.value
        return generic_lt(self, other)

    def equal(self, other):
        if self.type == "S" and other.type == "S":
            return self.value == other.value
        return generic_eq(self, other)

    DynamoType.__lt__ = less_than
    DynamoType.__eq__ = equal
    # Defining __eq__ on a class resets its hash; moto's own hash stays in force.
    DynamoType.__hash__ = generic_hash
    shape_driven = DynamoResult.execute_result

    def execute_result(self, context):
        if context.operation_model.name not in _PLAIN_JSON_OPERATIONS:
            return shape_driven(self, context)
        return 200, {"Content-Type": "application/x-amz-json-1.0"}, json.dumps(self.result)

    DynamoResult.execute_result = execute_result


class _SerializedMotoServer:
    """moto in server mode, handling one request at a time.

    moto's DynamoDB checks a transaction's conditions and applies its writes in separate
    steps without a lock, so two threaded requests can interleave. DynamoDB itself
    serializes conflicting conditional writes; a lock around each request gives the local
    server the same guarantee, which the concurrency tests rely on.
    """

    def __init__(self, port: int) -> None:
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )
        from werkzeug.serving import make_server

        _install_speedups()
        application = DomainDispatcherApplication(create_backend_app)
        lock = threading.Lock()

        def serialized(environ, start_response):
            with lock:
                _request_counts[environ.get("HTTP_X_AMZ_TARGET", "")] += 1
                return list(application(environ, start_response))

        self._server = make_server("127.0.0.1", port, serialized, threaded=True, request_handler=MotoRequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="moto-server")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join()


@contextmanager
def moto_server() -> Iterator[str]:
    """Start moto in server mode on a free loopback port and yield its endpoint URL."""
    # werkzeug logs every request at INFO; keep only its warnings and errors.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    for name, value in LOCAL_CREDENTIALS.items():
        os.environ.setdefault(name, value)
    port = free_port()
    server = _SerializedMotoServer(port)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def request_counts() -> Counter[str]:
    """Return a copy of the request counts of this process's embedded servers, by X-Amz-Target."""
    return Counter(_request_counts)


def verify_sender(endpoint_url: str, sender: str) -> None:
    """Verify the sender's address as an SES identity, as an operator does once on AWS."""
    import boto3
    from email.utils import parseaddr

    client = boto3.client("sesv2", endpoint_url=endpoint_url, region_name=LOCAL_REGION)
    client.create_email_identity(EmailIdentity=parseaddr(sender)[1])


def sent_raw_messages() -> dict[str, bytes]:
    """Return the raw MIME of every message the embedded server's SES accepted, by message id."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID][LOCAL_REGION]
    return {message.id: message.raw_data.encode("utf-8") for message in backend.sent_messages
            if hasattr(message, "raw_data")}
