"""notify on moto: each notice rendered in Turkish, sent through SES once, its message id recorded."""

import email
from datetime import date
from email import policy

import boto3

from kep_lifecycle.dal.models import NoticeModel
from kep_lifecycle.domain.notices import NoticeKind
from kep_lifecycle.local.moto_server import sent_raw_messages
from kep_lifecycle.services.jobs import JobRequest
from kep_lifecycle.services.notify import Notifier
from kep_lifecycle.services.renewal import run_renewal

from conftest import make_account, store

ADDRESS = "cagla.ozturk.3@hs01.kep.tr"
HOLDER = "Çağla <Öztürk> & Şükrü İnce"


def renewed_notice(runtime):
    store(runtime, make_account(ADDRESS, balance_kurus=123456), holder_name=HOLDER, contact_email="cagla@example.com")
    run_renewal(runtime, JobRequest(as_of=date(2025, 3, 1)))
    return NoticeModel.get(ADDRESS, "renewed#2025-03-01")


def sent_message(message_id: str) -> email.message.EmailMessage:
    return email.message_from_bytes(sent_raw_messages()[message_id], policy=policy.default)


def test_notice_sent_once_with_message_id(runtime):
    renewed_notice(runtime)

    first = Notifier(runtime).run(JobRequest(as_of=date(2025, 3, 1)))
    second = Notifier(runtime).run(JobRequest(as_of=date(2025, 3, 2)))

    item = NoticeModel.get(ADDRESS, "renewed#2025-03-01")
    assert first.counts["sent"] == 1
    assert second.counts == {}
    assert item.status == "sent"
    assert item.pending_shard is None
    assert item.recipient == "cagla@example.com"
    assert item.message_id in sent_raw_messages()


def test_two_senders_racing_send_once(runtime):
    renewed_notice(runtime)
    already_sent = set(sent_raw_messages())
    notifier_a, notifier_b = Notifier(runtime), Notifier(runtime)
    claims = []
    original_claim = runtime.notices.claim

    def claim_after_other_sender(kep_address, notice_key, claimed_at):
        if not claims:
            claims.append(True)
            notifier_b.run(JobRequest(as_of=date(2025, 3, 1)))
        return original_claim(kep_address, notice_key, claimed_at)

    runtime.notices.claim = claim_after_other_sender
    report_a = notifier_a.run(JobRequest(as_of=date(2025, 3, 1)))
    runtime.notices.claim = original_claim

    assert report_a.counts["already_claimed"] == 1
    assert report_a.counts["sent"] == 0
    assert len(set(sent_raw_messages()) - already_sent) == 1


def test_holder_name_rendered_in_subject_text_and_html(runtime):
    renewed_notice(runtime)

    Notifier(runtime).run(JobRequest(as_of=date(2025, 3, 1)))

    message = sent_message(NoticeModel.get(ADDRESS, "renewed#2025-03-01").message_id)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert message["Subject"] == "Çağla <Öztürk> & Şükrü İnce: KEP hesabınız yenilendi"
    assert message["To"] == "cagla@example.com"
    assert message["Content-Language"] == "tr"
    assert "Sayın Çağla <Öztürk> & Şükrü İnce," in text
    assert "Sayın Çağla &lt;Öztürk&gt; &amp; Şükrü İnce," in html
    assert "<Öztürk>" not in html
    assert "Yıllık üyelik ücreti olan 70,00 TL, KEP hesap bakiyenizden tahsil edildi. Kalan bakiyeniz: 1.164,56 TL." in text
    assert "01.03.2025 tarihinde başladı ve 28.02.2026 tarihinde sona erecek" in text
    assert "<strong>1.164,56 TL</strong>" in html


