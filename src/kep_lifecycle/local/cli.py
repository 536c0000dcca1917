"""kepctl: the operator's command line for local runs (and, against a deployed stack, reopening)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

from babel.numbers import format_decimal

from ..domain.money import format_try
from ..domain.enforcement import EnforcementTableError, load_enforcement
from .input_files import InputRejected
from ..messages import LANGUAGES, job_label, notice_kind_label, outcome_label, text

HELP = {
    "tr": {
        "description": "KEP hesap yaşam döngüsü: yerel çalıştırma ve operatör işlemleri.",
        "lang": "çıktı dili (tr ya da en; KEPCTL_LANG ortam değişkeniyle de seçilir)",
        "run": "günlük işleri gömülü moto sunucusunda tarih aralığı boyunca çalıştırır",
        "accounts": "hesap dosyası (JSON Lines)",
        "events": "olay dosyası (JSON Lines, isteğe bağlı)",
        "from": "ilk iş günü (YYYY-AA-GG)",
        "to": "son iş günü (YYYY-AA-GG, dâhil)",
        "out": "çıktı klasörü (yoksa oluşturulur, boş olmalı)",
        "quota_enforcement": "kota kısıtlama tablosu (JSON dosyası; verilmezse varsayılan tablo)",
        "reopen": "kapalı bir hesabı sahibinin başvurusu üzerine yeniden açar (varsayılan: deneme, hiçbir şey yazmaz)",
        "address": "yeniden açılacak KEP adresi",
        "channel": "başvuru yolu: petition (şubeye dilekçe) ya da online_e_signature (e-imza / mobil imza; yalnızca gerçek kişi)",
        "as_of": "yeniden açma tarihi (YYYY-AA-GG; verilmezse bugünün İstanbul tarihi)",
        "apply": "denemeyi değil gerçek işlemi yapar: ücreti tahsil eder ve hesabı açar",
        "function_name": "dağıtılmış yığındaki closure fonksiyonunun adı (yığın çıktısı ClosureFunctionName)",
        "region": "AWS bölgesi (varsayılan: AWS_REGION)",
        "local": "closure fonksiyonunu bu süreçte, ortam değişkenlerindeki tablolara karşı çalıştırır",
    },
    "en": {
        "description": "KEP account lifecycle: local runs and operator actions.",
        "lang": "output language (tr or en; also set by the KEPCTL_LANG environment variable)",
        "run": "run the daily jobs over a date range on an embedded moto server",
        "accounts": "accounts file (JSON Lines)",
        "events": "events file (JSON Lines, optional)",
        "from": "first business date (YYYY-MM-DD)",
        "to": "last business date (YYYY-MM-DD, inclusive)",
        "out": "output folder (created if missing, must be empty)",
        "quota_enforcement": "quota enforcement table (JSON file; the default table when omitted)",
        "reopen": "reopen a closed account at the holder's request (default: dry run, writes nothing)",
        "address": "KEP address to reopen",
        "channel": "application path: petition (at a branch) or online_e_signature (natural persons only)",
        "as_of": "reopening date (YYYY-MM-DD; default: today in Istanbul)",
        "apply": "do it for real instead of a dry run: collect the fee and reopen",
        "function_name": "name of the deployed closure function (stack output ClosureFunctionName)",
        "region": "AWS region (default: AWS_REGION)",
        "local": "run the closure function in this process against the tables named in the environment",
    },
}


class UsageError(Exception):
    pass


def _language(argv: list[str]) -> str:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv) and argv[index + 1] in LANGUAGES:
            return argv[index + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            return arg.split("=", 1)[1]
    env = os.environ.get("KEPCTL_LANG", "tr")
    return env if env in LANGUAGES else "tr"


def build_parser(lang: str) -> argparse.ArgumentParser:
    words = HELP[lang]
    parser = argparse.ArgumentParser(prog="kepctl", description=words["description"])
    parser.add_argument("--lang", choices=LANGUAGES, default=lang, help=words["lang"])
    commands = parser.add_subparsers(dest="command", required=True)

    # --lang is accepted after the command as well; SUPPRESS keeps the global value unless given.
    language = argparse.ArgumentParser(add_help=False)
    language.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=words["lang"])

    run = commands.add_parser("run", help=words["run"], description=words["run"], parents=[language])
    run.add_argument("--accounts", required=True, type=Path, help=words["accounts"])
    run.add_argument("--events", type=Path, help=words["events"])
    run.add_argument("--from", dest="start", required=True, help=words["from"])
    run.add_argument("--to", dest="end", required=True, help=words["to"])
    run.add_argument("--out", required=True, type=Path, help=words["out"])
    run.add_argument("--quota-enforcement", type=Path, help=words["quota_enforcement"])

    reopen = commands.add_parser("reopen", help=words["reopen"], description=words["reopen"], parents=[language])
    reopen.add_argument("address", help=words["address"])
    reopen.add_argument("--channel", required=True, choices=("petition", "online_e_signature"), help=words["channel"])
    reopen.add_argument("--as-of", dest="as_of", help=words["as_of"])
    reopen.add_argument("--apply", action="store_true", help=words["apply"])
    target = reopen.add_mutually_exclusive_group(required=True)
    target.add_argument("--function-name", help=words["function_name"])
    target.add_argument("--local", action="store_true", help=words["local"])
    reopen.add_argument("--region", help=words["region"])
    return parser


def _parse_date(value: str, option: str, lang: str) -> date:
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(text("date_argument_invalid", lang, option=option, value=value)) from None


def _format_value(value, lang: str) -> str:
    if value is None:
        return text("no_value", lang)
    return repr(value) if isinstance(value, str) else str(value)


def print_rejection(exc: InputRejected, lang: str) -> None:
    print(text("input_rejected", lang, count=len(exc.errors)), file=sys.stderr)
    for error in exc.errors:
        message = text(error.code, lang, **(error.detail or {})) if error.code in _known_codes() else error.code
        print("  " + text("line_prefix", lang, file=error.file, line=error.line, field=error.field,
                          value=_format_value(error.value, lang), message=message), file=sys.stderr)


def _known_codes() -> set[str]:
    from ..messages import MESSAGES

    return set(MESSAGES)


def print_summary(summary: dict, lang: str) -> None:
    accounts = summary["final_accounts"]
    number = (lambda value: format_decimal(value, locale="tr_TR")) if lang == "tr" else (lambda value: f"{value:,}")
    print(text("run_done", lang, start=summary["from"], end=summary["to"], days=summary["days"],
               seconds=number(summary["seconds"]), out=summary["out"]))
    print(text("summary_accounts", lang, total=number(accounts["total"]), active=number(accounts["active"]),
               closed=number(accounts["closed"]), grace=number(accounts["in_grace"]),
               restricted=number(accounts["sending_restricted"])))
    events = summary["events"]
    print(text("summary_events", lang, applied=events.get("applied", 0), rejected=events.get("rejected", 0)))
    print(text("summary_ledger", lang, count=summary["ledger"]["payments"],
               total=format_try(summary["ledger"]["total_kurus"])))
    for job, counts in summary["jobs"].items():
        outcomes = {outcome: count for outcome, count in counts.items() if not outcome.startswith("sent_")}
        if not outcomes:
            continue
        print(text("summary_job", lang, job=job_label(job, lang)))
        for outcome, count in outcomes.items():
            print(f"  {outcome_label(outcome, lang)}: {number(count)}")
    print(text("summary_notices", lang, count=sum(summary["notices_sent"].values())))
    for kind, count in summary["notices_sent"].items():
        print(f"  {notice_kind_label(kind, lang)}: {count}")


def command_run(args, lang: str) -> int:
    from .runner import MAX_RUN_DAYS, run_local

    start = _parse_date(args.start, "--from", lang)
    end = _parse_date(args.end, "--to", lang)
    if start > end:
        raise UsageError(text("date_range_invalid", lang, start=args.start, end=args.end))
    if (end - start).days + 1 > MAX_RUN_DAYS:
        raise UsageError(text("date_range_too_long", lang, max_days=MAX_RUN_DAYS, days=(end - start).days + 1))
    for option, path in (("--accounts", args.accounts), ("--events", args.events),
                         ("--quota-enforcement", args.quota_enforcement)):
        if path is not None and not path.is_file():
            raise UsageError(text("file_not_found", lang, option=option, path=path))
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(text("out_not_directory", lang, path=args.out))
    if args.out.exists() and any(args.out.iterdir()):
        raise UsageError(text("out_not_empty", lang, path=args.out))
    enforcement = None
    if args.quota_enforcement is not None:
        enforcement = args.quota_enforcement.read_text(encoding="utf-8")
        try:
            load_enforcement(enforcement, source=str(args.quota_enforcement))
        except EnforcementTableError as exc:
            detail = text(f"enforcement_{exc.code}", lang, **exc.params)
            raise UsageError(text("enforcement_invalid", lang, detail=detail)) from None

    try:
        result = run_local(args.accounts, args.events, start, end, args.out, lang, enforcement)
    except InputRejected as exc:
        print_rejection(exc, lang)
        return 2
    result.summary["out"] = str(args.out)
    print_summary(result.summary, lang)
    return 0


def command_reopen(args, lang: str) -> int:
    from ..events import normalize_kep_address

    try:
        address = normalize_kep_address(args.address)
    except ValueError:
        raise UsageError(text("address_argument_invalid", lang, value=args.address)) from None
    event = {"action": "reopen", "kep_address": address, "channel": args.channel, "dry_run": not args.apply}
    if args.as_of:
        event["as_of"] = _parse_date(args.as_of, "--as-of", lang).isoformat()

    if args.local:
        from pynamodb.exceptions import PynamoDBException

        from ..config import SettingsError
        from ..events import InvalidEvent
        from .runner import LocalContext, load_handler

        try:
            response = load_handler("closure")(event, LocalContext("kep-closure"))
        except InvalidEvent as exc:
            raise UsageError(str(exc)) from None
        except SettingsError as exc:
            raise UsageError(text("local_environment_invalid", lang, error=exc)) from None
        except PynamoDBException as exc:
            raise UsageError(text("local_tables_unreachable", lang, error=exc.msg)) from None
    else:
        response = _invoke_deployed(args.function_name, args.region, event, lang)

    message = response.get(f"message_{lang}") or response.get("message_tr") or json.dumps(response, ensure_ascii=False)
    print(message, file=sys.stdout if response.get("ok") else sys.stderr)
    return 0 if response.get("ok") else 1


def _invoke_deployed(function_name: str, region: str | None, event: dict, lang: str) -> dict:
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    client = boto3.client("lambda", region_name=region)
    try:
        response = client.invoke(FunctionName=function_name, Payload=json.dumps(event).encode("utf-8"))
    except (BotoCoreError, ClientError) as exc:
        raise UsageError(text("invoke_failed", lang, function=function_name, error=exc)) from exc
    payload = json.loads(response["Payload"].read() or b"{}")
    if response.get("FunctionError"):
        raise UsageError(text("function_error", lang, function=function_name,
                              error=payload.get("errorMessage", payload)))
    return payload


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reading end of the pipe closed (e.g. `| head`), so no error message can be delivered.
        sys.stderr.close()
        return 1


def _main(argv: list[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    lang = _language(argv)
    args = build_parser(lang).parse_args(argv)
    try:
        if args.command == "run":
            return command_run(args, args.lang)
        if args.command == "reopen":
            return command_reopen(args, args.lang)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 2


if __name__ == "__main__":
    sys.exit(main())
