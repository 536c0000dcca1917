"""The quota rule and scan on moto: restriction per channel, lifting, warnings, fan-out and hand-over."""

import json
from datetime import date

import pytest

from kep_lifecycle.domain.account import AccountType, Channel, ExtraStorage, Restriction, Status
from kep_lifecycle.domain.enforcement import EnforcementTableError, load_enforcement
from kep_lifecycle.services import account_events
from kep_lifecycle.services.jobs import JobReport, JobRequest
from kep_lifecycle.services.quota_scan import SegmentTask, check_account, scan_segment, start_scan
from kep_lifecycle.services.renewal import run_renewal

from conftest import make_account, store
from helpers import notice_context, notices_of

MB = 1_048_576
QUOTA = 100 * MB
ADDRESS = "ayse.demir.1@hs01.kep.tr"


def scan_all(runtime, day: date, segments: int = 2):
    report = JobReport("quota_scan", day, False)
    for segment in range(segments):
        task = SegmentTask(day.isoformat(), segment, segments)
        while task is not None:
            part, task = scan_segment(runtime, task, lambda: 10**9)
            report.counts.update(part.counts)
    return report


def test_one_byte_over_quota_restricts_both_channels(runtime):
    store(runtime, make_account(used_bytes=QUOTA + 1))

    scan_all(runtime, date(2025, 3, 10))

    account = runtime.accounts.get(ADDRESS)
    assert account.restrictions == frozenset({Restriction.QUOTA})
    assert account.blocked_channels == (Channel.WEBMAIL, Channel.WEB_SERVICE)
    assert notices_of(ADDRESS) == [("quota_restricted#2025-03-10#0", "2025-03-10")]
    context = notice_context(ADDRESS, "quota_restricted#2025-03-10#0")
    assert context["over_bytes"] == 1
    assert context["quota_bytes"] == 104857600
    assert context["channels"] == ["webmail", "web_service"]


def test_usage_exactly_at_quota_not_restricted(runtime):
    store(runtime, make_account(used_bytes=QUOTA))

    scan_all(runtime, date(2025, 3, 10))

    account = runtime.accounts.get(ADDRESS)
    assert account.restrictions == frozenset()
    assert account.blocked_channels == ()
    assert notices_of(ADDRESS) == [("quota_warning#2025-03-01", "2025-03-10")]


def test_storage_bought_day_after_restriction_lifts(runtime):
    store(runtime, make_account(used_bytes=150 * MB, renewal_date=date(2025, 6, 1)))
    scan_all(runtime, date(2025, 3, 10))

    account_events.purchase_storage(runtime, ADDRESS, date(2025, 3, 11), 250, date(2025, 6, 1))
    scan_all(runtime, date(2025, 3, 11))

    account = runtime.accounts.get(ADDRESS)
    assert account.quota_bytes == 350 * MB
    assert account.restrictions == frozenset()
    assert account.blocked_channels == ()
    assert [key for key, _ in notices_of(ADDRESS)] == [
        "quota_restricted#2025-03-10#0",
        "quota_restriction_lifted#2025-03-11#2",
    ]
    assert notice_context(ADDRESS, "quota_restriction_lifted#2025-03-11#2")["channels"] == ["webmail", "web_service"]


def test_public_institution_and_company_between_web_service_starts(runtime):
    kamu = make_account("belediye@belediye.hs01.kep.tr", account_type=AccountType.PUBLIC_INSTITUTION,
                        used_bytes=QUOTA + 10)
    company = make_account("acme@acme.hs01.kep.tr", account_type=AccountType.COMPANY, used_bytes=QUOTA + 10)
    store(runtime, kamu, company)

    scan_all(runtime, date(2024, 9, 15))

    assert runtime.accounts.get("belediye@belediye.hs01.kep.tr").blocked_channels == (Channel.WEBMAIL,)
    assert runtime.accounts.get("acme@acme.hs01.kep.tr").blocked_channels == (Channel.WEBMAIL, Channel.WEB_SERVICE)
    assert [key for key, _ in notices_of("belediye@belediye.hs01.kep.tr")] == [
        "quota_enforcement_announcement#web_service#2024-10-01#first",
        "quota_restricted#2024-09-15#0",
    ]


