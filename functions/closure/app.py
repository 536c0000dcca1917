"""Lambda handler of closure: the daily grace run, collection on top-up from the stream, and reopening."""

from aws_lambda_powertools import Logger

from kep_lifecycle.domain.dates import today_in_istanbul
from kep_lifecycle.handlers import job_handler, runtime
from kep_lifecycle.services.account_stream import balance_rose_in_grace, process_account_changes
from kep_lifecycle.services.closure import run_closure, settle_grace
from kep_lifecycle.services.jobs import JobRequest
from kep_lifecycle.services.reopening_action import handle_reopen_event

logger = Logger(service="kep-closure")

_daily = job_handler("closure", lambda rt, request, context: run_closure(rt, request))


def handler(event, context):
    if isinstance(event, dict) and event.get("action") == "reopen":
        return handle_reopen_event(runtime(), event, today_in_istanbul())
    if isinstance(event, dict) and event.get("Records"):
        rt = runtime()
        return process_account_changes(
            event, context, balance_rose_in_grace,
            lambda change, report: settle_grace(rt, change.kep_address, JobRequest(change.business_date), report),
            "closure",
        )
    return _daily(event, context)
