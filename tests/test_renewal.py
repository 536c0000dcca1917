"""The renewal job on moto: fee collection, grace start, cancellation, early renewal, idempotency."""

from datetime import date

import pytest

from kep_lifecycle.domain.account import Restriction, Status, Channel, ExtraStorage
from kep_lifecycle.domain.renewal import RuleViolation
from kep_lifecycle.services import account_events
from kep_lifecycle.services.jobs import JobRequest
from kep_lifecycle.services.renewal import reminder_windows, run_renewal

from conftest import make_account, store
from helpers import ledger_of, notice_context, notices_of

ADDRESS = "ayse.demir.1@hs01.kep.tr"
MB = 1_048_576


def renew(runtime, day: date, **kwargs):
    return run_renewal(runtime, JobRequest(as_of=day, **kwargs))


def test_balance_equal_to_fee_renews(runtime):
    store(runtime, make_account(balance_kurus=7000))

    report = renew(runtime, date(2025, 3, 1))

    account = runtime.accounts.get(ADDRESS)
    assert report.counts["renewed"] == 1
    assert account.balance_kurus == 0
    assert account.renewal_date == date(2026, 3, 1)
    assert account.restrictions == frozenset()
    assert ledger_of(ADDRESS) == [("2025-03-01", 7000, "2025-03-01", "renewal")]
    assert notices_of(ADDRESS) == [("renewed#2025-03-01", "2025-03-01")]
    context = notice_context(ADDRESS, "renewed#2025-03-01")
    assert context["fee_kurus"] == 7000
    assert context["period_end"] == "2026-02-28"
    assert context["quota_bytes"] == 100 * MB


def test_one_kurus_short_starts_grace(runtime):
    store(runtime, make_account(balance_kurus=6999))

    report = renew(runtime, date(2025, 3, 1))

    account = runtime.accounts.get(ADDRESS)
    assert report.counts["grace_started"] == 1
    assert account.balance_kurus == 6999
    assert account.renewal_date == date(2025, 3, 1)
    assert account.restrictions == frozenset({Restriction.UNPAID})
    assert account.blocked_channels == (Channel.WEBMAIL, Channel.WEB_SERVICE)
    assert account.grace_started_on == date(2025, 3, 1)
    assert account.grace_deadline == date(2025, 3, 15)
    assert ledger_of(ADDRESS) == []
    context = notice_context(ADDRESS, "renewal_failed#2025-03-01")
    assert context["shortfall_kurus"] == 1
    assert context["grace_deadline"] == "2025-03-15"
    assert context["closing_date"] == "2025-03-16"


def test_account_in_grace_not_charged_again_by_renewal(runtime):
    store(runtime, make_account(balance_kurus=6999))
    renew(runtime, date(2025, 3, 1))
    account_events.top_up(runtime, ADDRESS, 5000)

    report = renew(runtime, date(2025, 3, 2))

    assert report.counts == {}
    assert ledger_of(ADDRESS) == []


def test_auto_renew_off_closes_without_charge(runtime):
    store(runtime, make_account(balance_kurus=15000, auto_renew=False))

    report = renew(runtime, date(2025, 3, 1))

    account = runtime.accounts.get(ADDRESS)
    assert report.counts["subscription_ended"] == 1
    assert account.status is Status.CLOSED
    assert account.closed_on == date(2025, 3, 1)
    assert account.balance_kurus == 15000
    assert ledger_of(ADDRESS) == []
    assert notices_of(ADDRESS) == [("subscription_ended#2025-03-01", "2025-03-01")]


def test_early_renewal_not_charged_twice(runtime):
    store(runtime, make_account(balance_kurus=15000))

    account_events.renew_early(runtime, ADDRESS, date(2025, 2, 10))
    with pytest.raises(RuleViolation) as second:
        account_events.renew_early(runtime, ADDRESS, date(2025, 2, 11))
    report = renew(runtime, date(2025, 3, 1))

    account = runtime.accounts.get(ADDRESS)
    assert second.value.code == "period_already_paid"
    assert report.counts["renewed_prepaid"] == 1
    assert account.balance_kurus == 8000
    assert account.renewal_date == date(2026, 3, 1)
    assert account.prepaid_period is None
    assert ledger_of(ADDRESS) == [("2025-03-01", 7000, "2025-02-10", "early_renewal")]
    context = notice_context(ADDRESS, "renewed#2025-03-01")
    assert context["paid_earlier"] is True
    assert context["fee_kurus"] is None