def test_public_institution_web_service_restricted_on_start_date(runtime):
    store(runtime, make_account("belediye@belediye.hs01.kep.tr", account_type=AccountType.PUBLIC_INSTITUTION,
                                used_bytes=QUOTA + 10))
    for day in (date(2024, 9, 15), date(2024, 9, 24), date(2024, 9, 30), date(2024, 10, 1)):
        scan_all(runtime, day)

    account = runtime.accounts.get("belediye@belediye.hs01.kep.tr")
    assert account.blocked_channels == (Channel.WEBMAIL, Channel.WEB_SERVICE)
    assert [key for key, _ in notices_of("belediye@belediye.hs01.kep.tr")] == [
        "quota_enforcement_announcement#web_service#2024-10-01#7",
        "quota_enforcement_announcement#web_service#2024-10-01#first",
        "quota_restricted#2024-09-15#0",
        "quota_restricted#2024-10-01#2",
    ]


def test_usage_drop_lifts_restriction(runtime):
    store(runtime, make_account(used_bytes=120 * MB))
    scan_all(runtime, date(2025, 3, 10))

    account_events.change_usage(runtime, ADDRESS, 60 * MB)
    scan_all(runtime, date(2025, 3, 12))

    account = runtime.accounts.get(ADDRESS)
    assert account.restrictions == frozenset()
    assert notices_of(ADDRESS)[-1] == ("quota_restriction_lifted#2025-03-12#2", "2025-03-12")


def test_quota_warning_sent_once_per_period(runtime):
    store(runtime, make_account(used_bytes=91 * MB, renewal_date=date(2025, 6, 1)))

    scan_all(runtime, date(2025, 3, 10))
    account_events.change_usage(runtime, ADDRESS, 95 * MB)
    scan_all(runtime, date(2025, 3, 11))
    scan_all(runtime, date(2025, 3, 12))

    assert notices_of(ADDRESS) == [("quota_warning#2025-06-01", "2025-03-10")]
    assert notice_context(ADDRESS, "quota_warning#2025-06-01")["percent"] == 91


def test_closed_account_never_restricted_or_notified(runtime):
    store(runtime, make_account(used_bytes=500 * MB, status=Status.CLOSED, closed_on=date(2025, 1, 5)))

    report = scan_all(runtime, date(2025, 3, 10))

    account = runtime.accounts.get(ADDRESS)
    assert report.counts["scanned"] == 1
    assert account.restrictions == frozenset()
    assert notices_of(ADDRESS) == []


def test_quota_drop_at_renewal_restricts_same_day(runtime):
    storage = (ExtraStorage(250, date(2025, 3, 1)),)
    store(runtime, make_account(used_bytes=200 * MB, extra_storage=storage, as_of=date(2025, 2, 1)))

    run_renewal(runtime, JobRequest(as_of=date(2025, 3, 1)))

    account = runtime.accounts.get(ADDRESS)
    assert account.quota_bytes == QUOTA
    assert account.restrictions == frozenset({Restriction.QUOTA})
    assert ("quota_restricted#2025-03-01#1", "2025-03-01") in notices_of(ADDRESS)


def test_pagination_and_handover_cover_every_account(runtime, monkeypatch):
    accounts = [make_account(f"kisi.{n}@hs01.kep.tr", used_bytes=(QUOTA + 1) if n % 3 == 0 else MB)
                for n in range(25)]
    store(runtime, *accounts)
    object.__setattr__(runtime.settings, "scan_page_size", 3)
    object.__setattr__(runtime.settings, "scan_reserve_ms", 500)
    clock = {"left": 0}

    def remaining_ms():
        # Every account scanned costs 200 ms of a 1.5-second budget, so a worker hands over often.
        clock["left"] -= 200
        return clock["left"]

    handovers, tasks = 0, [SegmentTask("2025-03-10", segment, 2) for segment in range(2)]
    counts = JobReport("quota_scan", date(2025, 3, 10), False).counts
    while tasks:
        task = tasks.pop()
        clock["left"] = 1500
        report, rest = scan_segment(runtime, task, remaining_ms)
        counts.update(report.counts)
        if rest is not None:
            handovers += 1
            assert rest.handovers == task.handovers + 1
            tasks.append(SegmentTask.from_message(rest.to_message()))

    assert counts["scanned"] == 25
    assert counts["quota_restricted"] == 9
    assert handovers >= 3
    restricted = sorted(a.kep_address for a in accounts
                        if Restriction.QUOTA in runtime.accounts.get(a.kep_address).restrictions)
    assert restricted == sorted(f"kisi.{n}@hs01.kep.tr" for n in range(0, 25, 3))


