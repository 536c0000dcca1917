"""Grace period, closure and reopening on moto."""

from datetime import date

import pytest

from kep_lifecycle.domain.account import AccountType, Restriction, Status, ClosedReason
from kep_lifecycle.domain.renewal import RuleViolation
from kep_lifecycle.services import account_events
from kep_lifecycle.services.closure import run_closure
from kep_lifecycle.services.jobs import JobRequest
from kep_lifecycle.services.renewal import run_renewal
from kep_lifecycle.services.reopening import reopen

from conftest import make_account, store
from helpers import ledger_of, notice_context, notices_of

ADDRESS = "ayse.demir.1@hs01.kep.tr"


def run_days(runtime, first: date, last: date, top_ups: dict | None = None):
    """Run renewal and closure for every day from first to last, applying top-ups at the start of a day."""
    top_ups = top_ups or {}
    day = first
    while day <= last:
        if day in top_ups:
            account_events.top_up(runtime, ADDRESS, top_ups[day])
        run_renewal(runtime, JobRequest(as_of=day))
        run_closure(runtime, JobRequest(as_of=day))
        day = date.fromordinal(day.toordinal() + 1)


def kinds(kep_address: str = ADDRESS) -> list[str]:
    return [key for key, _ in notices_of(kep_address)]


def test_top_up_on_deadline_day_saves_account(runtime):
    store(runtime, make_account(balance_kurus=1000))

    run_days(runtime, date(2025, 3, 1), date(2025, 3, 20), top_ups={date(2025, 3, 15): 6000})

    account = runtime.accounts.get(ADDRESS)
    assert account.status is Status.ACTIVE
    assert account.balance_kurus == 0
    assert account.renewal_date == date(2026, 3, 1)
    assert account.restrictions == frozenset()
    assert account.grace_deadline is None
    assert ledger_of(ADDRESS) == [("2025-03-01", 7000, "2025-03-15", "grace_collection")]
    assert notice_context(ADDRESS, "payment_received#2025-03-01")["period_end"] == "2026-02-28"


def test_no_top_up_closes_day_after_deadline(runtime):
    store(runtime, make_account(balance_kurus=1000))

    run_days(runtime, date(2025, 3, 1), date(2025, 3, 15))
    assert runtime.accounts.get(ADDRESS).status is Status.ACTIVE
    run_days(runtime, date(2025, 3, 16), date(2025, 3, 17))

    account = runtime.accounts.get(ADDRESS)
    assert account.status is Status.CLOSED
    assert account.closed_on == date(2025, 3, 16)
    assert account.closed_reason is ClosedReason.GRACE_EXPIRED
    assert account.balance_kurus == 1000
    assert ledger_of(ADDRESS) == []
    assert kinds() == [
        "account_closed#2025-03-01",
        "grace_reminder#2025-03-01#12",
        "grace_reminder#2025-03-01#7",
        "renewal_failed#2025-03-01",
    ]
    assert notices_of(ADDRESS)[1] == ("grace_reminder#2025-03-01#12", "2025-03-13")
    assert notices_of(ADDRESS)[2] == ("grace_reminder#2025-03-01#7", "2025-03-08")


def test_partial_top_up_closes_keeping_balance(runtime):
    store(runtime, make_account(balance_kurus=1000))

    run_days(runtime, date(2025, 3, 1), date(2025, 3, 16), top_ups={date(2025, 3, 10): 5999})

    account = runtime.accounts.get(ADDRESS)
    assert account.status is Status.CLOSED
    assert account.closed_on == date(2025, 3, 16)
    assert account.balance_kurus == 6999
    assert ledger_of(ADDRESS) == []


def test_first_run_five_days_late(runtime):
    store(runtime, make_account(balance_kurus=1000))

    run_days(runtime, date(2025, 3, 6), date(2025, 3, 21))

    account = runtime.accounts.get(ADDRESS)
    assert account.closed_on == date(2025, 3, 21)
    assert notice_context(ADDRESS, "renewal_failed#2025-03-01")["grace_deadline"] == "2025-03-20"
    assert notices_of(ADDRESS)[2] == ("grace_reminder#2025-03-01#7", "2025-03-13")


def test_no_reminder_after_payment(runtime):
    store(runtime, make_account(balance_kurus=1000))

    run_days(runtime, date(2025, 3, 1), date(2025, 3, 20), top_ups={date(2025, 3, 5): 6000})

    assert kinds() == ["payment_received#2025-03-01", "renewal_failed#2025-03-01"]


