"""Shared pieces of the four Lambda handlers: observability, the runtime and the job event contract."""

from __future__ import annotations

from collections.abc import Callable

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.metrics.functions import is_metrics_disabled

from .config import settings_from_env
from .events import parse_job_event
from .services.jobs import JobReport, JobRequest
from .services.runtime import Runtime

METRICS_NAMESPACE = "KepLifecycle"

_runtime: Runtime | None = None


def runtime() -> Runtime:
    """Build the runtime on the first invocation of a process and reuse it afterwards."""
    global _runtime
    if _runtime is None:
        candidate = Runtime(settings_from_env())
        candidate.validate_configuration()
        _runtime = candidate
    return _runtime


def reset_runtime() -> None:
    """Forget the cached runtime, so the next invocation reads the environment again."""
    global _runtime
    _runtime = None


def job_handler(job: str, run: Callable[[Runtime, JobRequest, object], JobReport]):
    """Build a Lambda handler that validates the event, runs the job and reports counts as metrics.

    `run` receives the runtime, the validated request and the Lambda context.
    """
    logger = Logger(service=f"kep-{job}")
    tracer = Tracer(service=f"kep-{job}")
    metrics = Metrics(namespace=METRICS_NAMESPACE, service=f"kep-{job}")

    @logger.inject_lambda_context(log_event=False)
    @tracer.capture_lambda_handler(capture_response=False)
    @metrics.log_metrics
    def observed_handler(event: dict, context) -> dict:
        request = parse_job_event(event)
        logger.info("job started", extra={"job": job, "as_of": request.as_of.isoformat(),
                                          "dry_run": request.dry_run,
                                          "address_filter": len(request.kep_addresses or ())})
        report = run(runtime(), request, context)
        metrics.add_metric(name="DryRuns" if request.dry_run else "Runs", unit=MetricUnit.Count, value=1)
        if not request.dry_run:
            for outcome, count in report.counts.items():
                metrics.add_metric(name=outcome, unit=MetricUnit.Count, value=count)
        return report.as_dict()

    def handler(event: dict, context) -> dict:
        try:
            return observed_handler(event, context)
        finally:
            # NOTE: with POWERTOOLS_METRICS_DISABLED (local runs) powertools 3.x skips the flush
            # but keeps the values, and prints them once 100 pile up. Clearing them here stops that.
            if is_metrics_disabled():
                metrics.clear_metrics()

    return handler
