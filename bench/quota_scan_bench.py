"""Benchmark the daily quota scan against a minimal boto3 scan on an embedded moto server.

For each table size N the script starts a fresh moto server (`kep_lifecycle.local.moto_server`)
in a child process, creates the tables of infra/template.yaml, loads N synthetic accounts with
parallel BatchWriteItem requests, and then runs these phases over the same table:

1. baseline: a paginated boto3 `scan` with a ProjectionExpression of the scan attributes that
   compares used_bytes with quota_bytes in Python and counts over-quota accounts (no writes).
   It runs first, so it reads the same state as the product scan.
2. product: `scan_segment` over every segment in turn, writing each account that needs a
   change as the queue worker does (consistent GetItem, then TransactWriteItems).
3. product, settled: the same scan again, when no account needs a change any more.

Each phase runs in its own new process, so its peak RSS and CPU time belong to the scan client
alone, and the moto server does not share that process's interpreter lock. Request counts come
from the server's per-operation counter. tracemalloc slows the client down, so the tracemalloc
peaks come from a second round on a new server with the same data, which repeats phases 1 and 2
under tracemalloc. Run with --help for the options.
"""

from __future__ import annotations

import argparse
import gc
import math
import multiprocessing
import os
import random
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from importlib.metadata import version

from kep_lifecycle.local.moto_server import LOCAL_CREDENTIALS, LOCAL_REGION

DEFAULT_SIZES = (10_000, 100_000)
DEFAULT_SEGMENTS = 4
DEFAULT_AS_OF = date(2025, 3, 3)
# A worker gets this long per segment task. The product phase still follows a handover, as
# the queue would, but with this budget none is expected.
TASK_BUDGET_SECONDS = 3600
BATCH_WRITE_SIZE = 25  # the maximum number of items in one BatchWriteItem request

# Shares of the synthetic accounts. The other accounts use less than 90 % of their quota.
OVER_QUOTA_SHARE = 0.02
NEAR_QUOTA_SHARE = 0.03  # 90-100 % of the quota, which earns the usage warning
CLOSED_SHARE = 0.01  # taken from the accounts below 90 %
EXTRA_STORAGE_SHARE = 0.10
ACCOUNT_TYPE_WEIGHTS = {
    "gercek_kisi": 0.70,
    "tuzel_kisi": 0.22,
    "diger_tuzel_kisi": 0.05,
    "kamu_kurumu": 0.03,
}
FIRST_NAMES = ("Ayşe", "Mehmet", "Fatma", "Mustafa", "Emine", "Ahmet", "Hatice", "Ali", "Zeynep", "Hüseyin")
LAST_NAMES = ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın", "Özdemir")
ASCII_LETTERS = str.maketrans("ıİşŞçÇğĞöÖüÜ", "iIsScCgGoOuU")

MIB = 1024 * 1024


def parse_sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid --sizes {text!r}: expected integers separated by commas") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"invalid --sizes {text!r}: every size must be at least 1")
    return sizes


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=parse_sizes, default=DEFAULT_SIZES,
                        help="numbers of accounts to load and scan, comma-separated (default: 10000,100000)")
    parser.add_argument("--segments", type=int, default=DEFAULT_SEGMENTS,
                        help="parallel-scan segments of the product scan, run one after another (default: 4)")
    parser.add_argument("--page-size", type=int, default=None,
                        help="items per Scan request for both scans (default: the product's SCAN_PAGE_SIZE default)")
    parser.add_argument("--load-threads", type=int, default=4,
                        help="threads sending BatchWriteItem requests while loading (default: 4)")
    parser.add_argument("--seed", type=int, default=20250303, help="seed of the synthetic accounts (default: 20250303)")
    return parser


# --- the moto server, in its own process ------------------------------------------------------


def _serve(connection) -> None:
    """Run the embedded moto server and reply to the 'counts' and 'stop' commands sent over the pipe."""
    from kep_lifecycle.local.moto_server import moto_server, request_counts

    with moto_server() as endpoint_url:
        connection.send(endpoint_url)
        while True:
            command = connection.recv()
            if command == "counts":
                connection.send(dict(request_counts()))
            elif command == "stop":
                break
            else:
                raise ValueError(f"unknown server command {command!r}, expected 'counts' or 'stop'")
    connection.send(peak_rss_kib())


