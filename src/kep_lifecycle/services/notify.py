"""The notify job: render each pending notice, send it through SES once, and record the message id."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import cached_property

from aws_lambda_powertools import Logger
from jinja2 import TemplateError

from ..dal.ses import SendFailed, SesSender
from ..notices.render import NoticeRenderer, build_message
from .jobs import JobReport, JobRequest
from .runtime import Runtime, utc_timestamp

logger = Logger(child=True)

JOB = "notify"


class Notifier:
    def __init__(self, runtime: Runtime, sender: SesSender | None = None) -> None:
        self.runtime = runtime
        self._sender = sender

    @cached_property
    def sender(self) -> SesSender:
        return self._sender or SesSender(self.runtime.settings.region, self.runtime.settings.endpoint_url)

    @cached_property
    def renderer(self) -> NoticeRenderer:
        settings = self.runtime.settings
        return NoticeRenderer(settings.resolved_templates_dir(), settings.provider_name, settings.portal_url)

    def run(self, request: JobRequest) -> JobReport:
        report = JobReport(JOB, request.as_of, request.dry_run)
        keys = list(self.runtime.notices.pending_keys(request.as_of))
        if request.kep_addresses is not None:
            requested = set(request.kep_addresses)
            keys = [key for key in keys if key[0] in requested]
        logger.info("pending notices", extra={"as_of": request.as_of.isoformat(), "count": len(keys)})

        for kep_address, notice_key in keys:
            self.send_one(kep_address, notice_key, report)
        logger.info("notify finished", extra={"as_of": request.as_of.isoformat(), "counts": dict(report.counts)})
        return report

    def send_one(self, kep_address: str, notice_key: str, report: JobReport) -> None:
        """Send one recorded notice unless another sender has claimed it or it went out already."""
        notices = self.runtime.notices
        contact = self.runtime.accounts.get_contact(kep_address)
        if contact is None:
            report.counts["not_found"] += 1
            return

        if report.dry_run:
            notice = notices.get(kep_address, notice_key)
            rendered = self._render(notice, contact, report) if notice else None
            if rendered is not None:
                report.planned.append({"kep_address": kep_address, "notice": notice_key, "subject": rendered.subject})
                report.counts["would_send"] += 1
            return

        notice = notices.claim(kep_address, notice_key, utc_timestamp())
        if notice is None:
            report.counts["already_claimed"] += 1
            return
        rendered = self._render(notice, contact, report)
        if rendered is None:
            notices.release(kep_address, notice_key, "rendering failed")
            return

        sender_address = self.runtime.settings.notice_sender
        message = build_message(rendered, sender_address, contact.contact_email, notice.kind,
                                datetime.now(timezone.utc))
        try:
            message_id = self.sender.send(message, sender_address, contact.contact_email)
        except SendFailed as exc:
            notices.release(kep_address, notice_key, str(exc))
            logger.warning("notice send failed", extra={"notice_key": notice_key, "error": str(exc)})
            report.counts["send_failed"] += 1
            report.failures.append({"kep_address": kep_address, "notice": notice_key, "error": str(exc)})
            return

        notices.mark_sent(kep_address, notice_key, message_id, rendered.subject, contact.contact_email,
                          utc_timestamp())
        report.counts["sent"] += 1
        report.counts[f"sent_{notice.kind.value}"] += 1

    def _render(self, notice, contact, report: JobReport):
        """Render a notice; on a template error log it, count it and return None so the notice stays queued."""
        try:
            return self.renderer.render(notice.kind, notice.context, notice.kep_address, contact.holder_name)
        except TemplateError as exc:
            logger.error("notice render failed", extra={"notice_key": notice.notice_key, "error": repr(exc)})
            report.counts["render_failed"] += 1
            report.failures.append({"kep_address": notice.kep_address, "notice": notice.notice_key,
                                    "error": repr(exc)})
            return None
