"""An embedded moto server on 127.0.0.1, so local runs take the same boto3 path as on AWS."""

from __future__ import annotations

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

# Requests served by every embedded server of this process, keyed by the X-Amz-Target header
# (for example "DynamoDB_20120810.Scan"); a request without that header counts under "".
_request_counts: Counter[str] = Counter()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
