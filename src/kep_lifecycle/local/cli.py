"""kepctl: the operator's command line for local runs (and, against a deployed stack, reopening)."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from ..domain.money import format_try
from .input_files import InputRejected
from ..messages import LANGUAGES, job_label, outcome_label, text

HELP = {
    "tr": {
        "description": "KEP hesap yaşam döngüsü: yerel çalıştırma ve operatör işlemleri.",
        "lang": "çıktı dili (tr ya da en; KEPCTL_LANG ortam değişkeniyle de seçilir)",
        "run": "günlük işleri gömülü moto sunucusunda tarih aralığı boyunca çalıştırır",
        "accounts": "hesap dosyası (JSON Lines)",
        "events": "olay dosyası (JSON Lines, isteğe bağlı)",
        "from": "ilk iş günü (YYYY-AA-GG)",
        "to": "son iş günü (YYYY-AA-GG, dahil)",
        "out": "çıktı klasörü (yoksa oluşturulur, boş olmalı)",
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

    run = commands.add_parser("run", help=words["run"], description=words["run"])
    run.add_argument("--accounts", required=True, type=Path, help=words["accounts"])
    run.add_argument("--events", type=Path, help=words["events"])
    run.add_argument("--from", dest="start", required=True, help=words["from"])
    run.add_argument("--to", dest="end", required=True, help=words["to"])
    run.add_argument("--out", required=True, type=Path, help=words["out"])
    return parser


def _parse_date(value: str, option: str, lang: str) -> date:
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(text("date_argument_invalid", lang, option=option, value=value)) from None


def _format_value(value) -> str:
    if value is None:
        return "(yok)"
    return repr(value) if isinstance(value, str) else str(value)


def print_rejection(exc: InputRejected, lang: str) -> None:
    print(text("input_rejected", lang, count=len(exc.errors)), file=sys.stderr)
    for error in exc.errors:
        message = text(error.code, lang, **(error.detail or {})) if error.code in _known_codes() else error.code
        print("  " + text("line_prefix", lang, file=error.file, line=error.line, field=error.field,
                          value=_format_value(error.value), message=message), file=sys.stderr)


def _known_codes() -> set[str]:
    from ..messages import MESSAGES

    return set(MESSAGES)


def print_summary(summary: dict, lang: str) -> None:
    accounts = summary["final_accounts"]
    print(text("run_done", lang, start=summary["from"], end=summary["to"], days=summary["days"],
               seconds=summary["seconds"], out=summary["out"]))
    print(text("summary_accounts", lang, total=accounts["total"], active=accounts["active"],
               closed=accounts["closed"], grace=accounts["in_grace"], restricted=accounts["sending_restricted"]))
    events = summary["events"]
    print(text("summary_events", lang, applied=events.get("applied", 0), rejected=events.get("rejected", 0)))
    print(text("summary_ledger", lang, count=summary["ledger"]["payments"],
               total=format_try(summary["ledger"]["total_kurus"])))
    for job, counts in summary["jobs"].items():
        print(text("summary_job", lang, job=job_label(job, lang)))
        for outcome, count in counts.items():
            if not outcome.startswith("sent_"):
                print(f"  {outcome_label(outcome, lang)}: {count}")
    print(text("summary_notices", lang, count=sum(summary["notices_sent"].values())))
    for kind, count in summary["notices_sent"].items():
        print(f"  {kind}: {count}")


def command_run(args, lang: str) -> int:
    from .runner import MAX_RUN_DAYS, run_local

    start = _parse_date(args.start, "--from", lang)
    end = _parse_date(args.end, "--to", lang)
    if start > end:
        raise UsageError(text("date_range_invalid", lang, start=args.start, end=args.end))
    if (end - start).days + 1 > MAX_RUN_DAYS:
        raise UsageError(text("date_range_too_long", lang, max_days=MAX_RUN_DAYS, days=(end - start).days + 1))
    for path in (args.accounts, args.events):
        if path is not None and not path.is_file():
            raise UsageError(text("file_not_found", lang, path=path))
    if args.out.exists() and any(args.out.iterdir()):
        raise UsageError(text("out_not_empty", lang, path=args.out))

    try:
        result = run_local(args.accounts, args.events, start, end, args.out, lang)
    except InputRejected as exc:
        print_rejection(exc, lang)
        return 2
    result.summary["out"] = str(args.out)
    print_summary(result.summary, lang)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    lang = _language(argv)
    args = build_parser(lang).parse_args(argv)
    try:
        if args.command == "run":
            return command_run(args, args.lang)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 2


if __name__ == "__main__":
    sys.exit(main())
