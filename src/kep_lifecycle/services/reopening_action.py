"""The operator's reopen action as a Lambda event: validated input, a structured response in both languages."""

from __future__ import annotations

from datetime import date

from aws_lambda_powertools import Logger

from ..domain.renewal import RuleViolation
from ..events import parse_reopen_event
from ..messages import rule_message
from .account_events import AccountNotFound
from .reopening import reopen
from .runtime import Runtime

logger = Logger(child=True)


def _messages(code: str, params: dict) -> dict:
    return {"message_tr": rule_message(code, "tr", params), "message_en": rule_message(code, "en", params)}


def handle_reopen_event(runtime: Runtime, event: dict, today: date) -> dict:
    """Apply or dry-run a reopening. A rejection is a normal response, not an error, so Lambda does not retry it."""
    request = parse_reopen_event(event)
    as_of = request.as_of or today
    try:
        transition = reopen(runtime, request.kep_address, as_of, request.channel, dry_run=request.dry_run)
    except RuleViolation as exc:
        logger.info("reopen rejected", extra={"reason": exc.code})
        return {"ok": False, "dry_run": request.dry_run, "error": exc.code, **_messages(exc.code, exc.params)}
    except AccountNotFound:
        params = {"kep_address": request.kep_address}
        return {"ok": False, "dry_run": request.dry_run, "error": "account_not_found",
                **_messages("account_not_found", params)}

    after = transition.after
    params = {
        "kep_address": request.kep_address,
        "fee_kurus": transition.fee.amount_kurus,
        "balance_kurus": after.balance_kurus,
        "period_start": as_of,
        "period_end": date.fromordinal(after.renewal_date.toordinal() - 1),
    }
    code = "reopen_would" if request.dry_run else "reopened"
    logger.info("reopen accepted", extra={"dry_run": request.dry_run})
    return {
        "ok": True,
        "dry_run": request.dry_run,
        "outcome": "reopened",
        "fee_kurus": transition.fee.amount_kurus,
        "balance_kurus": after.balance_kurus,
        "renewal_date": after.renewal_date.isoformat(),
        **_messages(code, params),
    }
