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
    """An invalid enforcement table. The message names the entry and the expected value.

    `code` and `params` let an operator tool translate the message.
    """

    MESSAGES = {
        "not_an_object": "{source}: the table must be a JSON object of channels",
        "unknown_channel": "{source}: unknown channel {channel!r}; expected one of {expected}",
        "not_a_mapping": "{source}: {channel} must map account types to start dates",
        "unknown_account_type": "{source}: {entry}: unknown account type {account_type!r}; expected one of {expected}",
        "invalid_start": "{source}: {entry}: invalid start {start!r}; write \"always\" or a date YYYY-MM-DD",
        "missing_entries": "{source}: missing entries {entries}; every channel needs a start for every account type",
        "invalid_json": "{source}: not valid JSON ({reason} at line {line})",
    }

    def __init__(self, code: str, **params) -> None:
        super().__init__(self.MESSAGES[code].format(**params))
        self.code = code
        self.params = params


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
        raise EnforcementTableError("not_an_object", source=source)
    starts: dict[tuple[Channel, AccountType], date | None] = {}
    for channel_name, by_type in data.items():
        try:
            channel = Channel(channel_name)
        except ValueError:
            raise EnforcementTableError("unknown_channel", source=source, channel=channel_name,
                                        expected=", ".join(c.value for c in Channel)) from None
        if not isinstance(by_type, dict):
            raise EnforcementTableError("not_a_mapping", source=source, channel=channel_name)
        for type_name, start in by_type.items():
            entry = f"{channel_name}.{type_name}"
            try:
                account_type = AccountType(type_name)
            except ValueError:
                raise EnforcementTableError("unknown_account_type", source=source, entry=entry,
                                            account_type=type_name,
                                            expected=", ".join(t.value for t in AccountType)) from None
            if start == ALWAYS:
                starts[(channel, account_type)] = None
                continue
            try:
                if not isinstance(start, str) or len(start) != 10:
                    raise ValueError
                starts[(channel, account_type)] = date.fromisoformat(start)
            except ValueError:
                raise EnforcementTableError("invalid_start", source=source, entry=entry, start=start) from None
    missing = [f"{c.value}.{t.value}" for c in Channel for t in AccountType if (c, t) not in starts]
    if missing:
        raise EnforcementTableError("missing_entries", source=source, entries=", ".join(missing))
    return EnforcementTable(starts)


def load_enforcement(inline_json: str | None = None, path: Path | None = None,
                     source: str = "QUOTA_ENFORCEMENT") -> EnforcementTable:
    """Load the table from inline JSON (an environment variable), a file, or the shipped default."""
    if inline_json:
        text = inline_json
    else:
        source = str(path or DEFAULT_ENFORCEMENT_FILE)
        text = Path(source).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EnforcementTableError("invalid_json", source=source, reason=exc.msg, line=exc.lineno) from exc
    return parse_enforcement(data, source)
