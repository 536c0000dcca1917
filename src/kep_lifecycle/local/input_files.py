"""Validation of the local run's accounts and events files (JSON Lines).

A file is checked completely before anything is written: every problem is collected with
its line number, field and value, and the run is rejected whole if there is any.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt, TypeAdapter, ValidationError, field_validator

from ..domain.account import AccountType, Status
from ..events import normalize_kep_address

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CONTACT_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
VKN = re.compile(r"^\d{10}$")


def _iso_date_text(value) -> date:
    if not isinstance(value, str) or not ISO_DATE.match(value):
        raise ValueError("date_format")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError("date_invalid") from None


# A calendar date written exactly YYYY-MM-DD; JSON has no date type, so it arrives as text.
IsoDate = Annotated[date, BeforeValidator(_iso_date_text)]


def _kep_address(value: str) -> str:
    try:
        return normalize_kep_address(value)
    except ValueError:
        raise ValueError("kep_address_format") from None


KepAddress = Annotated[str, AfterValidator(_kep_address)]


class _Line(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class StorageLine(_Line):
    megabytes: StrictInt = Field(gt=0)
    valid_until: IsoDate


class HarcamaBirimiLine(_Line):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    vkn: str | None = None

    @field_validator("vkn")
    @classmethod
    def _vkn(cls, value: str | None) -> str | None:
        if value is not None and not VKN.match(value):
            raise ValueError("vkn_format")
        return value


class AccountLine(_Line):
    kep_address: KepAddress
    account_type: AccountType
    holder_name: str = Field(min_length=1, max_length=200)
    contact_email: str = Field(max_length=254)
    balance_kurus: StrictInt = Field(ge=0)
    renewal_date: IsoDate
    used_bytes: StrictInt = Field(ge=0)
    auto_renew: StrictBool = True
    status: Status = Status.ACTIVE
    extra_storage: list[StorageLine] = Field(default_factory=list)
    harcama_birimi: HarcamaBirimiLine | None = None
    informational_opt_out: StrictBool = False

    @field_validator("holder_name")
    @classmethod
    def _name(cls, value: str) -> str:
        if any(ord(character) < 32 for character in value) or not value.strip():
            raise ValueError("holder_name_format")
        return value.strip()

    @field_validator("contact_email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not CONTACT_EMAIL.match(value):
            raise ValueError("contact_email_format")
        return value


class _EventLine(_Line):
    date: IsoDate
    kep_address: KepAddress


class TopUpEvent(_EventLine):
    type: Literal["balance_top_up"]
    amount_kurus: StrictInt = Field(gt=0)


class UsageChangedEvent(_EventLine):
    type: Literal["usage_changed"]
    used_bytes: StrictInt = Field(ge=0)


class StoragePurchasedEvent(_EventLine):
    type: Literal["storage_purchased"]
    megabytes: StrictInt = Field(gt=0)
    valid_until: IsoDate


class EarlyRenewalEvent(_EventLine):
    type: Literal["early_renewal"]


class ReopenRequestedEvent(_EventLine):
    type: Literal["reopen_requested"]
    channel: Literal["petition", "online_e_signature"]


EventLine = Annotated[
    Union[TopUpEvent, UsageChangedEvent, StoragePurchasedEvent, EarlyRenewalEvent, ReopenRequestedEvent],
    Field(discriminator="type"),
]
_EVENT_ADAPTER = TypeAdapter(EventLine)


@dataclass(frozen=True)
class LineError:
    """One problem in an input file; `code` selects the translated explanation."""

    file: str
    line: int
    field: str
    value: object
    code: str
    detail: dict | None = None


class InputRejected(Exception):
    def __init__(self, errors: list[LineError]) -> None:
        super().__init__(f"{len(errors)} input errors")
        self.errors = errors


def _error_code(error: dict) -> tuple[str, dict]:
    """Map a pydantic error to a message code of this project and the values its message needs."""
    if error["type"] == "value_error":
        return str(error["ctx"]["error"]), {}
    context = {key: value for key, value in (error.get("ctx") or {}).items() if isinstance(value, (int, str))}
    if "expected" in context:
        # pydantic joins the last choice with an English "or"; a plain list reads in both languages.
        context["expected"] = context["expected"].replace("' or '", "', '")
    return error["type"], context


def _parse_lines(path: Path, validate) -> tuple[list, list[LineError], list[tuple[int, dict]]]:
    """Validate every line; return the valid records, every error, and each line's raw object."""
    records, errors, raw_objects = [], [], []
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return [], [LineError(name, 0, "-", None, "not_utf8")], []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            errors.append(LineError(name, number, "-", raw[:80], "invalid_json", {"reason": exc.msg}))
            continue
        if not isinstance(data, dict):
            errors.append(LineError(name, number, "-", raw[:80], "not_an_object"))
            continue
        raw_objects.append((number, data))
        try:
            records.append((number, validate(raw)))
        except ValidationError as exc:
            for error in exc.errors():
                field = ".".join(str(part) for part in error["loc"]) or "-"
                # A union error path ends in the event type; the event type itself is already known.
                field = re.sub(r"^(balance_top_up|usage_changed|storage_purchased|early_renewal|reopen_requested)\.",
                               "", field)
                code, detail = _error_code(error)
                value = error.get("input")
                if code == "missing":
                    value = None
                elif code.startswith("union_tag"):
                    field, value = "type", data.get("type")
                errors.append(LineError(name, number, field, value, code, detail))
    return records, errors, raw_objects