class ServerProcess:
    """A moto server in a child process. Each new server starts with no tables."""

    def __init__(self, context) -> None:
        self._connection, child_end = context.Pipe()
        self._process = context.Process(target=_serve, args=(child_end,), name="moto-server", daemon=True)
        self._process.start()
        child_end.close()  # so that recv() raises EOFError if the server process dies
        self.endpoint_url: str = self._connection.recv()

    def counts(self) -> Counter:
        self._connection.send("counts")
        return Counter(self._connection.recv())

    def stop(self) -> int:
        """Stop the server and return its peak RSS in KiB."""
        self._connection.send("stop")
        peak_kib = self._connection.recv()
        self._process.join(timeout=30)
        return peak_kib


def peak_rss_kib() -> int:
    """Return this process's peak resident set size (VmHWM) in KiB.

    ru_maxrss is not used, because on Linux a spawned process starts with its parent's
    ru_maxrss. Fork copies the value and exec keeps it.
    """
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("VmHWM is missing from /proc/self/status, and the benchmark needs Linux")


# --- synthetic accounts ---------------------------------------------------------------------


def synthetic_account(index: int, rng: random.Random, as_of: date, storage_sizes: tuple[int, ...]):
    """Return (AccountState, Contact) of account `index`, with the usage mix of the module constants."""
    from kep_lifecycle.dal.accounts import Contact
    from kep_lifecycle.domain.account import (
        AccountState, AccountType, ClosedReason, ExtraStorage, HarcamaBirimi, Status, quota_on,
    )
    from kep_lifecycle.domain.dates import anchor_of

    account_type = AccountType(rng.choices(list(ACCOUNT_TYPE_WEIGHTS), weights=list(ACCOUNT_TYPE_WEIGHTS.values()))[0])
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    ascii_name = f"{first}.{last}".translate(ASCII_LETTERS).lower()
    kep_address = f"{ascii_name}.{index}@hs01.kep.tr"
    renewal_date = as_of + timedelta(days=rng.randint(1, 365))

    storage: tuple[ExtraStorage, ...] = ()
    if rng.random() < EXTRA_STORAGE_SHARE:
        storage = (ExtraStorage(rng.choice(storage_sizes), renewal_date),)
    quota = quota_on(as_of, storage)

    draw = rng.random()
    status, closed_on, closed_reason = Status.ACTIVE, None, None
    if draw < OVER_QUOTA_SHARE:
        used = quota + rng.randint(1, quota // 4)
    elif draw < OVER_QUOTA_SHARE + NEAR_QUOTA_SHARE:
        used = rng.randint(math.ceil(quota * 0.9), quota)
    else:
        used = rng.randint(0, math.ceil(quota * 0.9) - 1)
        if draw > 1 - CLOSED_SHARE:
            status, closed_reason = Status.CLOSED, ClosedReason.GRACE_EXPIRED
            closed_on = as_of - timedelta(days=rng.randint(1, 300))

    harcama = None
    if account_type is AccountType.PUBLIC_INSTITUTION:
        harcama = HarcamaBirimi(name=f"{last} Belediyesi Mali Hizmetler Müdürlüğü",
                                vkn=f"{rng.randrange(10**10):010d}")
    state = AccountState(
        kep_address=kep_address,
        account_type=account_type,
        balance_kurus=rng.randint(0, 50_000),
        renewal_date=renewal_date,
        anniversary=anchor_of(renewal_date),
        used_bytes=used,
        quota_bytes=quota,
        auto_renew=rng.random() < 0.8,
        status=status,
        extra_storage=storage,
        harcama_birimi=harcama,
        informational_opt_out=rng.random() < 0.1,
        closed_on=closed_on,
        closed_reason=closed_reason,
    )
    contact = Contact(kep_address, f"{first} {last}", f"{ascii_name}{index}@example.com.tr")
    return state, contact


def load_accounts(endpoint_url: str, table_name: str, count: int, as_of: date, seed: int, threads: int) -> dict:
    """Write `count` synthetic accounts as the repository maps them, 25 to a BatchWriteItem request."""
    import boto3

    from kep_lifecycle.config import Settings
    from kep_lifecycle.dal.accounts import SCAN_ATTRIBUTES, AccountRepository
    from kep_lifecycle.domain.tariff import load_tariff_book

    storage_sizes = tuple(package.megabytes for package in load_tariff_book(None).in_force(as_of).storage_packages)
    repository = AccountRepository(LOCAL_REGION, endpoint_url, Settings.model_fields["shard_count"].default)

    def write_batches(first_batch: int) -> tuple[int, int]:
        """Write every `threads`-th batch from `first_batch` on, and return the summed full and projected item sizes."""
        client = boto3.client("dynamodb", endpoint_url=endpoint_url, region_name=LOCAL_REGION)
        full_bytes = projected_bytes = 0
        for start in range(first_batch * BATCH_WRITE_SIZE, count, threads * BATCH_WRITE_SIZE):
            # Seeding per batch keeps the data independent of the thread count.
            rng = random.Random(f"{seed}:{start}")
            items = []
            for index in range(start, min(start + BATCH_WRITE_SIZE, count)):
                item = repository.new_item(*synthetic_account(index, rng, as_of, storage_sizes)).serialize()
                full_bytes += dynamodb_item_size(item)
                projected_bytes += dynamodb_item_size({name: item[name] for name in SCAN_ATTRIBUTES if name in item})
                items.append({"PutRequest": {"Item": item}})
            requests = {table_name: items}
            while requests:
                requests = client.batch_write_item(RequestItems=requests).get("UnprocessedItems") or None
        return full_bytes, projected_bytes

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        sizes = list(pool.map(write_batches, range(threads)))
    return {"seconds": time.perf_counter() - started,
            "full_item_bytes": sum(full for full, _ in sizes) / count,
            "projected_item_bytes": sum(projected for _, projected in sizes) / count}


def dynamodb_item_size(item: dict) -> int:
    """Estimate an item's size in bytes by the rules of the DynamoDB Developer Guide ("Item sizes and formats")."""
    return sum(len(name.encode("utf-8")) + _value_size(value) for name, value in item.items())


def _value_size(value: dict) -> int:
    (kind, content), = value.items()
    if kind == "S":
        return len(content.encode("utf-8"))
    if kind == "N":
        return _number_size(content)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "L":
        return 3 + sum(1 + _value_size(element) for element in content)
    if kind == "M":
        return 3 + sum(1 + len(name.encode("utf-8")) + _value_size(element) for name, element in content.items())
    if kind == "SS":
        return sum(len(element.encode("utf-8")) for element in content)
    if kind == "NS":
        return sum(_number_size(element) for element in content)
    raise ValueError(f"unsupported attribute type {kind!r} in a synthetic item")


def _number_size(text: str) -> int:
    """Return 1 byte per two significant digits plus 1, as the Developer Guide approximates a number."""
    digits = Decimal(text).normalize().as_tuple().digits
    significant = len(digits) if any(digits) else 1
    return math.ceil(significant / 2) + 1


def item_size_of_table(endpoint_url: str, table_name: str) -> tuple[int, float]:
    """Return the item count and mean estimated item size of a table, read with an unmeasured scan."""
    import boto3

    client = boto3.client("dynamodb", endpoint_url=endpoint_url, region_name=LOCAL_REGION)
    count = total = 0
    for page in client.get_paginator("scan").paginate(TableName=table_name):
        for item in page["Items"]:
            count += 1
            total += dynamodb_item_size(item)
    return count, (total / count if count else 0.0)


# --- the measured phases, each in a new process -----------------------------------------------


@dataclass(frozen=True)
class PhaseConfig:
    name: str
    endpoint_url: str
    tables: dict[str, str]
    as_of: str
    segments: int
    page_size: int
    # tracemalloc roughly triples the client's CPU time here, so a phase measures either time or memory.
    trace_memory: bool


def _measure(connection, config: PhaseConfig, setup, run) -> None:
    """Run `setup`, wait for the go-ahead, then measure `run` and send its result over the pipe."""
    context = setup()
    gc.collect()
    connection.send("ready")
    connection.recv()
    peak_rss_before = peak_rss_kib()
    if config.trace_memory:
        tracemalloc.start()
    cpu_started = time.process_time()
    started = time.perf_counter()
    result = run(context)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    traced_peak = tracemalloc.get_traced_memory()[1] if config.trace_memory else None
    tracemalloc.stop()
    result.update(wall=wall, cpu=cpu, traced_peak=traced_peak, peak_rss_before_kib=peak_rss_before,
                  peak_rss_kib=peak_rss_kib())
    connection.send(result)


def _baseline_phase(connection, config: PhaseConfig) -> None:
    from kep_lifecycle.dal.accounts import SCAN_ATTRIBUTES

    def setup():
        import boto3

        client = boto3.client("dynamodb", endpoint_url=config.endpoint_url, region_name=LOCAL_REGION)
        client.describe_table(TableName=config.tables["AccountsTable"])  # opens the connection before timing
        return client

    def run(client) -> dict:
        # Every name goes through a placeholder, because "status" is a DynamoDB reserved word.
        names = {f"#a{position}": name for position, name in enumerate(SCAN_ATTRIBUTES)}
        pages = client.get_paginator("scan").paginate(
            TableName=config.tables["AccountsTable"], ProjectionExpression=", ".join(names),
            ExpressionAttributeNames=names, PaginationConfig={"PageSize": config.page_size},
        )
        scanned = over_quota = 0
        for page in pages:
            for item in page["Items"]:
                scanned += 1
                if int(item["used_bytes"]["N"]) > int(item["quota_bytes"]["N"]):
                    over_quota += 1
        return {"scanned": scanned, "counts": {"over_quota": over_quota}}

    _measure(connection, config, setup, run)


def _product_phase(connection, config: PhaseConfig) -> None:
    from kep_lifecycle.config import Settings
    from kep_lifecycle.dal.models import AccountModel
    from kep_lifecycle.services.quota_scan import SegmentTask, scan_segment
    from kep_lifecycle.services.runtime import Runtime

    def setup() -> Runtime:
        runtime = Runtime(Settings(
            accounts_table=config.tables["AccountsTable"], ledger_table=config.tables["LedgerTable"],
            notices_table=config.tables["NoticesTable"], runs_table=config.tables["RunsTable"],
            region=LOCAL_REGION, endpoint_url=config.endpoint_url, quota_scan_segments=config.segments,
            scan_page_size=config.page_size,
        ))
        runtime.validate_configuration()
        # Create both botocore clients before timing, as a warm Lambda container has them. The
        # model's client sends Scan and GetItem, and the repository's own sends TransactWriteItems.
        AccountModel.describe_table()
        _ = runtime.accounts._connection.client
        return runtime

    def run(runtime: Runtime) -> dict:
        counts: Counter = Counter()
        for segment in range(config.segments):
            task: SegmentTask | None = SegmentTask(config.as_of, segment, config.segments)
            while task is not None:
                deadline = time.monotonic() + TASK_BUDGET_SECONDS
                report, task = scan_segment(runtime, task, lambda: int((deadline - time.monotonic()) * 1000))
                counts.update(report.counts)
                if report.failures:
                    raise RuntimeError(f"segment {segment} failed for {len(report.failures)} accounts: "
                                       f"{report.failures[0]}")
        return {"scanned": counts.pop("scanned", 0), "counts": dict(counts)}

    _measure(connection, config, setup, run)


PHASES = {"baseline": _baseline_phase, "product": _product_phase}


def run_phase(context, server: ServerProcess, kind: str, config: PhaseConfig) -> dict:
    """Run one phase in a new process and add the server-side request counts and load averages of its measured part."""
    connection, child_end = context.Pipe()
    process = context.Process(target=PHASES[kind], args=(child_end, config), name=f"phase-{kind}")
    process.start()
    child_end.close()  # so that recv() raises EOFError if the phase process dies
    try:
        if connection.recv() != "ready":
            raise RuntimeError(f"phase {config.name} sent an unexpected message instead of 'ready'")
        before = server.counts()
        load_before = os.getloadavg()[0]
        connection.send("go")
        result = connection.recv()
        result["load_average"] = (load_before, os.getloadavg()[0])
        result["requests"] = server.counts() - before
    except EOFError:
        process.join(timeout=60)
        raise RuntimeError(f"phase {config.name} exited with code {process.exitcode} before sending its result")
    process.join(timeout=60)
    if process.exitcode != 0:
        raise RuntimeError(f"phase {config.name} exited with code {process.exitcode}")
    # The benchmark is the only writer, so a write conflict means a fault.
    if result["counts"].get("write_conflicts"):
        raise RuntimeError(f"phase {config.name} had {result['counts']['write_conflicts']} write conflicts, "
                           "but the benchmark is the only writer and expects none")
    return result


# --- one table size ---------------------------------------------------------------------------


TIMED_PHASES = (("baseline", "baseline"), ("product", "product"), ("product, settled", "product"))
# The settled re-run has the product's read path only, so its memory is not traced separately.
TRACED_PHASES = (("baseline", "baseline"), ("product", "product"))


def operation_name(target: str) -> str:
    return target.rsplit(".", 1)[-1] or "(no X-Amz-Target)"


def measure_round(context, count: int, args, page_size: int, phases, trace_memory: bool) -> dict:
    """Load `count` accounts into a new server and run `phases` on them in order."""
    from kep_lifecycle.local.stack import create_stack, load_template

    server = ServerProcess(context)
    try:
        stack = create_stack(server.endpoint_url, LOCAL_REGION, "bench", load_template())
        accounts_table = stack.table_names["AccountsTable"]
        before_load = server.counts()
        load = load_accounts(server.endpoint_url, accounts_table, count, DEFAULT_AS_OF, args.seed, args.load_threads)
        load["requests"] = sum((server.counts() - before_load).values())
        results = {}
        for name, kind in phases:
            config = PhaseConfig(name, server.endpoint_url, stack.table_names, DEFAULT_AS_OF.isoformat(),
                                 args.segments, page_size, trace_memory)
            results[name] = run_phase(context, server, kind, config)
            if results[name]["scanned"] != count:
                raise RuntimeError(f"phase {name} scanned {results[name]['scanned']} accounts, expected {count}")
        notices, notice_bytes = item_size_of_table(server.endpoint_url, stack.table_names["NoticesTable"])
        _, account_bytes_after = item_size_of_table(server.endpoint_url, accounts_table)
    finally:
        server_peak_rss_kib = server.stop()
    return {"load": load, "results": results, "notices": notices, "notice_bytes": notice_bytes,
            "account_bytes_after": account_bytes_after, "server_peak_rss_kib": server_peak_rss_kib}


def bench_size(context, count: int, args, page_size: int) -> None:
    timed = measure_round(context, count, args, page_size, TIMED_PHASES, trace_memory=False)
    traced = measure_round(context, count, args, page_size, TRACED_PHASES, trace_memory=True)
    load, results = timed["load"], timed["results"]

    print(f"\n## N = {count:,} accounts\n")
    print(f"load: {load['seconds']:.1f} s, {count / load['seconds']:,.0f} accounts/s, {load['requests']:,} requests, "
          f"{args.load_threads} threads; moto server process peak RSS {timed['server_peak_rss_kib'] / 1024:,.0f} MiB")
    print(f"estimated item size (DynamoDB rules): account {load['full_item_bytes']:.0f} B as loaded, "
          f"{timed['account_bytes_after']:.0f} B after the scan; scan projection {load['projected_item_bytes']:.0f} B; "
          f"notice {timed['notice_bytes']:.0f} B ({timed['notices']:,} notices)\n")
    print("| phase | accounts/s | wall s | requests/account | client CPU s | tracemalloc peak MiB "
          "| peak RSS MiB (before → after) | writes | load avg (before → after) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, result in results.items():
        writes = result["requests"].get("DynamoDB_20120810.TransactWriteItems", 0)
        traced_peak = traced["results"].get(name, {}).get("traced_peak")
        peak_text = f"{traced_peak / MIB:.1f}" if traced_peak is not None else "—"
        print(f"| {name} | {count / result['wall']:,.0f} | {result['wall']:.2f} "
              f"| {sum(result['requests'].values()) / count:.4f} | {result['cpu']:.2f} | {peak_text} "
              f"| {result['peak_rss_before_kib'] / 1024:.0f} → {result['peak_rss_kib'] / 1024:.0f} | {writes:,} "
              f"| {result['load_average'][0]:.2f} → {result['load_average'][1]:.2f} |")

    baseline = results["baseline"]
    print()
    for name in ("product", "product, settled"):
        # Both phases scan the same N accounts, so the ratio of their rates is the inverse ratio of their times.
        print(f"{name}/baseline: accounts/s {baseline['wall'] / results[name]['wall']:.3f}, "
              f"client CPU per account {results[name]['cpu'] / baseline['cpu']:.2f}")
    for name, result in results.items():
        operations = ", ".join(f"{operation_name(target)} {number:,}"
                               for target, number in sorted(result["requests"].items()))
        outcomes = ", ".join(f"{key} {value:,}" for key, value in sorted(result["counts"].items())) or "none"
        print(f"{name}: requests {operations}; outcomes {outcomes}")


def source_version() -> str:
    """Return `git describe --always --dirty` of the repository, or "unknown" outside a git checkout."""
    try:
        completed = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True,
                                   cwd=os.path.dirname(os.path.abspath(__file__)), check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return completed.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from kep_lifecycle.config import Settings

    page_size = args.page_size or Settings.model_fields["scan_page_size"].default
    # Child processes inherit these, so no client looks for real credentials or queries a metadata endpoint.
    os.environ.update(LOCAL_CREDENTIALS)
    os.environ.update(AWS_DEFAULT_REGION=LOCAL_REGION, AWS_EC2_METADATA_DISABLED="true")
    context = multiprocessing.get_context("spawn")

    started = time.perf_counter()
    print(f"# quota scan benchmark: sizes {', '.join(f'{n:,}' for n in args.sizes)}; {args.segments} segments "
          f"run in turn; page size {page_size}; business date {DEFAULT_AS_OF}; seed {args.seed}")
    print(f"code {source_version()}; python {sys.version.split()[0]}; moto {version('moto')}; "
          f"boto3 {version('boto3')}; pynamodb {version('pynamodb')}; {os.cpu_count()} CPUs")
    for count in args.sizes:
        bench_size(context, count, args, page_size)
    print(f"\ntotal run time: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