def test_closed_account_never_charged_or_reminded(runtime):
    store(runtime, make_account(balance_kurus=90000, status=Status.CLOSED, closed_on=date(2024, 12, 1)))

    run_days(runtime, date(2025, 1, 25), date(2025, 3, 5))

    assert runtime.accounts.get(ADDRESS).balance_kurus == 90000
    assert ledger_of(ADDRESS) == []
    assert notices_of(ADDRESS) == []


def test_top_up_during_closure_decision(runtime):
    """The top-up lands between the closure run's read and its write."""
    store(runtime, make_account(balance_kurus=1000))
    run_days(runtime, date(2025, 3, 1), date(2025, 3, 15))
    original_get = runtime.accounts.get
    interleaved = []

    def get_then_top_up(kep_address):
        state = original_get(kep_address)
        if not interleaved:
            interleaved.append(True)
            account_events.top_up(runtime, ADDRESS, 6000)
        return state

    runtime.accounts.get = get_then_top_up
    report = run_closure(runtime, JobRequest(as_of=date(2025, 3, 16)))
    runtime.accounts.get = original_get

    account = runtime.accounts.get(ADDRESS)
    assert report.counts["write_conflicts"] == 1
    assert report.counts["paid_in_grace"] == 1
    assert report.counts["closed"] == 0
    assert account.status is Status.ACTIVE
    assert account.balance_kurus == 0
    assert ledger_of(ADDRESS) == [("2025-03-01", 7000, "2025-03-16", "grace_collection")]
    assert "account_closed#2025-03-01" not in kinds()


def test_top_up_after_closure_is_not_charged(runtime):
    store(runtime, make_account(balance_kurus=1000))
    run_days(runtime, date(2025, 3, 1), date(2025, 3, 16))

    run_days(runtime, date(2025, 3, 17), date(2025, 3, 18), top_ups={date(2025, 3, 17): 9000})

    account = runtime.accounts.get(ADDRESS)
    assert account.status is Status.CLOSED
    assert account.balance_kurus == 10000
    assert ledger_of(ADDRESS) == []


def test_top_up_collected_from_stream_within_minutes(runtime, endpoint_url):
    from kep_lifecycle.local.event_sources import StreamPump
    from kep_lifecycle.local.runner import LocalContext, load_handler

    store(runtime, make_account(balance_kurus=1000))
    run_renewal(runtime, JobRequest(as_of=date(2025, 3, 1)))
    stream = StreamPump(endpoint_url, "eu-central-1", runtime.settings.accounts_table)

    account_events.top_up(runtime, ADDRESS, 6500)
    response = load_handler("closure")({"Records": stream.read(date(2025, 3, 4))}, LocalContext("c"))

    account = runtime.accounts.get(ADDRESS)
    assert response["batchItemFailures"] == []
    assert account.restrictions == frozenset()
    assert account.balance_kurus == 500
    assert ledger_of(ADDRESS) == [("2025-03-01", 7000, "2025-03-04", "grace_collection")]


def test_reopen_by_petition_collects_new_period_fee(runtime):
    store(runtime, make_account("acme@acme.hs01.kep.tr", account_type=AccountType.COMPANY, balance_kurus=9000,
                                status=Status.CLOSED, closed_on=date(2025, 1, 10),
                                restrictions=frozenset({Restriction.UNPAID})))

    reopen(runtime, "acme@acme.hs01.kep.tr", date(2025, 3, 20), "petition")

    account = runtime.accounts.get("acme@acme.hs01.kep.tr")
    assert account.status is Status.ACTIVE
    assert account.balance_kurus == 2000
    assert account.renewal_date == date(2026, 3, 20)
    assert account.restrictions == frozenset()
    assert account.closed_on is None
    assert ledger_of("acme@acme.hs01.kep.tr") == [("2025-03-20", 7000, "2025-03-20", "reopening")]
    assert kinds("acme@acme.hs01.kep.tr") == ["account_reopened#2025-03-20#0"]


def test_reopen_with_too_little_balance_changes_nothing(runtime):
    store(runtime, make_account(balance_kurus=6999, status=Status.CLOSED, closed_on=date(2025, 1, 10)))
    before = runtime.accounts.get(ADDRESS)

    with pytest.raises(RuleViolation) as rejected:
        reopen(runtime, ADDRESS, date(2025, 3, 20), "petition")

    assert rejected.value.code == "reopen_balance_too_low"
    assert rejected.value.params["shortfall_kurus"] == 1
    assert runtime.accounts.get(ADDRESS) == before
    assert runtime.accounts.get(ADDRESS).version == before.version
    assert ledger_of(ADDRESS) == []
    assert notices_of(ADDRESS) == []


