"""Tariffs: the annual fee and extra-storage prices, each tariff in force from its effective date."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, ValidationError, field_validator

DEFAULT_TARIFF_FILE = Path(__file__).with_name("tariffs.json")


class StoragePrice(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    megabytes: PositiveInt
    price_kurus: PositiveInt


class Tariff(BaseModel):
    """Prices in force from `effective_from` until the next tariff's effective date."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    effective_from: date
    annual_fee_kurus: PositiveInt
    storage_packages: tuple[StoragePrice, ...] = Field(min_length=1)
    further_gigabyte_kurus: PositiveInt

    @field_validator("storage_packages")
    @classmethod
    def _packages_ascending(cls, packages: tuple[StoragePrice, ...]) -> tuple[StoragePrice, ...]:
        sizes = [package.megabytes for package in packages]
        if sizes != sorted(set(sizes)):
            raise ValueError("storage packages must have distinct sizes in ascending order")
        return packages


class TariffBook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    tariffs: tuple[Tariff, ...] = Field(min_length=1)

    @field_validator("tariffs")
    @classmethod
    def _distinct_dates(cls, tariffs: tuple[Tariff, ...]) -> tuple[Tariff, ...]:
        dates = [tariff.effective_from for tariff in tariffs]
        if len(set(dates)) != len(dates):
            raise ValueError("two tariffs share an effective_from date")
        return tuple(sorted(tariffs, key=lambda tariff: tariff.effective_from))

    def in_force(self, day: date) -> Tariff:
        """Return the tariff in force on `day`; a renewal uses the one in force on its renewal date."""
        current = None
        for tariff in self.tariffs:
            if tariff.effective_from <= day:
                current = tariff
        if current is None:
            raise LookupError(f"no tariff is in force on {day.isoformat()}; the earliest starts "
                              f"{self.tariffs[0].effective_from.isoformat()}")
        return current

    def annual_fee(self, day: date) -> int:
        return self.in_force(day).annual_fee_kurus


@dataclass(frozen=True)
class TariffFileError(Exception):
    source: str
    detail: str

    def __str__(self) -> str:
        return f"invalid tariff file {self.source}: {self.detail}"


def load_tariff_book(path: Path | None = None) -> TariffBook:
    """Load and validate a tariff file; the shipped default is used when `path` is None."""
    source = path or DEFAULT_TARIFF_FILE
    try:
        return TariffBook.model_validate(json.loads(Path(source).read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError, ValidationError) as exc:
        raise TariffFileError(str(source), str(exc)) from exc
