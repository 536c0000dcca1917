"""The functions' event contract: scheduler events, manual operator runs, dry runs and clear errors."""

from datetime import date

import pytest

from kep_lifecycle.events import InvalidEvent, parse_job_event
from kep_lifecycle.local.runner import LocalContext, load_handler

from conftest import make_account, store
from helpers import ledger_of


def test_scheduler_event_takes_istanbul_date_of_scheduled_time():
    request = parse_job_event({"source": "kep-lifecycle.scheduler", "scheduled_time": "2025-02-28T21:30:00Z"})
    assert request.as_of == date(2025, 3, 1)
    assert request.dry_run is False
    assert request.kep_addresses is None


def test_manual_event_is_dry_run_unless_stated():
    request = parse_job_event({"as_of": "2025-03-01", "kep_addresses": ["Ayse.Demir.1@HS01.kep.tr"]})
    assert request.dry_run is True
    assert request.kep_addresses == ("ayse.demir.1@hs01.kep.tr",)


def test_manual_event_lists_every_problem():
    with pytest.raises(InvalidEvent) as error:
        parse_job_event({"as_of": "01.03.2025", "dry_run": "maybe", "kep_addresses": ["not-an-address"],
                         "force": True})
    message = str(error.value)
    assert message.startswith("invalid manual event: ")
    assert "as_of: Value error, as_of must be a date written YYYY-MM-DD (got '01.03.2025')" in message
    assert "dry_run: Input should be a valid boolean" in message
    assert "kep_addresses: Value error, 'not-an-address' is not a KEP address" in message
    assert "force: Extra inputs are not permitted (got True)" in message


def test_scheduler_event_without_time_zone_rejected():
    with pytest.raises(InvalidEvent, match="scheduled_time"):
        parse_job_event({"source": "kep-lifecycle.scheduler", "scheduled_time": "2025-03-01T00:30:00"})


def test_renewal_handler_dry_run(runtime):
    store(runtime, make_account(balance_kurus=7000))

    answer = load_handler("renewal")({"as_of": "2025-03-01"}, LocalContext("kep-renewal"))

    assert answer["dry_run"] is True
    assert answer["counts"] == {"renewed": 1}
    assert answer["planned"][0]["fee_kurus"] == 7000
    assert runtime.accounts.get("ayse.demir.1@hs01.kep.tr").balance_kurus == 7000
    assert ledger_of("ayse.demir.1@hs01.kep.tr") == []


def test_renewal_handler_scheduled_run_writes(runtime):
    store(runtime, make_account(balance_kurus=7000))

    answer = load_handler("renewal")({"source": "kep-lifecycle.scheduler",
                                      "scheduled_time": "2025-02-28T21:30:00Z"}, LocalContext("kep-renewal"))

    assert answer["as_of"] == "2025-03-01"
    assert answer["counts"]["renewed"] == 1
    assert ledger_of("ayse.demir.1@hs01.kep.tr") == [("2025-03-01", 7000, "2025-03-01", "renewal")]


def test_handler_limited_to_listed_addresses(runtime):
    store(runtime, make_account(balance_kurus=7000), make_account("ikinci@hs01.kep.tr", balance_kurus=7000))

    answer = load_handler("renewal")({"as_of": "2025-03-01", "dry_run": False,
                                      "kep_addresses": ["ikinci@hs01.kep.tr"]}, LocalContext("kep-renewal"))

    assert answer["counts"]["renewed"] == 1
    assert ledger_of("ikinci@hs01.kep.tr") == [("2025-03-01", 7000, "2025-03-01", "renewal")]
    assert ledger_of("ayse.demir.1@hs01.kep.tr") == []


def test_missing_table_setting_named_at_cold_start(function_env, monkeypatch):
    from kep_lifecycle.config import SettingsError
    from kep_lifecycle.handlers import reset_runtime

    monkeypatch.delenv("LEDGER_TABLE")
    reset_runtime()
    with pytest.raises(SettingsError, match="LEDGER_TABLE: Field required"):
        load_handler("renewal")({"as_of": "2025-03-01"}, LocalContext("kep-renewal"))
    reset_runtime()
