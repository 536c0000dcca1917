"""PynamoDB models of the tables defined in infra/template.yaml.

Key schemas and indexes here must match the template; a test compares them.
Table names and the endpoint are bound at start-up by `bind_models`, not at import.
"""

from __future__ import annotations

import zlib

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from ..config import Settings


def shard_of(kep_address: str, shard_count: int) -> int:
    """Spread items over the shards of the sparse indexes by a stable hash of the address."""
    return zlib.crc32(kep_address.encode("ascii")) % shard_count


class StorageItem(MapAttribute):
    megabytes = NumberAttribute()
    valid_until = UnicodeAttribute()


class HarcamaBirimiItem(MapAttribute):
    name = UnicodeAttribute(null=True)
    vkn = UnicodeAttribute(null=True)


class DueIndex(GlobalSecondaryIndex):
    """Active accounts awaiting their next renewal, by renewal date; sparse on `next_renewal`."""

    class Meta:
        index_name = "due-index"
        projection = KeysOnlyProjection()

    shard = NumberAttribute(hash_key=True)
    next_renewal = UnicodeAttribute(range_key=True)


class GraceIndex(GlobalSecondaryIndex):
    """Accounts in the grace period after a failed charge, by deadline; sparse on `grace_deadline`."""

    class Meta:
        index_name = "grace-index"
        projection = KeysOnlyProjection()

    shard = NumberAttribute(hash_key=True)
    grace_deadline = UnicodeAttribute(range_key=True)


class AccountModel(Model):
    class Meta:
        table_name = "unbound-accounts"

    kep_address = UnicodeAttribute(hash_key=True)
    shard = NumberAttribute()
    account_type = UnicodeAttribute()
    holder_name = UnicodeAttribute()
    contact_email = UnicodeAttribute()
    balance_kurus = NumberAttribute()
    renewal_date = UnicodeAttribute()
    anniversary = UnicodeAttribute()
    next_renewal = UnicodeAttribute(null=True)
    used_bytes = NumberAttribute()
    quota_bytes = NumberAttribute()
    auto_renew = BooleanAttribute()
    status = UnicodeAttribute()
    extra_storage = ListAttribute(of=StorageItem, null=True)
    harcama_birimi = HarcamaBirimiItem(null=True)
    informational_opt_out = BooleanAttribute()
    restrictions = ListAttribute(of=UnicodeAttribute, null=True)
    quota_blocked_channels = ListAttribute(of=UnicodeAttribute, null=True)
    grace_deadline = UnicodeAttribute(null=True)
    grace_started_on = UnicodeAttribute(null=True)
    closed_on = UnicodeAttribute(null=True)
    closed_reason = UnicodeAttribute(null=True)
    prepaid_period = UnicodeAttribute(null=True)
    usage_warned_period = UnicodeAttribute(null=True)
    quota_announcements = ListAttribute(of=UnicodeAttribute, null=True)
    version = NumberAttribute()

    due_index = DueIndex()
    grace_index = GraceIndex()


class LedgerModel(Model):
    """One collected annual fee; the (kep_address, period_start) key makes a second charge impossible."""

    class Meta:
        table_name = "unbound-ledger"

    kep_address = UnicodeAttribute(hash_key=True)
    period_start = UnicodeAttribute(range_key=True)
    amount_kurus = NumberAttribute()
    collected_on = UnicodeAttribute()
    source = UnicodeAttribute()


class PendingIndex(GlobalSecondaryIndex):
    """Notices not yet sent, by business date; sparse on `pending_shard`."""

    class Meta:
        index_name = "pending-index"
        projection = KeysOnlyProjection()

    pending_shard = NumberAttribute(hash_key=True)
    business_date = UnicodeAttribute(range_key=True)


class NoticeModel(Model):
    class Meta:
        table_name = "unbound-notices"

    kep_address = UnicodeAttribute(hash_key=True)
    notice_key = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute()
    business_date = UnicodeAttribute()
    context = JSONAttribute()
    status = UnicodeAttribute()
    pending_shard = NumberAttribute(null=True)
    created_at = UnicodeAttribute()
    claimed_at = UnicodeAttribute(null=True)
    attempts = NumberAttribute(default=0)
    last_error = UnicodeAttribute(null=True)
    subject = UnicodeAttribute(null=True)
    recipient = UnicodeAttribute(null=True)
    message_id = UnicodeAttribute(null=True)
    sent_at = UnicodeAttribute(null=True)

    pending_index = PendingIndex()


class RunModel(Model):
    """One completed job run for a business date: its counts, and the catch-up anchor of the next run."""

    class Meta:
        table_name = "unbound-runs"

    job = UnicodeAttribute(hash_key=True)
    as_of = UnicodeAttribute(range_key=True)
    finished_at = UnicodeAttribute()
    counts = JSONAttribute()


MODELS_BY_SETTING = {
    "accounts_table": AccountModel,
    "ledger_table": LedgerModel,
    "notices_table": NoticeModel,
    "runs_table": RunModel,
}


def bind_models(settings: Settings) -> None:
    """Point every model at its table, region and (locally) endpoint."""
    for setting_name, model in MODELS_BY_SETTING.items():
        model.Meta.table_name = getattr(settings, setting_name)
        model.Meta.region = settings.region
        model.Meta.host = settings.endpoint_url
        # PynamoDB caches a connection per model; drop it so the new binding takes effect.
        model._connection = None