def test_rejected_send_returns_notice_to_queue(runtime, endpoint_url):
    renewed_notice(runtime)
    object.__setattr__(runtime.settings, "notice_sender", "Doğrulanmamış <yok@dogrulanmamis.example.com.tr>")

    failed = Notifier(runtime).run(JobRequest(as_of=date(2025, 3, 1)))

    item = NoticeModel.get(ADDRESS, "renewed#2025-03-01")
    assert failed.counts["send_failed"] == 1
    assert item.status == "pending"
    assert item.attempts == 1
    assert item.last_error == "MessageRejected"

    boto3.client("sesv2", endpoint_url=endpoint_url, region_name="eu-central-1").create_email_identity(
        EmailIdentity="yok@dogrulanmamis.example.com.tr")
    retried = Notifier(runtime).run(JobRequest(as_of=date(2025, 3, 2)))
    assert retried.counts["sent"] == 1
    assert NoticeModel.get(ADDRESS, "renewed#2025-03-01").status == "sent"


def test_informational_notice_suppressed_after_opt_out(runtime):
    store(runtime, make_account(ADDRESS, informational_opt_out=True, used_bytes=95 * 1_048_576))
    from kep_lifecycle.services.quota_scan import check_account
    from kep_lifecycle.services.jobs import JobReport

    check_account(runtime, ADDRESS, date(2025, 3, 10), JobReport("quota_scan", date(2025, 3, 10), False))
    report = Notifier(runtime).run(JobRequest(as_of=date(2025, 3, 10)))

    item = NoticeModel.get(ADDRESS, "quota_warning#2025-03-01")
    assert item.status == "suppressed"
    assert report.counts == {}


def test_every_notice_kind_renders_in_turkish(runtime):
    """Each kind renders with the context its rule produces, naming the address and no placeholder left."""
    from kep_lifecycle.notices.render import NoticeRenderer

    settings = runtime.settings
    renderer = NoticeRenderer(settings.resolved_templates_dir(), settings.provider_name, settings.portal_url)
    packages = [{"megabytes": 250, "price_kurus": 6000}]
    contexts = {
        NoticeKind.RENEWAL_REMINDER: {"renewal_date": "2025-03-01", "days_left": 7, "fee_kurus": 7000,
                                      "balance_kurus": 5000, "shortfall_kurus": 2000, "paid_earlier": False,
                                      "auto_renew": True, "used_bytes": 1, "next_quota_bytes": 104857600,
                                      "over_next_quota": False, "storage_packages": packages},
        NoticeKind.GRACE_REMINDER: {"days_since_failure": 7, "days_left": 7, "grace_deadline": "2025-03-15",
                                    "closing_date": "2025-03-16", "fee_kurus": 7000, "balance_kurus": 0,
                                    "shortfall_kurus": 7000},
        NoticeKind.ACCOUNT_CLOSED: {"closed_on": "2025-03-16", "period_start": "2025-03-01", "fee_kurus": 7000},
        NoticeKind.QUOTA_ENFORCEMENT_ANNOUNCEMENT: {"channel": "web_service", "start_date": "2024-10-01",
                                                    "used_bytes": 104857601, "quota_bytes": 104857600,
                                                    "storage_packages": packages},
        NoticeKind.HARCAMA_BIRIMI_MISSING: {"renewal_date": "2025-03-01", "missing_fields": ["name", "vkn"]},
    }
    for kind, context in contexts.items():
        rendered = renderer.render(kind, {"account_type": "kamu_kurumu", **context}, ADDRESS, HOLDER)
        assert rendered.subject.startswith("Çağla <Öztürk> & Şükrü İnce: ")
        assert ADDRESS in rendered.text
        assert ADDRESS in rendered.html
        assert "{{" not in rendered.text
        assert "None" not in rendered.text
    harcama = renderer.render(NoticeKind.HARCAMA_BIRIMI_MISSING,
                              {"account_type": "kamu_kurumu", **contexts[NoticeKind.HARCAMA_BIRIMI_MISSING]},
                              ADDRESS, HOLDER)
    assert "Harcama Birimi adı" in harcama.text
    assert "Harcama Birimi vergi kimlik numarası (VKN)" in harcama.text
    assert "01.03.2025" in harcama.text
