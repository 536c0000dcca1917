"""Validation of the events a job function accepts: EventBridge Scheduler and manual operator runs."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator

from .domain.dates import business_date_at
from .services.jobs import JobRequest

SCHEDULER_SOURCE = "kep-lifecycle.scheduler"
# A KEP address: ASCII local part and a domain under kep.tr, compared case-insensitively.
KEP_ADDRESS = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?@(?:[a-z0-9-]+\.)+kep\.tr$")
MAX_ADDRESSES_PER_RUN = 1000


def normalize_kep_address(value: str) -> str:
    """Return the address in lower case; raise ValueError if it is not a KEP address."""
    address = value.strip().lower()
    if not KEP_ADDRESS.match(address):
        raise ValueError(f"{value!r} is not a KEP address (expected e.g. ad.soyad.1@hs01.kep.tr)")
    return address


def _require_iso_text(value):
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("as_of must be a date written YYYY-MM-DD")
    return value


class ScheduledRun(BaseModel):
    """The input the schedules in infra/template.yaml send; the business date follows from the scheduled time."""

    model_config = ConfigDict(extra="forbid")

    source: Literal["kep-lifecycle.scheduler"]
    scheduled_time: AwareDatetime


class ManualRun(BaseModel):
    """An operator's run. It is a dry run unless `dry_run` is explicitly false."""

    model_config = ConfigDict(extra="forbid")

    as_of: date
    dry_run: bool = True
    kep_addresses: list[str] | None = Field(default=None, min_length=1, max_length=MAX_ADDRESSES_PER_RUN)

    _as_of_text = field_validator("as_of", mode="before")(_require_iso_text)

    @field_validator("kep_addresses")
    @classmethod
    def _addresses(cls, values: list[str] | None) -> list[str] | None:
        if values is None:
            return None
        return list(dict.fromkeys(normalize_kep_address(value) for value in values))


class ReopenRequest(BaseModel):
    """An operator's reopening of a closed account; a dry run unless `dry_run` is explicitly false."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["reopen"]
    kep_address: str
    channel: Literal["petition", "online_e_signature"]
    as_of: date | None = None
    dry_run: bool = True

    _as_of_text = field_validator("as_of", mode="before")(_require_iso_text)

    @field_validator("kep_address")
    @classmethod
    def _address(cls, value: str) -> str:
        return normalize_kep_address(value)


class InvalidEvent(ValueError):
    """The event is neither a valid scheduler event nor a valid manual run; the message lists every problem."""


def _describe(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or 'event'}: {error['msg']} (got {error.get('input')!r})"
        for error in exc.errors()
    )


def parse_reopen_event(event: dict) -> ReopenRequest:
    try:
        return ReopenRequest.model_validate(event)
    except ValidationError as exc:
        raise InvalidEvent(
            f"invalid reopen event: {_describe(exc)}. Expected "
            '{"action": "reopen", "kep_address": "...", "channel": "petition" | "online_e_signature", '
            '"as_of": "YYYY-MM-DD" (optional), "dry_run": true}'
        ) from exc


def parse_job_event(event: dict) -> JobRequest:
    if not isinstance(event, dict):
        raise InvalidEvent(f"event must be a JSON object, got {type(event).__name__}")
    if "source" in event or "scheduled_time" in event:
        try:
            scheduled = ScheduledRun.model_validate(event)
        except ValidationError as exc:
            raise InvalidEvent(f"invalid scheduler event: {_describe(exc)}") from exc
        return JobRequest(as_of=business_date_at(scheduled.scheduled_time), dry_run=False)
    try:
        manual = ManualRun.model_validate(event)
    except ValidationError as exc:
        raise InvalidEvent(
            f"invalid manual event: {_describe(exc)}. Expected "
            '{"as_of": "YYYY-MM-DD", "dry_run": true, "kep_addresses": ["..."]}'
        ) from exc
    addresses = tuple(manual.kep_addresses) if manual.kep_addresses else None
    return JobRequest(as_of=manual.as_of, dry_run=manual.dry_run, kep_addresses=addresses)