def test_early_renewal_with_short_balance_rejected(runtime):
    store(runtime, make_account(balance_kurus=6999))

    with pytest.raises(RuleViolation) as rejected:
        account_events.renew_early(runtime, ADDRESS, date(2025, 2, 10))

    assert rejected.value.code == "balance_too_low"
    assert runtime.accounts.get(ADDRESS).balance_kurus == 6999
    assert ledger_of(ADDRESS) == []


def test_quota_falls_back_at_renewal(runtime):
    storage = (ExtraStorage(500, date(2025, 3, 1)), ExtraStorage(250, date(2026, 3, 1)))
    store(runtime, make_account(balance_kurus=7000, extra_storage=storage, as_of=date(2025, 2, 1)))
    assert runtime.accounts.get(ADDRESS).quota_bytes == 850 * MB

    renew(runtime, date(2025, 3, 1))

    account = runtime.accounts.get(ADDRESS)
    assert account.quota_bytes == 350 * MB
    assert account.extra_storage == (ExtraStorage(250, date(2026, 3, 1)),)


def test_same_run_repeated_charges_once(runtime):
    store(runtime, make_account(balance_kurus=20000))

    first = renew(runtime, date(2025, 3, 1))
    second = renew(runtime, date(2025, 3, 1))

    assert first.counts["renewed"] == 1
    assert second.counts == {}
    assert runtime.accounts.get(ADDRESS).balance_kurus == 13000
    assert ledger_of(ADDRESS) == [("2025-03-01", 7000, "2025-03-01", "renewal")]
    assert notices_of(ADDRESS) == [("renewed#2025-03-01", "2025-03-01")]


def test_overlapping_runs_charge_once(runtime):
    """Run B renews the account between run A's read and run A's write."""
    store(runtime, make_account(balance_kurus=20000))
    original_get = runtime.accounts.get
    overlapped = []

    def get_then_let_other_run_finish(kep_address):
        state = original_get(kep_address)
        if not overlapped:
            overlapped.append(True)
            renew(runtime, date(2025, 3, 1))
        return state

    runtime.accounts.get = get_then_let_other_run_finish
    report_a = renew(runtime, date(2025, 3, 1))
    runtime.accounts.get = original_get

    assert report_a.counts["write_conflicts"] == 1
    assert report_a.counts["renewed"] == 0
    assert runtime.accounts.get(ADDRESS).balance_kurus == 13000
    assert ledger_of(ADDRESS) == [("2025-03-01", 7000, "2025-03-01", "renewal")]
    assert notices_of(ADDRESS) == [("renewed#2025-03-01", "2025-03-01")]


def test_concurrent_runs_in_threads_charge_each_account_once(runtime):
    from concurrent.futures import ThreadPoolExecutor

    accounts = [make_account(f"kisi.{n}@hs01.kep.tr", balance_kurus=10000) for n in range(40)]
    store(runtime, *accounts)

    with ThreadPoolExecutor(max_workers=3) as pool:
        reports = list(pool.map(lambda _: renew(runtime, date(2025, 3, 1)), range(3)))

    assert sum(report.counts["renewed"] for report in reports) == 40
    for account in accounts:
        assert ledger_of(account.kep_address) == [("2025-03-01", 7000, "2025-03-01", "renewal")]
        assert runtime.accounts.get(account.kep_address).balance_kurus == 3000
        assert notices_of(account.kep_address) == [("renewed#2025-03-01", "2025-03-01")]