def test_fan_out_queues_one_task_per_segment(runtime, endpoint_url):
    import boto3

    store(runtime, make_account(used_bytes=QUOTA + 1))
    report = start_scan(runtime, JobRequest(as_of=date(2025, 3, 10)), lambda: 10**9)

    sqs = boto3.client("sqs", endpoint_url=endpoint_url, region_name="eu-central-1")
    bodies = []
    while True:
        messages = sqs.receive_message(QueueUrl=runtime.settings.quota_scan_queue_url,
                                       MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            break
        bodies.extend(json.loads(m["Body"]) for m in messages)
        for message in messages:
            sqs.delete_message(QueueUrl=runtime.settings.quota_scan_queue_url, ReceiptHandle=message["ReceiptHandle"])

    assert report.counts["segments_queued"] == 2
    assert sorted(body["segment"] for body in bodies) == [0, 1]
    assert {body["as_of"] for body in bodies} == {"2025-03-10"}
    assert runtime.accounts.get(ADDRESS).restrictions == frozenset()


def test_dry_run_scan_writes_nothing(runtime):
    store(runtime, make_account(used_bytes=QUOTA + 1))

    report = start_scan(runtime, JobRequest(as_of=date(2025, 3, 10), dry_run=True), lambda: 10**9)

    assert report.counts["quota_restricted"] == 1
    assert report.planned[0]["notices"] == ["quota_restricted#2025-03-10#0"]
    assert runtime.accounts.get(ADDRESS).restrictions == frozenset()
    assert notices_of(ADDRESS) == []


def test_stream_record_of_usage_drop_lifts_within_minutes(runtime, endpoint_url):
    from kep_lifecycle.local.event_sources import StreamPump
    from kep_lifecycle.local.runner import LocalContext, load_handler

    store(runtime, make_account(used_bytes=120 * MB))
    check_account(runtime, ADDRESS, date(2025, 3, 10), JobReport("quota_scan", date(2025, 3, 10), False))
    stream = StreamPump(endpoint_url, "eu-central-1", runtime.settings.accounts_table)

    account_events.change_usage(runtime, ADDRESS, 10 * MB)
    response = load_handler("quota_scan")({"Records": stream.read(date(2025, 3, 10))}, LocalContext("q"))

    assert response["batchItemFailures"] == []
    assert runtime.accounts.get(ADDRESS).restrictions == frozenset()
    assert notices_of(ADDRESS)[-1] == ("quota_restriction_lifted#2025-03-10#2", "2025-03-10")


def test_enforcement_table_from_configuration():
    table = load_enforcement(json.dumps({
        "webmail": {t: "always" for t in ("gercek_kisi", "tuzel_kisi", "diger_tuzel_kisi", "kamu_kurumu")},
        "web_service": {"gercek_kisi": "2026-01-01", "tuzel_kisi": "2026-01-01",
                        "diger_tuzel_kisi": "2026-01-01", "kamu_kurumu": "2026-02-01"},
    }))
    assert table.enforced_on(Channel.WEB_SERVICE, AccountType.PUBLIC_INSTITUTION, date(2026, 1, 31)) is False
    assert table.enforced_on(Channel.WEB_SERVICE, AccountType.PUBLIC_INSTITUTION, date(2026, 2, 1)) is True


@pytest.mark.parametrize("table, message", [
    ({"webmail": {"gercek_kisi": "sometimes"}},
     "QUOTA_ENFORCEMENT: webmail.gercek_kisi: invalid start 'sometimes'; write \"always\" or a date YYYY-MM-DD"),
    ({"webmail": {"sahis": "always"}},
     "QUOTA_ENFORCEMENT: webmail.sahis: unknown account type 'sahis'; expected one of gercek_kisi, tuzel_kisi, "
     "diger_tuzel_kisi, kamu_kurumu"),
    ({"fax": {}}, "QUOTA_ENFORCEMENT: unknown channel 'fax'; expected one of webmail, web_service"),
    ({"webmail": {"gercek_kisi": "always"}},
     "QUOTA_ENFORCEMENT: missing entries webmail.tuzel_kisi, webmail.diger_tuzel_kisi, webmail.kamu_kurumu, "
     "web_service.gercek_kisi, web_service.tuzel_kisi, web_service.diger_tuzel_kisi, web_service.kamu_kurumu; "
     "every channel needs a start for every account type"),
])
def test_invalid_enforcement_table_names_entry(table, message):
    with pytest.raises(EnforcementTableError) as error:
        load_enforcement(json.dumps(table))
    assert str(error.value) == message


def test_invalid_enforcement_table_fails_cold_start(function_env, monkeypatch):
    from kep_lifecycle.handlers import reset_runtime
    from kep_lifecycle.local.runner import LocalContext, load_handler

    monkeypatch.setenv("QUOTA_ENFORCEMENT", '{"webmail": {"gercek_kisi": "2024-13-01"}}')
    reset_runtime()
    with pytest.raises(EnforcementTableError, match="webmail.gercek_kisi: invalid start '2024-13-01'"):
        load_handler("quota_scan")({"as_of": "2025-03-10"}, LocalContext("q"))
    reset_runtime()
