"""Notice kinds and the drafts that state transitions emit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class NoticeKind(StrEnum):
    RENEWAL_REMINDER = "renewal_reminder"
    RENEWED = "renewed"
    RENEWAL_FAILED = "renewal_failed"
    GRACE_REMINDER = "grace_reminder"
    PAYMENT_RECEIVED = "payment_received"
    ACCOUNT_CLOSED = "account_closed"
    SUBSCRIPTION_ENDED = "subscription_ended"
    ACCOUNT_REOPENED = "account_reopened"
    QUOTA_WARNING = "quota_warning"
    QUOTA_RESTRICTED = "quota_restricted"
    QUOTA_RESTRICTION_LIFTED = "quota_restriction_lifted"
    QUOTA_ENFORCEMENT_ANNOUNCEMENT = "quota_enforcement_announcement"
    HARCAMA_BIRIMI_MISSING = "harcama_birimi_missing"


# Holders who opted out of informational mail still get every notice about a change to
# their account or money; only these advisory kinds are withheld.
INFORMATIONAL_KINDS = frozenset({NoticeKind.QUOTA_WARNING, NoticeKind.QUOTA_ENFORCEMENT_ANNOUNCEMENT})


@dataclass(frozen=True)
class NoticeDraft:
    """A notice to record with a state change.

    `dedup_key` identifies what the notice is about (a period, a reminder stage, a state
    change); one account gets at most one notice per (kind, dedup_key).
    """

    kind: NoticeKind
    dedup_key: str
    business_date: date
    context: dict = field(default_factory=dict)

    @property
    def notice_key(self) -> str:
        return f"{self.kind.value}#{self.dedup_key}"
