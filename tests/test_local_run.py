"""kepctl run: input validation, the daily jobs over a date range, and the output folder."""

import json
from pathlib import Path

import pytest

from kep_lifecycle.local.cli import main

ACCOUNTS = [
    {"kep_address": "ayse.demir.1@hs01.kep.tr", "account_type": "gercek_kisi", "holder_name": "Ayşe Demir",
     "contact_email": "ayse@example.com", "balance_kurus": 7000, "renewal_date": "2025-03-01",
     "used_bytes": 73400320},
    {"kep_address": "acme@acme.hs01.kep.tr", "account_type": "tuzel_kisi",
     "holder_name": "Çağla <Öztürk> & Şükrü İnce Ortaklığı", "contact_email": "it@acme.example.com",
     "balance_kurus": 6999, "renewal_date": "2025-03-02", "used_bytes": 1000},
    {"kep_address": "kapali@hs01.kep.tr", "account_type": "gercek_kisi", "holder_name": "İsmail Işık",
     "contact_email": "ismail@example.org", "balance_kurus": 9000, "renewal_date": "2024-06-01",
     "used_bytes": 524288000, "status": "closed"},
]
EVENTS = [
    {"date": "2025-03-05", "kep_address": "acme@acme.hs01.kep.tr", "type": "balance_top_up", "amount_kurus": 1},
    {"date": "2025-03-06", "kep_address": "kapali@hs01.kep.tr", "type": "reopen_requested",
     "channel": "online_e_signature"},
    {"date": "2025-03-06", "kep_address": "ayse.demir.1@hs01.kep.tr", "type": "early_renewal"},
]


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join((row if isinstance(row, str) else json.dumps(row, ensure_ascii=False)) + "\n"
                            for row in rows), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("run")
    accounts = write_jsonl(folder / "accounts.jsonl", ACCOUNTS)
    events = write_jsonl(folder / "events.jsonl", EVENTS)
    code = main(["run", "--accounts", str(accounts), "--events", str(events), "--from", "2025-02-27",
                 "--to", "2025-03-07", "--out", str(folder / "out")])
    assert code == 0
    return folder / "out"


def test_run_writes_final_accounts(finished_run):
    accounts = {row["kep_address"]: row for row in read_jsonl(finished_run / "accounts.jsonl")}

    assert accounts["ayse.demir.1@hs01.kep.tr"] | {} == {
        **accounts["ayse.demir.1@hs01.kep.tr"],
        "status": "active", "renewal_date": "2026-03-01", "balance_kurus": 0, "quota_bytes": 104857600,
        "used_bytes": 73400320, "restrictions": [], "blocked_channels": [], "grace_deadline": None,
        "closed_on": None,
    }
    acme = accounts["acme@acme.hs01.kep.tr"]
    assert (acme["status"], acme["renewal_date"], acme["balance_kurus"]) == ("active", "2026-03-02", 0)
    assert acme["restrictions"] == []
    reopened = accounts["kapali@hs01.kep.tr"]
    assert (reopened["status"], reopened["renewal_date"], reopened["balance_kurus"]) == ("active", "2026-03-06", 2000)
    assert reopened["restrictions"] == ["quota"]
    assert reopened["blocked_channels"] == ["webmail", "web_service"]


def test_run_writes_ledger_and_notices(finished_run):
    assert read_jsonl(finished_run / "ledger.jsonl") == [
        {"kep_address": "ayse.demir.1@hs01.kep.tr", "period_start": "2025-03-01", "amount_kurus": 7000,
         "collected_on": "2025-03-01", "source": "renewal"},
        {"kep_address": "acme@acme.hs01.kep.tr", "period_start": "2025-03-02", "amount_kurus": 7000,
         "collected_on": "2025-03-05", "source": "grace_collection"},
        {"kep_address": "kapali@hs01.kep.tr", "period_start": "2025-03-06", "amount_kurus": 7000,
         "collected_on": "2025-03-06", "source": "reopening"},
    ]
    notices = read_jsonl(finished_run / "notices.jsonl")
    assert [(n["date"], n["kep_address"], n["kind"]) for n in notices] == [
        ("2025-03-01", "ayse.demir.1@hs01.kep.tr", "renewed"),
        ("2025-03-02", "acme@acme.hs01.kep.tr", "renewal_failed"),
        ("2025-03-05", "acme@acme.hs01.kep.tr", "payment_received"),
        ("2025-03-06", "kapali@hs01.kep.tr", "account_reopened"),
        ("2025-03-06", "kapali@hs01.kep.tr", "quota_restricted"),
    ]
    failed = notices[1]
    assert failed["to"] == "it@acme.example.com"
    assert failed["subject"].startswith("Çağla <Öztürk> & Şükrü İnce Ortaklığı: ")
    eml = (finished_run / failed["file"]).read_bytes()
    assert b"Message-ID" in eml
    assert failed["message_id"]


