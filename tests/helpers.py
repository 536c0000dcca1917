"""Reading back what the jobs wrote, for assertions."""

from __future__ import annotations

from kep_lifecycle.dal.models import LedgerModel, NoticeModel


def ledger_of(kep_address: str) -> list[tuple[str, int, str, str]]:
    return [(item.period_start, int(item.amount_kurus), item.collected_on, item.source)
            for item in LedgerModel.query(kep_address)]


def notices_of(kep_address: str) -> list[tuple[str, str]]:
    return [(item.notice_key, item.business_date) for item in NoticeModel.query(kep_address)]


def notice_context(kep_address: str, notice_key: str) -> dict:
    return NoticeModel.get(kep_address, notice_key).context
