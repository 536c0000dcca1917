"""Runtime settings, read from the environment once per process and validated."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

REPO_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "notices"
LAYER_TEMPLATES = Path("/opt/templates/notices")


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    accounts_table: str = Field(min_length=3)
    ledger_table: str = Field(min_length=3)
    notices_table: str = Field(min_length=3)
    runs_table: str = Field(min_length=3)
    region: str = "eu-central-1"
    # Set only for a local moto server; on AWS the SDK's default endpoints are used.
    endpoint_url: str | None = None
    notice_sender: str = "KEP Hizmetleri <bildirim@kep.example.com.tr>"
    provider_name: str = "KEP Hizmetleri"
    portal_url: str = "https://portal.kep.example.com.tr"
    # Number of write shards behind the sparse indexes; fixed once accounts exist.
    shard_count: int = Field(default=16, ge=1, le=256)
    tariff_file: Path | None = None
    # Quota enforcement table as inline JSON; the shipped default applies when unset.
    quota_enforcement: str | None = None
    quota_scan_queue_url: str | None = None
    quota_scan_segments: int = Field(default=64, ge=1, le=1000)
    scan_page_size: int = Field(default=1000, ge=1, le=10000)
    # A scan worker hands its segment on when less than this much of its time is left.
    scan_reserve_ms: int = Field(default=60_000, ge=0)
    templates_dir: Path | None = None

    def resolved_templates_dir(self) -> Path:
        if self.templates_dir is not None:
            return self.templates_dir
        return LAYER_TEMPLATES if LAYER_TEMPLATES.is_dir() else REPO_TEMPLATES


ENV_NAMES = {
    "accounts_table": "ACCOUNTS_TABLE",
    "ledger_table": "LEDGER_TABLE",
    "notices_table": "NOTICES_TABLE",
    "runs_table": "RUNS_TABLE",
    "region": "AWS_REGION",
    "endpoint_url": "AWS_ENDPOINT_URL",
    "notice_sender": "NOTICE_SENDER",
    "provider_name": "PROVIDER_NAME",
    "portal_url": "PORTAL_URL",
    "shard_count": "SHARD_COUNT",
    "tariff_file": "TARIFF_FILE",
    "quota_enforcement": "QUOTA_ENFORCEMENT",
    "quota_scan_queue_url": "QUOTA_SCAN_QUEUE_URL",
    "quota_scan_segments": "QUOTA_SCAN_SEGMENTS",
    "scan_page_size": "SCAN_PAGE_SIZE",
    "scan_reserve_ms": "SCAN_RESERVE_MS",
    "templates_dir": "TEMPLATES_DIR",
}


class SettingsError(Exception):
    pass


def settings_from_env(environ: dict[str, str] | None = None) -> Settings:
    """Build settings from environment variables; a missing or invalid one raises SettingsError naming it."""
    environ = os.environ if environ is None else environ
    values = {field: environ[name] for field, name in ENV_NAMES.items() if environ.get(name)}
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{ENV_NAMES.get(str(error['loc'][0]), error['loc'][0])}: {error['msg']}" for error in exc.errors()
        )
        raise SettingsError(f"invalid function environment: {problems}") from exc
