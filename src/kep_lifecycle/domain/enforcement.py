"""The quota enforcement table: from which date each channel is restricted, per account type."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .account import AccountType, Channel

DEFAULT_ENFORCEMENT_FILE = Path(__file__).with_name("quota_enforcement.json")
ALWAYS = "always"


class EnforcementTableError(ValueError):
    """The enforcement table is invalid; the message names the entry and says what is expected."""


@dataclass(frozen=True)
class EnforcementTable:
    # None means the channel has always been enforced for that account type.
    starts: dict[tuple[Channel, AccountType], date | None]

    def start_date(self, channel: Channel, account_type: AccountType) -> date | None:
        return self.starts[(channel, account_type)]

    def enforced_on(self, channel: Channel, account_type: AccountType, day: date) -> bool:
        start = self.start_date(channel, account_type)
        return start is None or start <= day


def parse_enforcement(data: object, source: str) -> EnforcementTable:
    """Validate a table {channel: {account_type: "always" | "YYYY-MM-DD"}} covering every pair."""
    if not isinstance(data, dict):
        raise EnforcementTableError(f"{source}: the table must be a JSON object of channels")
    starts: dict[tuple[Channel, AccountType], date | None] = {}
    for channel_name, by_type in data.items():
        try:
            channel = Channel(channel_name)
        except ValueError:
            raise EnforcementTableError(
                f"{source}: unknown channel {channel_name!r}; expected one of "
                f"{', '.join(c.value for c in Channel)}") from None
        if not isinstance(by_type, dict):
            raise EnforcementTableError(f"{source}: {channel_name} must map account types to start dates")
        for type_name, start in by_type.items():
            entry = f"{channel_name}.{type_name}"
            try:
                account_type = AccountType(type_name)
            except ValueError:
                raise EnforcementTableError(
                    f"{source}: {entry}: unknown account type {type_name!r}; expected one of "
                    f"{', '.join(t.value for t in AccountType)}") from None
            if start == ALWAYS:
                starts[(channel, account_type)] = None
                continue
            try:
                if not isinstance(start, str) or len(start) != 10:
                    raise ValueError
                starts[(channel, account_type)] = date.fromisoformat(start)
            except ValueError:
                raise EnforcementTableError(
                    f"{source}: {entry}: invalid start {start!r}; write \"always\" or a date YYYY-MM-DD") from None
    missing = [f"{c.value}.{t.value}" for c in Channel for t in AccountType if (c, t) not in starts]
    if missing:
        raise EnforcementTableError(f"{source}: missing entries {', '.join(missing)}; every channel needs "
                                    "a start for every account type")
    return EnforcementTable(starts)


def load_enforcement(inline_json: str | None = None, path: Path | None = None) -> EnforcementTable:
    """Load the table from inline JSON (an environment variable), a file, or the shipped default."""
    if inline_json:
        source = "QUOTA_ENFORCEMENT"
        text = inline_json
    else:
        source = str(path or DEFAULT_ENFORCEMENT_FILE)
        text = Path(source).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EnforcementTableError(f"{source}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    return parse_enforcement(data, source)
