"""Account state as the rules see it, and the quota arithmetic: 100 MB free plus storage bought."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

BYTES_PER_MEGABYTE = 1_048_576
FREE_QUOTA_BYTES = 100 * BYTES_PER_MEGABYTE
GRACE_DAYS = 14


class AccountType(StrEnum):
    NATURAL_PERSON = "gercek_kisi"
    COMPANY = "tuzel_kisi"
    OTHER_LEGAL_PERSON = "diger_tuzel_kisi"
    PUBLIC_INSTITUTION = "kamu_kurumu"


class Channel(StrEnum):
    WEBMAIL = "webmail"
    WEB_SERVICE = "web_service"


ALL_CHANNELS: tuple[Channel, ...] = (Channel.WEBMAIL, Channel.WEB_SERVICE)


class Status(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class Restriction(StrEnum):
    QUOTA = "quota"
    UNPAID = "unpaid"


class ClosedReason(StrEnum):
    GRACE_EXPIRED = "grace_expired"
    SUBSCRIPTION_ENDED = "subscription_ended"


@dataclass(frozen=True)
class ExtraStorage:
    """Storage bought for one period; it counts while the business date is before `valid_until`."""

    megabytes: int
    valid_until: date

    def counts_on(self, day: date) -> bool:
        return day < self.valid_until


@dataclass(frozen=True)
class HarcamaBirimi:
    name: str | None = None
    vkn: str | None = None


@dataclass(frozen=True)
class AccountState:
    kep_address: str
    account_type: AccountType
    balance_kurus: int
    renewal_date: date
    anniversary: str
    used_bytes: int
    quota_bytes: int
    auto_renew: bool = True
    status: Status = Status.ACTIVE
    extra_storage: tuple[ExtraStorage, ...] = ()
    harcama_birimi: HarcamaBirimi | None = None
    informational_opt_out: bool = False
    restrictions: frozenset[Restriction] = frozenset()
    quota_blocked_channels: frozenset[Channel] = frozenset()
    grace_deadline: date | None = None
    grace_started_on: date | None = None
    closed_on: date | None = None
    closed_reason: ClosedReason | None = None
    prepaid_period: date | None = None
    usage_warned_period: date | None = None
    # Enforcement announcements already sent, as "channel@start#stage".
    quota_announcements: frozenset[str] = frozenset()
    version: int = 0
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def in_grace(self) -> bool:
        return self.grace_deadline is not None

    @property
    def blocked_channels(self) -> tuple[Channel, ...]:
        """Return the channels this account cannot send on; a closed account sends on none."""
        if self.status is Status.CLOSED or Restriction.UNPAID in self.restrictions:
            return ALL_CHANNELS
        return tuple(channel for channel in ALL_CHANNELS if channel in self.quota_blocked_channels)

    def evolve(self, **changes) -> AccountState:
        return replace(self, **changes)


def quota_on(day: date, extra_storage: tuple[ExtraStorage, ...]) -> int:
    """Return the mailbox quota in bytes on `day`: 100 MB plus the storage that still counts."""
    bought = sum(item.megabytes for item in extra_storage if item.counts_on(day))
    return FREE_QUOTA_BYTES + bought * BYTES_PER_MEGABYTE


def storage_still_valid(day: date, extra_storage: tuple[ExtraStorage, ...]) -> tuple[ExtraStorage, ...]:
    """Drop expired storage so the account item only carries what can still count."""
    return tuple(item for item in extra_storage if item.counts_on(day))


def missing_harcama_fields(state: AccountState) -> tuple[str, ...]:
    """Return the Harcama Birimi fields a public institution has not entered ('name', 'vkn')."""
    if state.account_type is not AccountType.PUBLIC_INSTITUTION:
        return ()
    info = state.harcama_birimi or HarcamaBirimi()
    return tuple(name for name, value in (("name", info.name), ("vkn", info.vkn)) if not value)