def test_run_summary_counts_and_rejections(finished_run):
    summary = json.loads((finished_run / "summary.json").read_text(encoding="utf-8"))

    assert summary["events"] == {"applied": 2, "balance_top_up": 1, "rejected": 1, "reopen_requested": 1}
    assert summary["rejected_events"] == [{
        "date": "2025-03-06", "kep_address": "ayse.demir.1@hs01.kep.tr", "type": "early_renewal",
        "reason": "balance_too_low", "params": {"kep_address": "ayse.demir.1@hs01.kep.tr", "fee_kurus": 7000,
                                                "balance_kurus": 0}}]
    assert summary["jobs"]["renewal"]["renewed"] == 1
    assert summary["jobs"]["renewal"]["grace_started"] == 1
    assert summary["jobs"]["closure"]["paid_in_grace"] == 1
    assert summary["ledger"] == {"payments": 3, "total_kurus": 21000}
    assert summary["final_accounts"]["closed"] == 0


def test_bad_accounts_file_rejected_whole_with_every_error(tmp_path, capsys):
    accounts = write_jsonl(tmp_path / "accounts.jsonl", [
        ACCOUNTS[0],
        {**ACCOUNTS[1], "account_type": "sirket", "balance_kurus": 69.99, "renewal_date": "2025-02-30"},
        "{not json",
        {**ACCOUNTS[0], "kep_address": "AYSE.DEMIR.1@hs01.kep.tr", "colour": "blue"},
        {key: value for key, value in ACCOUNTS[2].items() if key != "contact_email"},
    ])
    out = tmp_path / "out"

    code = main(["run", "--accounts", str(accounts), "--from", "2025-02-27", "--to", "2025-03-07",
                 "--out", str(out)])

    assert code == 2
    assert not out.exists()
    assert capsys.readouterr().err.splitlines() == [
        "Girdi reddedildi: 6 hata bulundu, hiçbir şey yazılmadı. Hataları düzeltip yeniden çalıştırın.",
        "  accounts.jsonl, satır 2, alan 'account_type', değer 'sirket': geçersiz değer; şunlardan biri olmalı: "
        "'gercek_kisi', 'tuzel_kisi', 'diger_tuzel_kisi', 'kamu_kurumu'",
        "  accounts.jsonl, satır 2, alan 'balance_kurus', değer 69.99: tam sayı olmalı (tırnaksız, ondalıksız)",
        "  accounts.jsonl, satır 2, alan 'renewal_date', değer '2025-02-30': takvimde olmayan bir tarih",
        "  accounts.jsonl, satır 3, alan '-', değer '{not json': satır geçerli bir JSON değil "
        "(Expecting property name enclosed in double quotes)",
        "  accounts.jsonl, satır 4, alan 'colour', değer 'blue': tanımsız alan; alan adını düzeltin ya da kaldırın",
        "  accounts.jsonl, satır 5, alan 'contact_email', değer (yok): zorunlu alan eksik",
    ]