def test_missed_days_caught_up(runtime):
    store(runtime, make_account(balance_kurus=7000),
          make_account("eksik.bakiye@hs01.kep.tr", balance_kurus=100, renewal_date=date(2025, 3, 2)))

    report = renew(runtime, date(2025, 3, 4))

    assert report.counts["renewed"] == 1
    assert report.counts["grace_started"] == 1
    assert ledger_of(ADDRESS) == [("2025-03-01", 7000, "2025-03-04", "renewal")]
    assert runtime.accounts.get(ADDRESS).renewal_date == date(2026, 3, 1)
    late = runtime.accounts.get("eksik.bakiye@hs01.kep.tr")
    assert late.renewal_date == date(2025, 3, 2)
    assert late.grace_deadline == date(2025, 3, 18)


def test_leap_day_account_renews_on_28_february(runtime):
    store(runtime, make_account(balance_kurus=7000, renewal_date=date(2024, 2, 29)))

    renew(runtime, date(2024, 2, 29))

    assert runtime.accounts.get(ADDRESS).renewal_date == date(2025, 2, 28)
    assert runtime.accounts.get(ADDRESS).anniversary == "02-29"


def test_reminders_sent_30_and_7_days_before(runtime):
    store(runtime, make_account(balance_kurus=5000))

    day_30 = renew(runtime, date(2025, 1, 30))
    day_29 = renew(runtime, date(2025, 1, 31))
    day_7 = renew(runtime, date(2025, 2, 22))

    assert day_30.counts["renewal_reminder"] == 1
    assert day_29.counts == {}
    assert day_7.counts["renewal_reminder"] == 1
    assert notices_of(ADDRESS) == [
        ("renewal_reminder#2025-03-01#30", "2025-01-30"),
        ("renewal_reminder#2025-03-01#7", "2025-02-22"),
    ]
    context = notice_context(ADDRESS, "renewal_reminder#2025-03-01#7")
    assert context["days_left"] == 7
    assert context["shortfall_kurus"] == 2000
    assert context["balance_kurus"] == 5000


def test_missed_reminder_day_caught_up(runtime):
    store(runtime, make_account(), make_account("ikinci@hs01.kep.tr", renewal_date=date(2025, 3, 2)))
    renew(runtime, date(2025, 1, 28))

    report = renew(runtime, date(2025, 1, 31))

    assert report.counts["renewal_reminder"] == 2
    assert notices_of(ADDRESS) == [("renewal_reminder#2025-03-01#30", "2025-01-31")]


def test_reminder_windows_after_missed_runs():
    assert reminder_windows(date(2025, 1, 31), date(2025, 1, 30)) == [
        (date(2025, 2, 7), date(2025, 2, 7)), (date(2025, 3, 2), date(2025, 3, 2))]
    assert reminder_windows(date(2025, 1, 31), date(2025, 1, 28)) == [
        (date(2025, 2, 5), date(2025, 2, 7)), (date(2025, 2, 28), date(2025, 3, 2))]


def test_reminder_for_public_institution_without_harcama(runtime):
    from kep_lifecycle.domain.account import AccountType, HarcamaBirimi

    store(runtime, make_account("belediye@belediye.hs01.kep.tr", account_type=AccountType.PUBLIC_INSTITUTION,
                                harcama_birimi=HarcamaBirimi(name="Fen İşleri Müdürlüğü", vkn=None)))

    renew(runtime, date(2025, 1, 30))

    assert notices_of("belediye@belediye.hs01.kep.tr") == [
        ("harcama_birimi_missing#2025-03-01", "2025-01-30"),
        ("renewal_reminder#2025-03-01#30", "2025-01-30"),
    ]
    assert notice_context("belediye@belediye.hs01.kep.tr", "harcama_birimi_missing#2025-03-01")[
        "missing_fields"] == ["vkn"]


def test_dry_run_writes_nothing(runtime):
    store(runtime, make_account(balance_kurus=7000))

    report = renew(runtime, date(2025, 3, 1), dry_run=True)

    assert report.planned == [{"kep_address": ADDRESS, "outcome": "renewed", "fee_kurus": 7000,
                               "period_start": "2025-03-01", "notices": ["renewed#2025-03-01"]}]
    assert runtime.accounts.get(ADDRESS).balance_kurus == 7000
    assert ledger_of(ADDRESS) == []
    assert notices_of(ADDRESS) == []
