"""Lambda handler of notify: the daily sweep of pending notices and the notices table's stream."""

from kep_lifecycle.handlers import job_handler, runtime
from kep_lifecycle.services.notify import Notifier
from kep_lifecycle.services.notify_stream import send_stream_batch

_sweep = job_handler("notify", lambda rt, request, context: Notifier(rt).run(request))


def handler(event, context):
    if isinstance(event, dict) and "Records" in event:
        return send_stream_batch(runtime(), event, context)
    return _sweep(event, context)