def test_event_for_unknown_account_or_outside_run_rejected(tmp_path, capsys):
    accounts = write_jsonl(tmp_path / "accounts.jsonl", ACCOUNTS)
    events = write_jsonl(tmp_path / "events.jsonl", [
        {"date": "2025-03-20", "kep_address": "yok@hs01.kep.tr", "type": "balance_top_up", "amount_kurus": 0},
        {"date": "2025-03-01", "kep_address": "acme@acme.hs01.kep.tr", "type": "refund"},
    ])

    code = main(["run", "--lang", "en", "--accounts", str(accounts), "--events", str(events),
                 "--from", "2025-02-27", "--to", "2025-03-07", "--out", str(tmp_path / "out")])

    assert code == 2
    assert capsys.readouterr().err.splitlines() == [
        "Input rejected with 4 error(s); nothing was written. Fix them and run again.",
        "  events.jsonl, line 1, field 'amount_kurus', value 0: must be greater than 0",
        "  events.jsonl, line 1, field 'kep_address', value 'yok@hs01.kep.tr': no account with this KEP address "
        "in the accounts file",
        "  events.jsonl, line 1, field 'date', value '2025-03-20': the event date is outside the run "
        "(2025-02-27 to 2025-03-07)",
        "  events.jsonl, line 2, field 'type', value 'refund': invalid event type; expected one of "
        "'balance_top_up', 'usage_changed', 'storage_purchased', 'early_renewal', 'reopen_requested'",
    ]


def test_date_arguments_checked_before_anything_runs(tmp_path, capsys):
    accounts = write_jsonl(tmp_path / "accounts.jsonl", ACCOUNTS)

    code = main(["run", "--accounts", str(accounts), "--from", "2025-03-07", "--to", "2025-02-27",
                 "--out", str(tmp_path / "out")])

    assert code == 2
    assert capsys.readouterr().err == "--from (2025-03-07) --to (2025-02-27) tarihinden sonra olamaz.\n"


def test_invalid_enforcement_table_named_in_turkish(tmp_path, capsys):
    accounts = write_jsonl(tmp_path / "accounts.jsonl", ACCOUNTS)
    table = tmp_path / "enforcement.json"
    table.write_text('{"webmail": {"gercek_kisi": "2025-02-30"}}', encoding="utf-8")

    code = main(["run", "--accounts", str(accounts), "--from", "2025-02-27", "--to", "2025-03-07",
                 "--out", str(tmp_path / "out"), "--quota-enforcement", str(table)])

    assert code == 2
    assert capsys.readouterr().err == (
        f"Kota kısıtlama tablosu geçersiz: {table}: webmail.gercek_kisi: geçersiz başlangıç '2025-02-30'; "
        "\"always\" ya da YYYY-AA-GG biçiminde bir tarih yazın. Tabloyu düzeltip yeniden çalıştırın.\n")
    assert not (tmp_path / "out").exists()


def test_active_account_years_behind_rejected(tmp_path, capsys):
    accounts = write_jsonl(tmp_path / "accounts.jsonl", [{**ACCOUNTS[0], "renewal_date": "2023-01-10"}, ACCOUNTS[2]])

    code = main(["run", "--accounts", str(accounts), "--from", "2025-02-27", "--to", "2025-03-07",
                 "--out", str(tmp_path / "out")])

    assert code == 2
    assert capsys.readouterr().err.splitlines()[1] == (
        "  accounts.jsonl, satır 1, alan 'renewal_date', değer '2023-01-10': etkin bir hesabın yenileme tarihi "
        "çalıştırmanın ilk gününden bir yıldan fazla önce (2025-02-27); hesaptan kaçırılan her dönem için ücret "
        "alınırdı. Tarihi düzeltin ya da hesabı kapalı (closed) yazın")


def test_out_pointing_at_file_rejected(tmp_path, capsys):
    accounts = write_jsonl(tmp_path / "accounts.jsonl", ACCOUNTS)

    code = main(["run", "--accounts", str(accounts), "--from", "2025-02-27", "--to", "2025-03-07",
                 "--out", str(accounts)])

    assert code == 2
    assert capsys.readouterr().err == f"--out bir klasör olmalı; {accounts} bir dosya. Başka bir yol verin.\n"


def test_reopen_local_without_table_environment(monkeypatch, capsys):
    from kep_lifecycle.handlers import reset_runtime

    for name in ("ACCOUNTS_TABLE", "LEDGER_TABLE", "NOTICES_TABLE", "RUNS_TABLE"):
        monkeypatch.delenv(name, raising=False)
    reset_runtime()

    code = main(["reopen", "ayse.demir.1@hs01.kep.tr", "--channel", "petition", "--local"])

    assert code == 2
    assert capsys.readouterr().err.startswith("--local için tablo ortam değişkenleri eksik ya da geçersiz (")
