"""Notice items: recording, the pending queue, and the claim that keeps a notice from being sent twice."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from ..domain.notices import NoticeDraft, NoticeKind
from .models import NoticeModel, shard_of


class NoticeStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    SUPPRESSED = "suppressed"


@dataclass(frozen=True)
class StoredNotice:
    kep_address: str
    notice_key: str
    kind: NoticeKind
    business_date: date
    context: dict
    status: NoticeStatus
    attempts: int


def _is_condition_failure(exc: PutError | UpdateError) -> bool:
    return exc.cause_response_code == "ConditionalCheckFailedException"


def new_notice_item(kep_address: str, draft: NoticeDraft, shard_count: int, created_at: str,
                    suppressed: bool = False) -> NoticeModel:
    """Build the item of a new notice; a pending one is on the pending index until sent."""
    return NoticeModel(
        kep_address=kep_address,
        notice_key=draft.notice_key,
        kind=draft.kind.value,
        business_date=draft.business_date.isoformat(),
        context=draft.context,
        status=(NoticeStatus.SUPPRESSED if suppressed else NoticeStatus.PENDING).value,
        pending_shard=None if suppressed else shard_of(kep_address, shard_count),
        created_at=created_at,
        attempts=0,
    )


def _to_stored(item: NoticeModel) -> StoredNotice:
    return StoredNotice(
        kep_address=item.kep_address,
        notice_key=item.notice_key,
        kind=NoticeKind(item.kind),
        business_date=date.fromisoformat(item.business_date),
        context=item.context,
        status=NoticeStatus(item.status),
        attempts=int(item.attempts or 0),
    )


class NoticeRepository:
    def __init__(self, shard_count: int) -> None:
        self.shard_count = shard_count

    def record(self, kep_address: str, draft: NoticeDraft, created_at: str, suppressed: bool = False) -> bool:
        """Record a notice that comes with no state change; return False if it was recorded before."""
        item = new_notice_item(kep_address, draft, self.shard_count, created_at, suppressed)
        try:
            item.save(condition=NoticeModel.notice_key.does_not_exist())
        except PutError as exc:
            if _is_condition_failure(exc):
                return False
            raise
        return True

    def exists(self, kep_address: str, notice_key: str) -> bool:
        try:
            NoticeModel.get(kep_address, notice_key, attributes_to_get=["notice_key"], consistent_read=True)
        except DoesNotExist:
            return False
        return True

    def pending_keys(self, up_to: date) -> Iterator[tuple[str, str]]:
        for shard in range(self.shard_count):
            for key in NoticeModel.pending_index.query(shard, NoticeModel.business_date <= up_to.isoformat()):
                yield key.kep_address, key.notice_key

    def get(self, kep_address: str, notice_key: str) -> StoredNotice | None:
        try:
            return _to_stored(NoticeModel.get(kep_address, notice_key, consistent_read=True))
        except DoesNotExist:
            return None

    def claim(self, kep_address: str, notice_key: str, claimed_at: str) -> StoredNotice | None:
        """Move a pending notice to 'sending' and return it; None if another sender claimed it first.

        A notice whose send crashed after the claim stays in 'sending' and is not retried
        automatically: sending it again could deliver it twice.
        """
        item = NoticeModel(kep_address, notice_key)
        try:
            # PynamoDB's update returns the item as written, so the claim also reads the notice.
            item.update(
                actions=[NoticeModel.status.set(NoticeStatus.SENDING.value),
                         NoticeModel.claimed_at.set(claimed_at),
                         NoticeModel.attempts.add(1)],
                condition=NoticeModel.status == NoticeStatus.PENDING.value,
            )
        except UpdateError as exc:
            if _is_condition_failure(exc):
                return None
            raise
        return _to_stored(item)

    def mark_sent(self, kep_address: str, notice_key: str, message_id: str, subject: str,
                  recipient: str, sent_at: str) -> None:
        NoticeModel(kep_address, notice_key).update(
            actions=[NoticeModel.status.set(NoticeStatus.SENT.value),
                     NoticeModel.message_id.set(message_id),
                     NoticeModel.subject.set(subject),
                     NoticeModel.recipient.set(recipient),
                     NoticeModel.sent_at.set(sent_at),
                     NoticeModel.pending_shard.remove()],
            condition=NoticeModel.status == NoticeStatus.SENDING.value,
        )

    def release(self, kep_address: str, notice_key: str, error: str) -> None:
        """Return a claimed notice to the queue after a send that certainly did not go out."""
        NoticeModel(kep_address, notice_key).update(
            actions=[NoticeModel.status.set(NoticeStatus.PENDING.value), NoticeModel.last_error.set(error[:500])],
            condition=NoticeModel.status == NoticeStatus.SENDING.value,
        )
