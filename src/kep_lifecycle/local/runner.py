"""The local run: import accounts, apply each day's events, run the daily jobs, write the output folder."""

from __future__ import annotations

import importlib.util
import json
import os
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ..dal.accounts import Contact
from ..domain.account import AccountState, ExtraStorage, HarcamaBirimi, quota_on, storage_still_valid
from ..domain.dates import anchor_of
from ..domain.enforcement import load_enforcement
from ..domain.renewal import RuleViolation
from ..handlers import reset_runtime, runtime as handler_runtime
from ..services import account_events
from ..services.runtime import Runtime
from .input_files import AccountLine, read_run_input
from .moto_server import LOCAL_REGION, moto_server, sent_raw_messages, verify_sender
from .outputs import write_outputs
from .event_sources import QueuePump, StreamPump
from .stack import create_stack, load_template

REPO_ROOT = Path(__file__).resolve().parents[3]
# The jobs of one business date, in order: renewal first so a quota reset is restricted the
# same day, closure collects top-ups before the scan, notify last sends what the others recorded.
DAILY_JOBS = ("renewal", "closure", "quota_scan", "notify")
MAX_RUN_DAYS = 3660

LOCAL_ENVIRONMENT = {
    "AWS_DEFAULT_REGION": LOCAL_REGION,
    "AWS_REGION": LOCAL_REGION,
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
    "POWERTOOLS_DEV": "false",
    # Two segments suffice for a few thousand accounts; each costs a queue round trip a day.
    "QUOTA_SCAN_SEGMENTS": "2",
    # moto sorts every matching item for each index query, so a local run keeps few shards.
    "SHARD_COUNT": "1",
}


@dataclass
class LocalContext:
    """The attributes of a Lambda context that the handlers' powertools decorators read."""

    function_name: str
    memory_limit_in_mb: int = 1024
    invoked_function_arn: str = "arn:aws:lambda:eu-central-1:123456789012:function:local"
    aws_request_id: str = "local"
    deadline_ms: int = field(default=0)

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self.deadline_ms - int(time.time() * 1000)) if self.deadline_ms else 900_000


def load_handler(job: str) -> Callable | None:
    path = REPO_ROOT / "functions" / job / "app.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location(f"kep_function_{job}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.handler


def account_state(line: AccountLine, as_of: date) -> tuple[AccountState, Contact]:
    storage = tuple(ExtraStorage(item.megabytes, item.valid_until) for item in line.extra_storage)
    harcama = HarcamaBirimi(line.harcama_birimi.name, line.harcama_birimi.vkn) if line.harcama_birimi else None
    state = AccountState(
        kep_address=line.kep_address,
        account_type=line.account_type,
        balance_kurus=line.balance_kurus,
        renewal_date=line.renewal_date,
        anniversary=anchor_of(line.renewal_date),
        used_bytes=line.used_bytes,
        quota_bytes=quota_on(as_of, storage),
        auto_renew=line.auto_renew,
        status=line.status,
        extra_storage=storage_still_valid(as_of, storage),
        harcama_birimi=harcama,
        informational_opt_out=line.informational_opt_out,
    )
    return state, Contact(line.kep_address, line.holder_name, line.contact_email)


class EventRejected(Exception):
    def __init__(self, code: str, params: dict) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def apply_event(runtime: Runtime, event, closure_handler: Callable) -> None:
    """Apply one event line through the path it takes on AWS; raise EventRejected if the rules reject it.

    Top-ups, usage and storage are writes of the portal and the mail platform. A reopening
    request goes to the closure function's reopen action, as an operator's request would.
    """
    try:
        match event.type:
            case "balance_top_up":
                account_events.top_up(runtime, event.kep_address, event.amount_kurus)
            case "usage_changed":
                account_events.change_usage(runtime, event.kep_address, event.used_bytes)
            case "storage_purchased":
                account_events.purchase_storage(runtime, event.kep_address, event.date, event.megabytes,
                                                event.valid_until)
            case "early_renewal":
                account_events.renew_early(runtime, event.kep_address, event.date)
            case "reopen_requested":
                answer = closure_handler({"action": "reopen", "kep_address": event.kep_address,
                                          "channel": event.channel, "as_of": event.date.isoformat(),
                                          "dry_run": False}, LocalContext("kep-closure"))
                if not answer["ok"]:
                    raise EventRejected(answer["error"], {"message": answer["message_tr"]})
    except RuleViolation as exc:
        params = {key: (value.isoformat() if isinstance(value, date) else value) for key, value in exc.params.items()}
        raise EventRejected(exc.code, params) from exc
    except account_events.AccountNotFound as exc:
        raise EventRejected("account_not_found", {"kep_address": exc.kep_address}) from exc


