"""Render a recorded notice into a Turkish MIME message with a plain-text and an HTML part.

Each kind has three templates in the notices template folder: `KIND.subject.txt`,
`KIND.txt` and `KIND.html`. HTML templates are autoescaped; text and subject are not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from datetime import datetime, timezone
from pathlib import Path

from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..domain.account import BYTES_PER_MEGABYTE
from ..domain.dates import format_tr
from ..domain.money import format_try
from ..domain.notices import NoticeKind

ACCOUNT_TYPE_LABELS = {
    "gercek_kisi": "gerçek kişi",
    "tuzel_kisi": "tüzel kişi",
    "diger_tuzel_kisi": "diğer tüzel kişi",
    "kamu_kurumu": "kamu kurumu",
}
CHANNEL_LABELS = {"webmail": "webmail", "web_service": "web servis"}
HARCAMA_FIELD_LABELS = {"name": "Harcama Birimi adı", "vkn": "Harcama Birimi vergi kimlik numarası (VKN)"}
REOPEN_CHANNEL_LABELS = {"petition": "şubeye verilen dilekçe", "online_e_signature": "e-imza / mobil imza ile çevrim içi başvuru"}


def format_date_filter(value: str | date) -> str:
    return format_tr(value if isinstance(value, date) else date.fromisoformat(value))


def format_megabytes(value: int) -> str:
    """Format bytes as megabytes with Turkish separators: 104857600 -> '100 MB', 99614720 -> '95,0 MB'.

    Amounts under a tenth of a megabyte are shown in bytes, so a one-byte overrun does not read '0,0 MB'.
    """
    if 0 < int(value) < BYTES_PER_MEGABYTE // 10:
        return f"{format_decimal(int(value), format='#,##0', locale='tr_TR')} bayt"
    megabytes = Decimal(int(value)) / BYTES_PER_MEGABYTE
    pattern = "#,##0" if megabytes == megabytes.to_integral_value() else "#,##0.0"
    return f"{format_decimal(megabytes, format=pattern, locale='tr_TR')} MB"


def format_storage_size(megabytes: int) -> str:
    if megabytes % 1024 == 0:
        return f"{megabytes // 1024} GB"
    return f"{megabytes} MB"


def join_turkish(items: list[str]) -> str:
    """Join words as Turkish prose does: 'a', 'a ve b', 'a, b ve c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} ve {items[-1]}"


def single_line(value: str) -> str:
    """Fold line breaks so that a value can never start a new header line."""
    return " ".join(str(value).split())


@dataclass(frozen=True)
class RenderedNotice:
    subject: str
    text: str
    html: str


class NoticeRenderer:
    def __init__(self, templates_dir: Path, provider_name: str, portal_url: str) -> None:
        if not templates_dir.is_dir():
            raise FileNotFoundError(f"notice template folder not found: {templates_dir}")
        self._provider = {"provider_name": provider_name, "portal_url": portal_url}
        self._html = self._environment(templates_dir, autoescape=True)
        self._text = self._environment(templates_dir, autoescape=False)

    @staticmethod
    def _environment(templates_dir: Path, autoescape: bool) -> Environment:
        environment = Environment(
            loader=FileSystemLoader(str(templates_dir)),
            autoescape=select_autoescape(enabled_extensions=("html",), default=False) if autoescape else False,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        environment.filters.update({
            "tarih": format_date_filter,
            "tl": format_try,
            "mb": format_megabytes,
            "alan_boyutu": format_storage_size,
            "kanal": lambda code: CHANNEL_LABELS[code],
            "kanallar": lambda codes: join_turkish([CHANNEL_LABELS[code] for code in codes]),
            "harcama_alani": lambda code: HARCAMA_FIELD_LABELS[code],
            "basvuru_yolu": lambda code: REOPEN_CHANNEL_LABELS[code],
            "ve_ile": join_turkish,
        })
        return environment

    def render(self, kind: NoticeKind, context: dict, kep_address: str, holder_name: str) -> RenderedNotice:
        variables = {
            **context,
            **self._provider,
            "kind": kind.value,
            "kep_address": kep_address,
            "holder_name": single_line(holder_name),
            "account_type_label": ACCOUNT_TYPE_LABELS.get(context.get("account_type", ""), ""),
        }
        subject = self._text.get_template(f"{kind.value}.subject.txt").render(variables)
        return RenderedNotice(
            subject=single_line(subject),
            text=self._text.get_template(f"{kind.value}.txt").render(variables),
            html=self._html.get_template(f"{kind.value}.html").render(variables),
        )


def build_message(rendered: RenderedNotice, sender: str, recipient: str, kind: NoticeKind,
                  sent_at: datetime | None = None) -> EmailMessage:
    """Assemble the multipart/alternative message that goes to SES as raw MIME."""
    # CPython 3.11 drops the space between two encoded words when it folds a long non-ASCII
    # header, so headers are kept on one line (RFC 5322 allows 998 characters).
    message = EmailMessage(policy=SMTP.clone(max_line_length=998))
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = rendered.subject
    message["Date"] = format_datetime(sent_at or datetime.now(timezone.utc))
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].rstrip(">"))
    message["X-KEP-Notice-Kind"] = kind.value
    message.set_content(rendered.text, subtype="plain", charset="utf-8")
    message.add_alternative(rendered.html, subtype="html", charset="utf-8")
    # set_content drops Content-* headers, so the language is set once the body is in place.
    message["Content-Language"] = "tr"
    return message