def read_accounts(path: Path) -> tuple[list[tuple[int, AccountLine]], list[LineError]]:
    records, errors, _ = _parse_lines(path, AccountLine.model_validate_json)
    seen: dict[str, int] = {}
    for number, account in records:
        if account.kep_address in seen:
            errors.append(LineError(path.name, number, "kep_address", account.kep_address, "duplicate_address",
                                    {"first_line": seen[account.kep_address]}))
        else:
            seen[account.kep_address] = number
    if not records and not errors:
        errors.append(LineError(path.name, 0, "-", None, "empty_file"))
    return records, errors


def read_events(path: Path, known_addresses: set[str], start: date, end: date):
    records, errors, raw_objects = _parse_lines(path, _EVENT_ADAPTER.validate_json)
    # Cross-checks read the raw line, so a line with other errors still gets these reported.
    for number, data in raw_objects:
        address, day = data.get("kep_address"), data.get("date")
        try:
            known = normalize_kep_address(address) in known_addresses if isinstance(address, str) else True
        except ValueError:
            known = True
        if not known:
            errors.append(LineError(path.name, number, "kep_address", address, "unknown_address"))
        try:
            event_day = _iso_date_text(day)
        except ValueError:
            continue
        if not start <= event_day <= end:
            errors.append(LineError(path.name, number, "date", day, "date_outside_run",
                                    {"start": start.isoformat(), "end": end.isoformat()}))
    errors.sort(key=lambda error: error.line)
    return records, errors


def read_run_input(accounts_path: Path, events_path: Path | None, start: date, end: date):
    """Read and validate both files; raise InputRejected with every error of both."""
    accounts, errors = read_accounts(accounts_path)
    oldest_allowed = date.fromordinal(start.toordinal() - 365)
    for number, account in accounts:
        if account.status is Status.ACTIVE and account.renewal_date < oldest_allowed:
            errors.append(LineError(accounts_path.name, number, "renewal_date", account.renewal_date.isoformat(),
                                    "renewal_date_too_old", {"start": start.isoformat()}))
    events = []
    if events_path is not None:
        events, event_errors = read_events(events_path, {a.kep_address for _, a in accounts}, start, end)
        errors.extend(event_errors)
    if errors:
        raise InputRejected(sorted(errors, key=lambda error: (error.file != accounts_path.name, error.line)))
    return [account for _, account in accounts], [event for _, event in events]
