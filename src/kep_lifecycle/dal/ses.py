"""Sending raw MIME messages through Amazon SES v2."""

from __future__ import annotations

from email.message import EmailMessage

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


class SendFailed(Exception):
    """SES rejected the message; it was not sent and may be tried again."""


class SesSender:
    def __init__(self, region: str, endpoint_url: str | None, configuration_set: str | None = None) -> None:
        self._client = boto3.client(
            "sesv2", region_name=region, endpoint_url=endpoint_url,
            config=Config(retries={"mode": "standard", "max_attempts": 5}),
        )
        self._configuration_set = configuration_set

    def send(self, message: EmailMessage, sender: str, recipient: str) -> str:
        """Send the message and return the SES message id."""
        request = {
            "FromEmailAddress": sender,
            "Destination": {"ToAddresses": [recipient]},
            "Content": {"Raw": {"Data": message.as_bytes()}},
        }
        if self._configuration_set:
            request["ConfigurationSetName"] = self._configuration_set
        try:
            response = self._client.send_email(**request)
        except ClientError as exc:
            raise SendFailed(exc.response["Error"].get("Code", "unknown")) from exc
        return response["MessageId"]
