"""Everything a job needs at run time, built once per process from validated settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property

from ..config import Settings
from ..dal.accounts import AccountRepository
from ..dal.models import bind_models
from ..dal.notices import NoticeRepository
from ..dal.runs import RunRepository
from ..domain.enforcement import EnforcementTable, load_enforcement
from ..domain.transition import Transition
from ..domain.tariff import TariffBook, load_tariff_book


def utc_timestamp() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Runtime:
    settings: Settings

    def __post_init__(self) -> None:
        bind_models(self.settings)

    def validate_configuration(self) -> None:
        """Load the tariff and enforcement tables now, so a bad one fails the cold start, naming the entry."""
        _ = self.tariffs, self.enforcement

    @cached_property
    def tariffs(self) -> TariffBook:
        return load_tariff_book(self.settings.tariff_file)

    @cached_property
    def enforcement(self) -> EnforcementTable:
        return load_enforcement(self.settings.quota_enforcement)

    @cached_property
    def accounts(self) -> AccountRepository:
        return AccountRepository(self.settings.region, self.settings.endpoint_url, self.settings.shard_count)

    @cached_property
    def notices(self) -> NoticeRepository:
        return NoticeRepository(self.settings.shard_count)

    @cached_property
    def runs(self) -> RunRepository:
        return RunRepository()

    def write(self, transition: Transition) -> None:
        """Write a transition atomically; raises ConcurrentChange when the account changed since it was read."""
        self.accounts.apply(transition, self.settings.shard_count, utc_timestamp())