class LocalDay:
    """Drives one business date the way AWS would: stream reactions, scheduled jobs, queue workers."""

    def __init__(self, handlers: dict[str, Callable | None], stream: StreamPump, scan_queue: QueuePump) -> None:
        self.handlers = {job: handler for job, handler in handlers.items() if handler is not None}
        self.stream = stream
        self.scan_queue = scan_queue
        self.job_counts: dict[str, Counter] = {job: Counter() for job in self.handlers}

    def react_to_changes(self, day: date) -> None:
        """Deliver new account-stream records to the functions subscribed to them, as their mappings would."""
        records = self.stream.read(day)
        for first in range(0, len(records), 100):
            event = {"Records": records[first:first + 100]}
            for job in ("closure", "quota_scan"):
                response = self.handlers[job](event, LocalContext(f"kep-{job}"))
                self.job_counts[job].update(response.get("counts", {}))
                if response.get("batchItemFailures"):
                    raise RuntimeError(f"{job} failed on stream records: {response['batchItemFailures']}")

    def run_daily_jobs(self, day: date) -> None:
        for job, handler in self.handlers.items():
            report = handler({"as_of": day.isoformat(), "dry_run": False}, LocalContext(f"kep-{job}"))
            self.job_counts[job].update(report["counts"])
            if job == "quota_scan":
                worker_counts = self.scan_queue.drain(handler, lambda: LocalContext("kep-quota_scan"))
                self.job_counts[job].update(worker_counts)


@dataclass
class RunResult:
    summary: dict
    out_dir: Path


def run_local(accounts_path: Path, events_path: Path | None, start: date, end: date, out_dir: Path,
              lang: str = "tr", quota_enforcement: str | None = None) -> RunResult:
    """Run the daily jobs from `start` to `end` on an embedded moto server and write `out_dir`.

    `quota_enforcement` replaces the shipped enforcement table, as the stack parameter
    QuotaEnforcement does on AWS; it is validated before anything is written.
    """
    started = time.monotonic()
    if quota_enforcement is not None:
        load_enforcement(quota_enforcement)
    accounts, events = read_run_input(accounts_path, events_path, start, end)
    events_by_date: dict[date, list] = {}
    for event in events:
        events_by_date.setdefault(event.date, []).append(event)

    with moto_server() as endpoint:
        # moto keeps its state per process, so each run gets resource names of its own.
        stack = create_stack(endpoint, LOCAL_REGION, f"kep-local-{uuid.uuid4().hex[:8]}", load_template())
        environment = {**stack.environment, **LOCAL_ENVIRONMENT, "AWS_ENDPOINT_URL": endpoint}
        environment.pop("TEMPLATES_DIR", None)
        if quota_enforcement is not None:
            environment["QUOTA_ENFORCEMENT"] = quota_enforcement
        os.environ.update(environment)
        reset_runtime()
        runtime = handler_runtime()
        verify_sender(endpoint, runtime.settings.notice_sender)
        runtime.accounts.import_accounts([account_state(line, start) for line in accounts])

        handlers = {job: load_handler(job) for job in DAILY_JOBS}
        stream = StreamPump(endpoint, LOCAL_REGION, stack.table_names["AccountsTable"])
        scan_queue = QueuePump(endpoint, LOCAL_REGION, stack.queue_urls["QuotaScanQueue"])
        simulation = LocalDay(handlers, stream, scan_queue)
        event_counts: Counter = Counter()
        rejected_events: list[dict] = []

        day = start
        while day <= end:
            for event in events_by_date.get(day, ()):
                try:
                    apply_event(runtime, event, handlers["closure"])
                except EventRejected as exc:
                    event_counts["rejected"] += 1
                    rejected_events.append({"date": event.date.isoformat(), "kep_address": event.kep_address,
                                            "type": event.type, "reason": exc.code, "params": exc.params})
                else:
                    event_counts["applied"] += 1
                    event_counts[event.type] += 1
            simulation.react_to_changes(day)
            simulation.run_daily_jobs(day)
            simulation.react_to_changes(day)
            day += timedelta(days=1)
        job_counts = simulation.job_counts

        summary = write_outputs(runtime, out_dir, sent_raw_messages(), {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "days": (end - start).days + 1,
            "accounts_imported": len(accounts),
            "events": dict(sorted(event_counts.items())),
            "rejected_events": rejected_events,
            "jobs": {job: dict(sorted(counts.items())) for job, counts in job_counts.items()},
        })
    reset_runtime()
    summary["seconds"] = round(time.monotonic() - started, 1)
    (out_dir / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return RunResult(summary, out_dir)
