"""The output folder of a local run: final accounts, ledger, sent notices with their .eml files, summary."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from ..dal.models import LedgerModel, NoticeModel
from ..dal.notices import NoticeStatus
from ..domain.account import Restriction, Status
from ..services.runtime import Runtime


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def account_rows(runtime: Runtime) -> list[dict]:
    rows = []
    for state, _contact in runtime.accounts.scan_all():
        rows.append({
            "kep_address": state.kep_address,
            "account_type": state.account_type.value,
            "status": state.status.value,
            "renewal_date": state.renewal_date.isoformat(),
            "balance_kurus": state.balance_kurus,
            "quota_bytes": state.quota_bytes,
            "used_bytes": state.used_bytes,
            "restrictions": sorted(r.value for r in state.restrictions),
            "blocked_channels": [c.value for c in state.blocked_channels],
            "grace_deadline": _iso(state.grace_deadline),
            "closed_on": _iso(state.closed_on),
            "closed_reason": state.closed_reason.value if state.closed_reason else None,
            "auto_renew": state.auto_renew,
            "prepaid_period": _iso(state.prepaid_period),
        })
    return sorted(rows, key=lambda row: row["kep_address"])


def ledger_rows() -> list[dict]:
    rows = [{
        "kep_address": item.kep_address,
        "period_start": item.period_start,
        "amount_kurus": int(item.amount_kurus),
        "collected_on": item.collected_on,
        "source": item.source,
    } for item in LedgerModel.scan()]
    return sorted(rows, key=lambda row: (row["collected_on"], row["kep_address"], row["period_start"]))


def _eml_name(business_date: str, kind: str, kep_address: str, used_names: set[str]) -> str:
    base = f"{business_date}_{kind}_{re.sub(r'[^a-z0-9.@_-]', '_', kep_address)}"
    name, counter = f"{base}.eml", 2
    while name in used_names:
        name, counter = f"{base}_{counter}.eml", counter + 1
    used_names.add(name)
    return name


def write_outputs(runtime: Runtime, out_dir: Path, raw_by_message_id: dict[str, bytes], run_facts: dict) -> dict:
    """Write accounts.jsonl, ledger.jsonl, notices.jsonl, notices/*.eml; return the summary."""
    notices_dir = out_dir / "notices"
    notices_dir.mkdir(parents=True, exist_ok=True)

    accounts = account_rows(runtime)
    _write_jsonl(out_dir / "accounts.jsonl", accounts)

    ledger = ledger_rows()
    _write_jsonl(out_dir / "ledger.jsonl", ledger)

    sent = sorted(
        (item for item in NoticeModel.scan() if item.status == NoticeStatus.SENT.value),
        key=lambda item: (item.business_date, item.kep_address, item.notice_key),
    )
    used_names: set[str] = set()
    notice_rows = []
    missing_raw = 0
    for item in sent:
        file_name = _eml_name(item.business_date, item.kind, item.kep_address, used_names)
        raw = raw_by_message_id.get(item.message_id)
        if raw is None:
            missing_raw += 1
            file_name = None
        else:
            (notices_dir / file_name).write_bytes(raw)
        notice_rows.append({
            "kep_address": item.kep_address,
            "kind": item.kind,
            "date": item.business_date,
            "to": item.recipient,
            "subject": item.subject,
            "message_id": item.message_id,
            "file": f"notices/{file_name}" if file_name else None,
        })
    _write_jsonl(out_dir / "notices.jsonl", notice_rows)

    status_counts = Counter(row["status"] for row in accounts)
    return {
        **run_facts,
        "final_accounts": {
            "total": len(accounts),
            "active": status_counts.get(Status.ACTIVE.value, 0),
            "closed": status_counts.get(Status.CLOSED.value, 0),
            "in_grace": sum(1 for row in accounts if row["grace_deadline"]),
            "quota_restricted": sum(1 for row in accounts if Restriction.QUOTA.value in row["restrictions"]),
            "sending_restricted": sum(1 for row in accounts if row["blocked_channels"]),
        },
        "ledger": {"payments": len(ledger), "total_kurus": sum(row["amount_kurus"] for row in ledger)},
        "notices_sent": dict(sorted(Counter(row["kind"] for row in notice_rows).items())),
        "notices_without_raw_message": missing_raw,
    }
