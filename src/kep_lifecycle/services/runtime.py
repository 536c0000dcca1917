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
from ..domain.tariff import TariffBook, load_tariff_book


def utc_timestamp() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Runtime:
    settings: Settings

    def __post_init__(self) -> None:
        bind_models(self.settings)

    @cached_property
    def tariffs(self) -> TariffBook:
        return load_tariff_book(self.settings.tariff_file)

    @cached_property
    def accounts(self) -> AccountRepository:
        return AccountRepository(self.settings.region, self.settings.endpoint_url, self.settings.shard_count)

    @cached_property
    def notices(self) -> NoticeRepository:
        return NoticeRepository(self.settings.shard_count)

    @cached_property
    def runs(self) -> RunRepository:
        return RunRepository()