def test_online_e_signature_for_company_rejected(runtime):
    store(runtime, make_account("acme@acme.hs01.kep.tr", account_type=AccountType.COMPANY, balance_kurus=50000,
                                status=Status.CLOSED, closed_on=date(2025, 1, 10)))

    with pytest.raises(RuleViolation) as rejected:
        reopen(runtime, "acme@acme.hs01.kep.tr", date(2025, 3, 20), "online_e_signature")

    assert rejected.value.code == "e_signature_natural_person_only"
    assert runtime.accounts.get("acme@acme.hs01.kep.tr").status is Status.CLOSED
    assert ledger_of("acme@acme.hs01.kep.tr") == []


def test_online_e_signature_for_natural_person_reopens(runtime):
    store(runtime, make_account(balance_kurus=7000, status=Status.CLOSED, closed_on=date(2025, 1, 10)))

    reopen(runtime, ADDRESS, date(2024, 2, 29), "online_e_signature")

    account = runtime.accounts.get(ADDRESS)
    assert account.renewal_date == date(2025, 2, 28)
    assert account.anniversary == "02-29"


def test_reopen_event_answers_in_turkish_and_english(runtime):
    from kep_lifecycle.local.runner import LocalContext, load_handler

    store(runtime, make_account("acme@acme.hs01.kep.tr", account_type=AccountType.COMPANY, balance_kurus=50000,
                                status=Status.CLOSED, closed_on=date(2025, 1, 10)))
    handler = load_handler("closure")

    answer = handler({"action": "reopen", "kep_address": "ACME@acme.hs01.kep.tr", "channel": "online_e_signature",
                      "as_of": "2025-03-20", "dry_run": False}, LocalContext("c"))

    assert answer["ok"] is False
    assert answer["error"] == "e_signature_natural_person_only"
    assert answer["message_tr"] == (
        "acme@acme.hs01.kep.tr hesabının türü tüzel kişi. E-imza / mobil imza ile çevrim içi yeniden açma yalnızca "
        "gerçek kişi hesaplarında kullanılabilir; başvuru şubeye dilekçeyle yapılmalıdır.")
    assert answer["message_en"].startswith("acme@acme.hs01.kep.tr is a company account.")


def test_kepctl_reopen_local_dry_run_then_apply(runtime, capsys):
    from kep_lifecycle.local.cli import main

    store(runtime, make_account(balance_kurus=8000, status=Status.CLOSED, closed_on=date(2025, 1, 10)))

    dry = main(["reopen", ADDRESS, "--channel", "petition", "--as-of", "2025-03-20", "--local"])
    dry_output = capsys.readouterr().out
    assert runtime.accounts.get(ADDRESS).status is Status.CLOSED
    applied = main(["reopen", ADDRESS, "--channel", "petition", "--as-of", "2025-03-20", "--local", "--apply"])
    applied_output = capsys.readouterr().out

    assert dry == 0
    assert dry_output == ("Deneme (dry run): ayse.demir.1@hs01.kep.tr yeniden açılabilir; 70,00 TL tahsil edilecek, "
                          "yeni dönem 20.03.2025 – 19.03.2026. Hiçbir şey yazılmadı; uygulamak için --apply verin.\n")
    assert applied == 0
    assert applied_output == ("ayse.demir.1@hs01.kep.tr yeniden açıldı: 70,00 TL tahsil edildi, yeni dönem "
                              "20.03.2025 – 19.03.2026, bakiye 10,00 TL.\n")
    assert runtime.accounts.get(ADDRESS).status is Status.ACTIVE


def test_kepctl_reopen_rejection_exits_non_zero(runtime, capsys):
    from kep_lifecycle.local.cli import main

    store(runtime, make_account(balance_kurus=100, status=Status.CLOSED, closed_on=date(2025, 1, 10)))

    code = main(["reopen", ADDRESS, "--channel", "petition", "--as-of", "2025-03-20", "--local", "--apply"])

    assert code == 1
    assert capsys.readouterr().err == (
        "ayse.demir.1@hs01.kep.tr yeniden açılamadı: bakiye (1,00 TL) yeni dönemin yıllık ücretini (70,00 TL) "
        "karşılamıyor. Eksik tutar 69,00 TL; bakiye yüklendikten sonra yeniden deneyin. Hiçbir değişiklik yapılmadı.\n")
    assert runtime.accounts.get(ADDRESS).status is Status.CLOSED
