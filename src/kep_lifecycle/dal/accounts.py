"""Account items: mapping to the domain state, index queries and atomic transition writes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from ..domain.account import (
    AccountState,
    AccountType,
    Channel,
    ClosedReason,
    ExtraStorage,
    HarcamaBirimi,
    Restriction,
    Status,
)
from ..domain.notices import INFORMATIONAL_KINDS
from ..domain.transition import Transition
from .models import shard_of, AccountModel, HarcamaBirimiItem, LedgerModel, NoticeModel, StorageItem
from .notices import new_notice_item


class ConcurrentChange(Exception):
    """A conditional write lost to another writer; re-read the account and decide again."""


@dataclass(frozen=True)
class Contact:
    kep_address: str
    holder_name: str
    contact_email: str


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def to_state(item: AccountModel) -> AccountState:
    harcama = None
    if item.harcama_birimi is not None:
        harcama = HarcamaBirimi(name=item.harcama_birimi.name, vkn=item.harcama_birimi.vkn)
    return AccountState(
        kep_address=item.kep_address,
        account_type=AccountType(item.account_type),
        balance_kurus=int(item.balance_kurus),
        renewal_date=date.fromisoformat(item.renewal_date),
        anniversary=item.anniversary,
        used_bytes=int(item.used_bytes),
        quota_bytes=int(item.quota_bytes),
        auto_renew=item.auto_renew,
        status=Status(item.status),
        extra_storage=tuple(
            ExtraStorage(int(s.megabytes), date.fromisoformat(s.valid_until)) for s in item.extra_storage or ()
        ),
        harcama_birimi=harcama,
        informational_opt_out=item.informational_opt_out,
        restrictions=frozenset(Restriction(r) for r in item.restrictions or ()),
        quota_blocked_channels=frozenset(Channel(c) for c in item.quota_blocked_channels or ()),
        grace_deadline=_day(item.grace_deadline),
        grace_started_on=_day(item.grace_started_on),
        closed_on=_day(item.closed_on),
        closed_reason=ClosedReason(item.closed_reason) if item.closed_reason else None,
        prepaid_period=_day(item.prepaid_period),
        usage_warned_period=_day(item.usage_warned_period),
        quota_announcements=frozenset(item.quota_announcements or ()),
        version=int(item.version),
    )


def _attribute_values(state: AccountState) -> dict:
    """Return the item attributes that the domain state determines, None meaning 'absent'."""
    awaiting_renewal = state.status is Status.ACTIVE and not state.in_grace
    return {
        "account_type": state.account_type.value,
        "balance_kurus": state.balance_kurus,
        "renewal_date": state.renewal_date.isoformat(),
        "anniversary": state.anniversary,
        "next_renewal": state.renewal_date.isoformat() if awaiting_renewal else None,
        "used_bytes": state.used_bytes,
        "quota_bytes": state.quota_bytes,
        "auto_renew": state.auto_renew,
        "status": state.status.value,
        "extra_storage": [StorageItem(megabytes=s.megabytes, valid_until=s.valid_until.isoformat())
                          for s in state.extra_storage] or None,
        "harcama_birimi": (HarcamaBirimiItem(name=state.harcama_birimi.name, vkn=state.harcama_birimi.vkn)
                           if state.harcama_birimi else None),
        "informational_opt_out": state.informational_opt_out,
        "restrictions": sorted(r.value for r in state.restrictions) or None,
        "quota_blocked_channels": sorted(c.value for c in state.quota_blocked_channels) or None,
        "grace_deadline": _iso(state.grace_deadline),
        "grace_started_on": _iso(state.grace_started_on),
        "closed_on": _iso(state.closed_on),
        "closed_reason": state.closed_reason.value if state.closed_reason else None,
        "prepaid_period": _iso(state.prepaid_period),
        "usage_warned_period": _iso(state.usage_warned_period),
        "quota_announcements": sorted(state.quota_announcements) or None,
    }


class AccountRepository:
    def __init__(self, region: str, endpoint_url: str | None, shard_count: int) -> None:
        self._connection = Connection(region=region, host=endpoint_url)
        self.shard_count = shard_count

    def new_item(self, state: AccountState, contact: Contact) -> AccountModel:
        item = AccountModel(
            kep_address=state.kep_address,
            shard=shard_of(state.kep_address, self.shard_count),
            holder_name=contact.holder_name,
            contact_email=contact.contact_email,
            version=0,
        )
        for name, value in _attribute_values(state).items():
            setattr(item, name, value)
        return item

    def import_accounts(self, accounts: list[tuple[AccountState, Contact]]) -> None:
        with AccountModel.batch_write() as batch:
            for state, contact in accounts:
                batch.save(self.new_item(state, contact))

    def get(self, kep_address: str) -> AccountState | None:
        try:
            return to_state(AccountModel.get(kep_address, consistent_read=True))
        except DoesNotExist:
            return None

    def get_contact(self, kep_address: str) -> Contact | None:
        try:
            item = AccountModel.get(
                kep_address, attributes_to_get=["kep_address", "holder_name", "contact_email"]
            )
        except DoesNotExist:
            return None
        return Contact(item.kep_address, item.holder_name, item.contact_email)

    def due_addresses(self, up_to: date, since: date | None = None) -> Iterator[str]:
        """Yield active accounts whose renewal date is on or before `up_to` (and on or after `since`)."""
        for shard in range(self.shard_count):
            condition = (AccountModel.next_renewal <= up_to.isoformat() if since is None
                         else AccountModel.next_renewal.between(since.isoformat(), up_to.isoformat()))
            for key in AccountModel.due_index.query(shard, condition):
                yield key.kep_address

    def grace_addresses(self) -> Iterator[str]:
        """Yield every account in a grace period."""
        for shard in range(self.shard_count):
            for key in AccountModel.grace_index.query(shard, AccountModel.grace_deadline >= "0"):
                yield key.kep_address

    def scan_all(self) -> Iterator[tuple[AccountState, Contact]]:
        for item in AccountModel.scan():
            yield to_state(item), Contact(item.kep_address, item.holder_name, item.contact_email)

    def add_balance(self, kep_address: str, amount_kurus: int) -> None:
        """Credit a top-up atomically; the version bump makes concurrent rule writes re-read."""
        AccountModel(kep_address).update(
            actions=[AccountModel.balance_kurus.add(amount_kurus), AccountModel.version.add(1)],
            condition=AccountModel.kep_address.exists(),
        )

    def set_usage(self, kep_address: str, used_bytes: int) -> None:
        AccountModel(kep_address).update(
            actions=[AccountModel.used_bytes.set(used_bytes), AccountModel.version.add(1)],
            condition=AccountModel.kep_address.exists(),
        )

    def apply(self, transition: Transition, notice_shards: int, created_at: str) -> None:
        """Write the account change, its fee collection and its notices in one transaction.

        The account write is conditional on the version that was read, the ledger item on
        not existing yet, and each notice on not existing yet. Any failed condition cancels
        the whole write and raises ConcurrentChange.
        """
        before = _attribute_values(transition.before)
        after = _attribute_values(transition.after)
        actions = [AccountModel.version.add(1)]
        for name, value in after.items():
            if value == before[name]:
                continue
            attribute = getattr(AccountModel, name)
            actions.append(attribute.remove() if value is None else attribute.set(value))

        try:
            with TransactWrite(connection=self._connection) as transaction:
                transaction.update(
                    AccountModel(transition.before.kep_address),
                    actions=actions,
                    condition=AccountModel.version == transition.before.version,
                )
                if transition.fee is not None:
                    fee = transition.fee
                    transaction.save(
                        LedgerModel(
                            kep_address=transition.before.kep_address,
                            period_start=fee.period_start.isoformat(),
                            amount_kurus=fee.amount_kurus,
                            collected_on=fee.collected_on.isoformat(),
                            source=fee.source.value,
                        ),
                        condition=LedgerModel.period_start.does_not_exist(),
                    )
                for draft in transition.notices:
                    transaction.save(
                        new_notice_item(transition.before.kep_address, draft, notice_shards, created_at,
                                        suppressed=draft.kind in _suppressed_kinds(transition.after)),
                        condition=NoticeModel.notice_key.does_not_exist(),
                    )
        except TransactWriteError as exc:
            if exc.cause_response_code == "TransactionCanceledException":
                raise ConcurrentChange(transition.before.kep_address) from exc
            raise


def _suppressed_kinds(state: AccountState) -> frozenset[str]:
    return frozenset(kind.value for kind in INFORMATIONAL_KINDS) if state.informational_opt_out else frozenset()


# Attributes the quota scan reads; the holder's name, contact address and Harcama Birimi stay unread.
SCAN_ATTRIBUTES = (
    "kep_address", "account_type", "balance_kurus", "renewal_date", "anniversary", "used_bytes",
    "quota_bytes", "auto_renew", "status", "extra_storage", "informational_opt_out", "restrictions",
    "quota_blocked_channels", "grace_deadline", "usage_warned_period", "quota_announcements", "version",
)


class SegmentScanner:
    """Pages through one parallel-scan segment, resumable from a DynamoDB start key."""

    def __init__(self, segment: int, total_segments: int, start_key: dict | None, page_size: int) -> None:
        self._result = AccountModel.scan(
            segment=segment, total_segments=total_segments, last_evaluated_key=start_key,
            page_size=page_size, attributes_to_get=list(SCAN_ATTRIBUTES),
        )

    def __iter__(self) -> Iterator[AccountState]:
        for item in self._result:
            yield to_state(item)

    @property
    def resume_key(self) -> dict | None:
        """The key after the last account yielded; None once the segment is exhausted."""
        return self._result.last_evaluated_key
