"""Quota overrun: restrict and lift sending by used space, warn at 90 %, announce enforcement."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from .account import ALL_CHANNELS, AccountState, Channel, Restriction, Status, quota_on, storage_still_valid
from .dates import add_days
from .enforcement import EnforcementTable
from .notices import NoticeDraft, NoticeKind
from .tariff import TariffBook
from .transition import Transition

WARNING_PERCENT = 90
ANNOUNCEMENT_LEAD_DAYS = 7


class QuotaOutcome(StrEnum):
    RESTRICTED = "quota_restricted"
    LIFTED = "quota_lifted"
    CHANNELS_CHANGED = "quota_channels_changed"
    WARNED = "quota_warned"
    ANNOUNCED = "enforcement_announced"
    QUOTA_UPDATED = "quota_updated"


def _storage_offer(tariffs: TariffBook, day: date) -> list[dict]:
    return [{"megabytes": package.megabytes, "price_kurus": package.price_kurus}
            for package in tariffs.in_force(day).storage_packages]


def _announcements_due(state: AccountState, as_of: date, enforcement: EnforcementTable,
                       over_quota: bool) -> list[tuple[Channel, date, str]]:
    """Return (channel, start date, stage) of the announcements an over-quota account should get now.

    The first announcement goes out when the overrun is first found before a channel's start
    date; a second one 7 days before the start. An overrun first found within those 7 days
    gets only the second.
    """
    if not over_quota:
        return []
    due = []
    for channel in ALL_CHANNELS:
        start = enforcement.start_date(channel, state.account_type)
        if start is None or start <= as_of:
            continue
        stage = "7" if as_of >= add_days(start, -ANNOUNCEMENT_LEAD_DAYS) else "first"
        marker = f"{channel.value}@{start.isoformat()}#{stage}"
        if marker not in state.quota_announcements:
            due.append((channel, start, stage))
    return due


def plan_quota(state: AccountState, as_of: date, enforcement: EnforcementTable,
               tariffs: TariffBook) -> Transition | None:
    """Decide the quota restriction of one account on `as_of`; None when nothing changes."""
    if state.status is not Status.ACTIVE:
        return None

    storage = storage_still_valid(as_of, state.extra_storage)
    quota = quota_on(as_of, storage)
    over_quota = state.used_bytes > quota
    enforced = frozenset(channel for channel in ALL_CHANNELS
                         if enforcement.enforced_on(channel, state.account_type, as_of))
    blocked = enforced if over_quota else frozenset()
    restrictions = (state.restrictions | {Restriction.QUOTA}) if blocked else (state.restrictions - {Restriction.QUOTA})

    after = state.evolve(extra_storage=storage, quota_bytes=quota, quota_blocked_channels=blocked,
                         restrictions=restrictions)
    change_key = f"{as_of.isoformat()}#{state.version}"
    usage = {"account_type": state.account_type.value, "used_bytes": state.used_bytes, "quota_bytes": quota}
    notices: list[NoticeDraft] = []
    outcome = QuotaOutcome.QUOTA_UPDATED

    newly_blocked = blocked - state.quota_blocked_channels
    if newly_blocked:
        outcome = QuotaOutcome.RESTRICTED if not state.quota_blocked_channels else QuotaOutcome.CHANNELS_CHANGED
        notices.append(NoticeDraft(NoticeKind.QUOTA_RESTRICTED, change_key, as_of, {
            **usage,
            "over_bytes": state.used_bytes - quota,
            "channels": [channel.value for channel in ALL_CHANNELS if channel in blocked],
            "storage_packages": _storage_offer(tariffs, as_of),
        }))
    elif state.quota_blocked_channels and not blocked:
        outcome = QuotaOutcome.LIFTED
        notices.append(NoticeDraft(NoticeKind.QUOTA_RESTRICTION_LIFTED, change_key, as_of, {
            **usage,
            "channels": [channel.value for channel in ALL_CHANNELS if channel in state.quota_blocked_channels],
        }))

    # The 90 % warning goes once per period, which the upcoming renewal date identifies.
    period = state.renewal_date
    if (not over_quota and state.used_bytes * 100 >= quota * WARNING_PERCENT
            and state.usage_warned_period != period):
        after = after.evolve(usage_warned_period=period)
        if not notices:
            outcome = QuotaOutcome.WARNED
        notices.append(NoticeDraft(NoticeKind.QUOTA_WARNING, period.isoformat(), as_of, {
            **usage, "percent": state.used_bytes * 100 // quota,
            "storage_packages": _storage_offer(tariffs, as_of),
        }))

    announcements = _announcements_due(state, as_of, enforcement, over_quota)
    for channel, start, stage in announcements:
        after = after.evolve(quota_announcements=after.quota_announcements
                             | {f"{channel.value}@{start.isoformat()}#{stage}"})
        if not notices:
            outcome = QuotaOutcome.ANNOUNCED
        notices.append(NoticeDraft(NoticeKind.QUOTA_ENFORCEMENT_ANNOUNCEMENT,
                                   f"{channel.value}#{start.isoformat()}#{stage}", as_of, {
                                       **usage,
                                       "channel": channel.value,
                                       "start_date": start.isoformat(),
                                       "storage_packages": _storage_offer(tariffs, as_of),
                                   }))

    if after == state:
        return None
    return Transition(outcome, state, after, notices=tuple(notices))
