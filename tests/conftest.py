"""Fixtures: one moto server per test process, and fresh tables from infra/template.yaml per test."""

from __future__ import annotations

import itertools
import os
from datetime import date
from pathlib import Path

import pytest

from kep_lifecycle.config import settings_from_env
from kep_lifecycle.dal.accounts import Contact
from kep_lifecycle.domain.account import AccountState, AccountType, ExtraStorage, quota_on
from kep_lifecycle.domain.dates import anchor_of
from kep_lifecycle.handlers import reset_runtime
from kep_lifecycle.local.moto_server import LOCAL_REGION, moto_server, verify_sender
from kep_lifecycle.local.runner import LOCAL_ENVIRONMENT
from kep_lifecycle.local.stack import create_stack, load_template
from kep_lifecycle.services.runtime import Runtime

REPO_ROOT = Path(__file__).resolve().parents[1]
_table_prefixes = itertools.count()


@pytest.fixture(scope="session")
def endpoint_url():
    os.environ.update(LOCAL_ENVIRONMENT)
    with moto_server() as url:
        yield url


@pytest.fixture(scope="session")
def template():
    return load_template()


@pytest.fixture
def function_env(endpoint_url, template, monkeypatch):
    """Environment of the deployed functions, pointing at a fresh set of tables."""
    stack = create_stack(endpoint_url, LOCAL_REGION, f"test{next(_table_prefixes)}", template)
    environment = {**stack.environment, **LOCAL_ENVIRONMENT, "AWS_ENDPOINT_URL": endpoint_url}
    environment.pop("TEMPLATES_DIR")
    environment["SHARD_COUNT"] = "4"
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return environment


@pytest.fixture
def runtime(function_env, endpoint_url):
    reset_runtime()
    rt = Runtime(settings_from_env(function_env))
    verify_sender(endpoint_url, rt.settings.notice_sender)
    return rt


def make_account(
    kep_address: str = "ayse.demir.1@hs01.kep.tr",
    *,
    account_type: AccountType = AccountType.NATURAL_PERSON,
    balance_kurus: int = 15000,
    renewal_date: date = date(2025, 3, 1),
    used_bytes: int = 70 * 1_048_576,
    auto_renew: bool = True,
    extra_storage: tuple[ExtraStorage, ...] = (),
    as_of: date | None = None,
    **changes,
) -> AccountState:
    as_of = as_of or renewal_date
    return AccountState(
        kep_address=kep_address,
        account_type=account_type,
        balance_kurus=balance_kurus,
        renewal_date=renewal_date,
        anniversary=changes.pop("anniversary", anchor_of(renewal_date)),
        used_bytes=used_bytes,
        quota_bytes=quota_on(as_of, extra_storage),
        auto_renew=auto_renew,
        extra_storage=extra_storage,
        **changes,
    )


def store(runtime: Runtime, *states: AccountState, holder_name: str = "Ayşe Demir",
          contact_email: str = "ayse@example.com") -> None:
    runtime.accounts.import_accounts([(state, Contact(state.kep_address, holder_name, contact_email))
                                      for state in states])
