"""Generate the synthetic input of the sample local run (2025-02-20 to 2025-04-04).

Writes sample_accounts.jsonl and sample_events.jsonl next to this script. Every name,
address, tax number and amount is invented, and the fixed seed makes both files identical
on every run. A crafted set of about 190 accounts reaches the renewal, grace, closure,
reopening and quota paths inside the run window. The other accounts are background: active
ones renew on dates spread over the year after the first run day, closed ones stopped in 2024.

    .venv/bin/python data/generate_sample.py [--accounts 3000]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
from datetime import date, timedelta
from pathlib import Path

SEED = 20250220
# Sized so that `make run` over 44 days stays under two minutes on a 2-core machine. The quota
# job scans every account daily, and that scan dominates a local run on moto.
DEFAULT_ACCOUNTS = 1800
OUTPUT_DIR = Path(__file__).resolve().parent

RUN_START = date(2025, 2, 20)
RUN_END = date(2025, 4, 4)
FEE_KURUS = 7000
GRACE_DAYS = 14
MB = 1_048_576
FREE_QUOTA_BYTES = 100 * MB
# End of storage that some crafted accounts buy during the window.
STORAGE_VALID_UNTIL = date(2026, 3, 1)

GERCEK, TUZEL, DIGER, KAMU = "gercek_kisi", "tuzel_kisi", "diger_tuzel_kisi", "kamu_kurumu"
ACCOUNT_TYPES = (GERCEK, TUZEL, DIGER, KAMU)
# Share of each account type among the background accounts.
BACKGROUND_TYPE_WEIGHTS = (55, 30, 8, 7)
KEP_HOSTS = ("hs01", "hs01", "hs01", "hs02", "hs03")
CONTACT_DOMAINS = ("example.com", "example.org", "example.net")

FIRST_NAMES = (
    "Ayşe", "Çağrı", "Gülşen", "Şükrü", "İsmail", "Özge", "Ümit", "Ilgın", "Mehmet", "Fatma",
    "Emine", "Hüseyin", "Zeynep", "Oğuz", "Büşra", "Gökhan", "Şebnem", "Ömer", "İrem", "Tuğba",
    "Çiğdem", "Doğan", "Hülya", "Kübra", "Serkan", "Nurşen", "Yiğit", "Ebru", "Barış", "Sıla",
    "Işıl", "Öykü", "Günay", "Cem", "Selin", "Emre", "Merve", "Burak", "Deniz", "Elif",
    "Aslı", "Murat", "Hakan", "Tülay", "Şule", "Ülkü", "Ilgaz", "Gönül", "Süleyman", "İlknur",
)
SURNAMES = (
    "Demir", "Yılmaz", "Kaya", "Şahin", "Çelik", "Öztürk", "Aydın", "Arslan", "Doğan", "Kılıç",
    "Çetin", "Koç", "Kurt", "Özdemir", "Şimşek", "Polat", "Güneş", "Akgül", "Uçar", "Yıldız",
    "Ünal", "İnce", "Bozkurt", "Sarıgül", "Karaçam", "Ağaoğlu", "Gündoğdu", "Işık", "Tekin",
    "Çakır", "Kahraman", "Başaran", "Korkmaz", "Sönmez", "Eroğlu", "Erdem", "Türkmen", "Gümüş",
)
COMPANY_STEMS = (
    "Anadolu", "Boğaziçi", "Ege", "Karadeniz", "Toros", "Kapadokya", "Yıldız", "Çınar", "Defne",
    "Marmara", "Fırat", "Göksu", "Ilıca", "Öncü", "Uğur", "Kızılırmak", "Doruk", "Süreyya",
    "Akdeniz", "Gökkuşağı", "Çağdaş", "Işıklar", "Özgür", "Ünlüce", "Şafak",
)
COMPANY_SECTORS = (
    "İnşaat", "Lojistik", "Gıda", "Tekstil", "Yazılım", "Makine", "Enerji", "Danışmanlık",
    "Turizm", "Tarım Ürünleri", "Mühendislik", "Kimya", "Mobilya", "Otomotiv Yedek Parça",
    "Ambalaj", "Sağlık Hizmetleri", "Bilişim", "Gümrük Müşavirliği", "Madencilik", "Peyzaj",
)
COMPANY_FORMS = ("A.Ş.", "Ltd. Şti.", "Sanayi ve Ticaret A.Ş.", "Ticaret Ltd. Şti.")
PLACES = (
    "İzmir", "Çanakkale", "Şanlıurfa", "Muğla", "Eskişehir", "Gümüşhane", "Iğdır", "Kırşehir",
    "Düzce", "Ağrı", "Bartın", "Uşak", "Çorum", "Niğde", "Ödemiş", "Kuşadası", "Beşiktaş",
    "Üsküdar", "Bağcılar", "Karşıyaka", "Çankaya", "Keçiören", "Şişli", "Muş", "Kütahya",
)
ASSOCIATION_TOPICS = (
    "Doğa Sporları Derneği", "Engelliler Dayanışma Derneği", "Kültür ve Sanat Derneği",
    "Kadın Girişimciler Derneği", "Çevre Koruma Derneği", "Amatör Balıkçılar Derneği",
    "Halk Dansları Derneği", "Eğitim ve Kültür Vakfı", "Sağlık ve Yardımlaşma Vakfı",
    "Öğrencilere Burs Vakfı", "Tarımsal Kalkınma Kooperatifi", "Konut Yapı Kooperatifi",
    "Süt Üreticileri Kooperatifi", "Esnaf ve Sanatkârlar Kredi ve Kefalet Kooperatifi",
)
INSTITUTION_KINDS = (
    "Belediyesi", "İl Sağlık Müdürlüğü", "İl Milli Eğitim Müdürlüğü", "İlçe Tarım ve Orman Müdürlüğü",
    "Tapu Müdürlüğü", "Gençlik ve Spor İl Müdürlüğü", "Kaymakamlığı", "Defterdarlığı",
)
SPENDING_UNITS = (
    "Destek Hizmetleri Müdürlüğü", "Mali Hizmetler Müdürlüğü", "Strateji Geliştirme Birimi",
    "İdari ve Mali İşler Müdürlüğü",
)
# Words of a legal person's name left out of its address.
ADDRESS_STOPWORDS = {"a.ş.", "ltd.", "şti.", "ve", "sanayi", "ticaret", "&"}
ASCII_FOLD = str.maketrans("çğıİöşüÇĞÖŞÜâîûÂÎÛ", "cgiIosuCGOSUaiuAIU")
# Passed as harcama_birimi to leave the field out of the account line.
OMIT = object()


def in_2025(month: int, day: int) -> date:
    return date(2025, month, day)


def plus_days(day: date, days: int) -> date:
    return day + timedelta(days=days)


def one_year_later(day: date) -> date:
    """Return the same month and day a year on, with 29 February becoming 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def ascii_slug(text: str) -> str:
    """Fold Turkish letters to ASCII, lower-case, and drop everything but letters and digits."""
    return re.sub(r"[^a-z0-9]", "", text.translate(ASCII_FOLD).lower())


def megabytes(count: float) -> int:
    return int(count * MB)


class SampleBuilder:
    """Collects account and event lines, keeping KEP addresses unique."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.accounts: list[dict] = []
        self.events: list[dict] = []
        self.addresses: set[str] = set()

    def holder_name(self, account_type: str) -> str:
        choice = self.rng.choice
        if account_type == GERCEK:
            given_names = choice(FIRST_NAMES)
            if self.rng.random() < 0.1:
                given_names = f"{given_names} {choice(FIRST_NAMES)}"
            return f"{given_names} {choice(SURNAMES)}"
        if account_type == TUZEL:
            if self.rng.random() < 0.25:
                return f"{choice(SURNAMES)} Kardeşler {choice(COMPANY_SECTORS)} {choice(COMPANY_FORMS)}"
            return f"{choice(COMPANY_STEMS)} {choice(COMPANY_SECTORS)} {choice(COMPANY_FORMS)}"
        if account_type == DIGER:
            return f"{choice(PLACES)} {choice(ASSOCIATION_TOPICS)}"
        return f"{choice(PLACES)} {choice(INSTITUTION_KINDS)}"

    def _kep_address(self, account_type: str, holder_name: str) -> str:
        host = self.rng.choice(KEP_HOSTS)
        if account_type == GERCEK:
            words = holder_name.split()
            base = f"{ascii_slug(words[0])}.{ascii_slug(words[-1])}"
            # Two-digit numbers first, wider ones once a common name has used many of them.
            for attempt in itertools.count():
                number = self.rng.randint(1, 99 if attempt < 20 else 9999)
                address = f"{base}.{number}@{host}.kep.tr"
                if address not in self.addresses:
                    return address
        words = [word for word in holder_name.split() if word.lower() not in ADDRESS_STOPWORDS]
        slug = "".join(ascii_slug(word) for word in words[:3])[:30]
        for suffix in itertools.chain([""], itertools.count(2)):
            address = f"{slug}{suffix}@{slug}{suffix}.{host}.kep.tr"
            if address not in self.addresses:
                return address

    def _contact_email(self, account_type: str, kep_address: str) -> str:
        domain = self.rng.choice(CONTACT_DOMAINS)
        local = kep_address.split("@")[0]
        if account_type == GERCEK:
            return f"{local.rsplit('.', 1)[0]}{self.rng.randint(1, 999)}@{domain}"
        role = self.rng.choice(("bilgi", "muhasebe", "idari.isler", "kep"))
        return f"{role}.{local}@{domain}"

    def default_harcama_birimi(self) -> dict:
        return {"name": self.rng.choice(SPENDING_UNITS), "vkn": self.vkn()}

    def vkn(self) -> str:
        return str(self.rng.randrange(10**9, 10**10))

    def add_account(self, account_type: str, renewal_date: date, balance_kurus: int, *,
                    used_bytes: int | None = None, holder_name: str | None = None,
                    auto_renew: bool | None = None, closed: bool = False,
                    extra_storage: list[tuple[int, date]] | None = None, harcama_birimi=None,
                    informational_opt_out: bool | None = None) -> str:
        """Append one account line and return its KEP address.

        Without `used_bytes` the account uses 5 to 60 MB, well below the 90 % warning. A
        public institution gets complete Harcama Birimi fields unless `harcama_birimi` is
        given, and OMIT leaves the field out.
        """
        holder_name = holder_name or self.holder_name(account_type)
        kep_address = self._kep_address(account_type, holder_name)
        self.addresses.add(kep_address)
        if used_bytes is None:
            used_bytes = megabytes(self.rng.uniform(5, 60))
        line = {
            "kep_address": kep_address,
            "account_type": account_type,
            "holder_name": holder_name,
            "contact_email": self._contact_email(account_type, kep_address),
            "balance_kurus": balance_kurus,
            "renewal_date": renewal_date.isoformat(),
            "used_bytes": used_bytes,
        }
        if auto_renew is not None:
            line["auto_renew"] = auto_renew
        if closed:
            line["status"] = "closed"
        if extra_storage:
            line["extra_storage"] = [{"megabytes": size, "valid_until": until.isoformat()}
                                     for size, until in extra_storage]
        if account_type == KAMU and harcama_birimi is None:
            harcama_birimi = self.default_harcama_birimi()
        if harcama_birimi is not None and harcama_birimi is not OMIT:
            line["harcama_birimi"] = harcama_birimi
        if informational_opt_out is not None:
            line["informational_opt_out"] = informational_opt_out
        self.accounts.append(line)
        return kep_address

    def add_event(self, day: date, kep_address: str, event_type: str, **fields) -> None:
        if not RUN_START <= day <= RUN_END:
            raise ValueError(f"event date {day} is outside the run window {RUN_START}..{RUN_END}")
        if kep_address not in self.addresses:
            raise ValueError(f"event for unknown KEP address {kep_address}")
        values = {key: value.isoformat() if isinstance(value, date) else value for key, value in fields.items()}
        self.events.append({"date": day.isoformat(), "kep_address": kep_address, "type": event_type, **values})

    def top_up(self, day: date, kep_address: str, amount_kurus: int) -> None:
        self.add_event(day, kep_address, "balance_top_up", amount_kurus=amount_kurus)

    def change_usage(self, day: date, kep_address: str, used_bytes: int) -> None:
        self.add_event(day, kep_address, "usage_changed", used_bytes=used_bytes)

    def buy_storage(self, day: date, kep_address: str, size_mb: int, valid_until: date) -> None:
        self.add_event(day, kep_address, "storage_purchased", megabytes=size_mb, valid_until=valid_until)

    def renew_early(self, day: date, kep_address: str) -> None:
        self.add_event(day, kep_address, "early_renewal")

    def request_reopening(self, day: date, kep_address: str, channel: str) -> None:
        self.add_event(day, kep_address, "reopen_requested", channel=channel)

    def ample_balance(self) -> int:
        return FEE_KURUS + self.rng.randint(500, 40_000)

    def later_renewal_date(self) -> date:
        """Return a renewal date after the window and its reminders, so only the quota path acts."""
        return plus_days(in_2025(6, 1), self.rng.randint(0, 200))

    def closed_renewal_date(self) -> date:
        """Return a 2024 renewal date, as a closed account keeps the date it stopped on."""
        return plus_days(date(2024, 1, 1), self.rng.randint(0, 365))


# Crafted accounts. Each function places accounts on one group of paths inside the window.

def add_renewal_charges(b: SampleBuilder) -> None:
    """Charge on the renewal date with a balance above, equal to and one kuruş below the fee."""
    renewal_days = iter(plus_days(in_2025(2, 21), 2 * index) for index in range(24))
    for account_type in ACCOUNT_TYPES:
        for _ in range(2):
            b.add_account(account_type, next(renewal_days), b.ample_balance())
            b.add_account(account_type, next(renewal_days), FEE_KURUS)
            b.add_account(account_type, next(renewal_days), FEE_KURUS - 1)


def add_renewal_calendar(b: SampleBuilder) -> None:
    """Spread paid renewals over every other day of the window, both ends included."""
    day, types = RUN_START, itertools.cycle(ACCOUNT_TYPES)
    while day <= RUN_END:
        b.add_account(next(types), day, b.ample_balance())
        day = plus_days(day, 2)
    b.add_account(GERCEK, RUN_END, b.ample_balance())

    # 28 February is the 2025 anniversary of a period that started on 29 February 2024. The
    # file cannot state that origin, so these accounts renew on 28 February like any other date.
    b.add_account(GERCEK, in_2025(2, 28), b.ample_balance())
    b.add_account(TUZEL, in_2025(2, 28), b.ample_balance())
    b.add_account(GERCEK, in_2025(3, 1), b.ample_balance())


def add_reminders_after_window(b: SampleBuilder) -> None:
    """Place renewal dates from 2025-04-11 to 2025-05-10, whose 30-day reminders fall inside the window.

    Those up to 2025-04-17 also get their 7-day reminder inside it. The variants cover a
    shortfall, automatic renewal off, usage over the next period's quota, missing
    Harcama Birimi fields and a period paid early.
    """
    types = itertools.cycle(ACCOUNT_TYPES)
    for offset in range(1, 31):
        renewal_date = plus_days(RUN_END, offset)
        account_type = next(types)
        variant = offset % 6
        if variant == 0:
            b.add_account(account_type, renewal_date, b.ample_balance())
        elif variant == 1:
            b.add_account(account_type, renewal_date, b.rng.randint(0, FEE_KURUS - 1))
        elif variant == 2:
            b.add_account(account_type, renewal_date, b.ample_balance(), auto_renew=False)
        elif variant == 3:
            # Storage bought for the current period ends on the renewal date, and 150 MB
            # will not fit the 100 MB that remain.
            b.add_account(account_type, renewal_date, b.ample_balance(), used_bytes=megabytes(150),
                          extra_storage=[(250, renewal_date)])
        elif variant == 4:
            b.add_account(KAMU, renewal_date, b.ample_balance(), harcama_birimi=OMIT)
        else:
            address = b.add_account(account_type, renewal_date, FEE_KURUS + 2500)
            b.renew_early(in_2025(3, 3), address)


def add_early_renewals(b: SampleBuilder, closed_address: str) -> None:
    """Pay the coming period before its renewal date, and requests that early renewal rejects."""
    address = b.add_account(GERCEK, in_2025(3, 25), 12_000)
    b.renew_early(in_2025(3, 3), address)

    address = b.add_account(TUZEL, in_2025(3, 31), FEE_KURUS)
    b.renew_early(in_2025(3, 10), address)

    # Paid early and then automatic renewal off: the paid period still starts.
    address = b.add_account(DIGER, in_2025(3, 20), 8000, auto_renew=False)
    b.renew_early(in_2025(2, 25), address)

    address = b.add_account(KAMU, in_2025(6, 15), 20_000)
    b.renew_early(in_2025(3, 14), address)

    address = b.add_account(GERCEK, in_2025(2, 27), 9000)
    b.renew_early(in_2025(2, 21), address)

    # Rejected: balance too low, then a failed charge on the renewal date.
    address = b.add_account(GERCEK, in_2025(3, 28), 3500)
    b.renew_early(in_2025(3, 5), address)

    # Rejected: the second request for a period already paid.
    address = b.add_account(TUZEL, in_2025(4, 5), 15_000)
    b.renew_early(in_2025(3, 1), address)
    b.renew_early(in_2025(3, 8), address)

    # Rejected: requested on the renewal date itself, when the renewal job charges anyway.
    address = b.add_account(GERCEK, in_2025(3, 13), 9000)
    b.renew_early(in_2025(3, 13), address)

    # Rejected: the account is closed.
    b.renew_early(in_2025(3, 2), closed_address)


def add_subscription_ends(b: SampleBuilder) -> None:
    """Close accounts with automatic renewal off on their renewal date, whatever their balance."""
    renewal_days = (in_2025(3, 2), in_2025(3, 16), in_2025(3, 29), in_2025(4, 7))
    for account_type, renewal_date in zip(ACCOUNT_TYPES, renewal_days):
        b.add_account(account_type, renewal_date, b.ample_balance(), auto_renew=False)
        b.add_account(account_type, plus_days(renewal_date, 1), b.rng.randint(0, FEE_KURUS - 1),
                      auto_renew=False)


def add_grace_paths(b: SampleBuilder) -> None:
    """Fail the charge on the renewal date, then pay or close within the 14-day grace period.

    On a run that is on time the deadline is the renewal date plus 14 days, and an account
    still unpaid is closed the day after.
    """
    renewal_days = iter(plus_days(in_2025(2, 21), index) for index in range(40))
    for account_type in ACCOUNT_TYPES:
        # Paid during grace: the top-up covers exactly the fee.
        renewal_date = next(renewal_days)
        address = b.add_account(account_type, renewal_date, 2000)
        b.top_up(plus_days(renewal_date, 5), address, 5000)

        # Paid on the deadline day, after both grace reminders.
        renewal_date = next(renewal_days)
        address = b.add_account(account_type, renewal_date, 1000)
        b.top_up(plus_days(renewal_date, GRACE_DAYS), address, 6500)

        # A partial top-up: still short, closed the day after the deadline with the balance kept.
        renewal_date = next(renewal_days)
        address = b.add_account(account_type, renewal_date, 500)
        b.top_up(plus_days(renewal_date, 9), address, 3000)

        # No top-up: closed the day after the deadline.
        renewal_date = next(renewal_days)
        b.add_account(account_type, renewal_date, b.rng.randint(0, 3000))

        # A top-up on the day after the deadline, applied before that day's jobs.
        renewal_date = next(renewal_days)
        address = b.add_account(account_type, renewal_date, 4000)
        b.top_up(plus_days(renewal_date, GRACE_DAYS + 1), address, 3000)

    address = b.add_account(GERCEK, in_2025(3, 17), FEE_KURUS - 1)
    b.top_up(in_2025(3, 19), address, 1)

    # In grace and over quota: both restrictions at once, then closed.
    b.add_account(TUZEL, in_2025(3, 5), 0, used_bytes=megabytes(120))
    # The quota falls back on the renewal date even though the fee is not collected.
    renewal_date = in_2025(3, 9)
    b.add_account(KAMU, renewal_date, 0, used_bytes=megabytes(180), extra_storage=[(250, renewal_date)])

    address = b.add_account(
        TUZEL, in_2025(3, 14), 1200, holder_name="Çağla <Öztürk> & Şükrü İnce Ortaklığı")
    b.top_up(in_2025(3, 24), address, 10_000)


def add_reopenings(b: SampleBuilder) -> str:
    """Reopen closed accounts by petition or online e-signature, and requests that reopening rejects.

    Returns one closed address that other groups send rejected requests to.
    """
    closed = b.closed_renewal_date

    for account_type, day in zip((TUZEL, DIGER, KAMU, GERCEK),
                                 (in_2025(3, 4), in_2025(3, 18), in_2025(3, 26), in_2025(4, 1))):
        address = b.add_account(account_type, closed(), b.ample_balance(), closed=True)
        b.request_reopening(day, address, "petition")

    address = b.add_account(DIGER, closed(), 2000, closed=True)
    b.request_reopening(in_2025(3, 6), address, "petition")

    address = b.add_account(GERCEK, closed(), 7500, closed=True)
    b.request_reopening(in_2025(3, 11), address, "online_e_signature")

    address = b.add_account(GERCEK, closed(), FEE_KURUS - 1, closed=True)
    b.request_reopening(in_2025(3, 12), address, "online_e_signature")

    # Online reopening is for natural persons only, whatever the balance.
    for account_type, day in zip((TUZEL, DIGER, KAMU), (in_2025(3, 13), in_2025(3, 14), in_2025(3, 15))):
        address = b.add_account(account_type, closed(), 50_000, closed=True)
        b.request_reopening(day, address, "online_e_signature")

    # Rejected for the balance, then reopened after a top-up that brings the balance to exactly the fee.
    address = b.add_account(GERCEK, closed(), 1000, closed=True)
    b.request_reopening(in_2025(3, 3), address, "petition")
    b.top_up(in_2025(3, 10), address, 6000)
    b.request_reopening(in_2025(3, 11), address, "petition")
    b.request_reopening(in_2025(3, 19), address, "petition")

    # Closed over quota: never restricted while closed.
    b.add_account(GERCEK, closed(), 3000, closed=True, used_bytes=megabytes(150))
    b.add_account(KAMU, closed(), 0, closed=True, used_bytes=megabytes(400))
    address = b.add_account(DIGER, closed(), 0, closed=True, used_bytes=FREE_QUOTA_BYTES + 1)
    b.change_usage(in_2025(3, 8), address, megabytes(130))
    # Reopened over quota: restricted from the reopening day.
    address = b.add_account(TUZEL, closed(), 20_000, closed=True, used_bytes=megabytes(180))
    b.request_reopening(in_2025(3, 20), address, "petition")

    # Storage cannot be bought for a closed account.
    target = b.add_account(GERCEK, closed(), 5000, closed=True)
    b.buy_storage(in_2025(3, 7), target, 250, STORAGE_VALID_UNTIL)

    # Reopening an active account is rejected, in grace or not.
    address = b.add_account(TUZEL, b.later_renewal_date(), b.ample_balance())
    b.request_reopening(in_2025(3, 9), address, "petition")
    address = b.add_account(GERCEK, in_2025(3, 7), 100)
    b.request_reopening(in_2025(3, 12), address, "online_e_signature")
    return target


def add_closed_then_reopened(b: SampleBuilder) -> None:
    """Close accounts during the run and reopen them later in the window after a top-up."""
    address = b.add_account(GERCEK, in_2025(2, 22), 300)
    b.top_up(in_2025(3, 14), address, FEE_KURUS)
    b.request_reopening(in_2025(3, 15), address, "online_e_signature")

    address = b.add_account(TUZEL, in_2025(2, 25), 0)
    b.request_reopening(in_2025(3, 17), address, "petition")
    b.top_up(in_2025(3, 24), address, 10_000)
    b.request_reopening(in_2025(3, 25), address, "petition")

    address = b.add_account(GERCEK, in_2025(3, 3), 9000, auto_renew=False)
    b.request_reopening(in_2025(3, 20), address, "online_e_signature")

    address = b.add_account(KAMU, in_2025(3, 10), 2000, auto_renew=False)
    b.top_up(in_2025(4, 2), address, 8000)
    b.request_reopening(in_2025(4, 3), address, "petition")


def add_quota_paths(b: SampleBuilder) -> None:
    """Restrict, warn and lift by used space against the 100 MB quota plus bought storage."""
    later = b.later_renewal_date

    for account_type in ACCOUNT_TYPES:
        b.add_account(account_type, later(), b.ample_balance(), used_bytes=FREE_QUOTA_BYTES + 1)
        b.add_account(account_type, later(), b.ample_balance(), used_bytes=FREE_QUOTA_BYTES)

    # Exactly 90 % warns; one byte less does not.
    for account_type in (GERCEK, TUZEL):
        b.add_account(account_type, later(), b.ample_balance(), used_bytes=FREE_QUOTA_BYTES * 90 // 100)
        b.add_account(account_type, later(), b.ample_balance(), used_bytes=FREE_QUOTA_BYTES * 90 // 100 - 1)
    for account_type in (DIGER, KAMU):
        b.add_account(account_type, later(), b.ample_balance(), used_bytes=megabytes(95))
    # Opted out of informational mail: the 90 % warning is withheld.
    for account_type in (GERCEK, TUZEL):
        b.add_account(account_type, later(), b.ample_balance(), used_bytes=megabytes(96),
                      informational_opt_out=True)

    add_storage_purchases(b)

    # Usage falls below the quota: the restriction is lifted.
    for account_type, day in zip(ACCOUNT_TYPES, (in_2025(3, 5), in_2025(3, 12), in_2025(3, 19), in_2025(3, 26))):
        address = b.add_account(account_type, later(), b.ample_balance(), used_bytes=megabytes(130))
        b.change_usage(day, address, megabytes(60))
    address = b.add_account(TUZEL, later(), b.ample_balance(), used_bytes=megabytes(112),
                            holder_name="Kaya & Şahin Danışmanlık Ltd. Şti.")
    b.change_usage(in_2025(3, 6), address, megabytes(99))

    # Usage rises to the warning, over the quota, and falls back.
    for account_type, first_day in ((GERCEK, in_2025(3, 8)), (KAMU, in_2025(3, 9))):
        address = b.add_account(account_type, later(), b.ample_balance(), used_bytes=megabytes(70))
        b.change_usage(first_day, address, megabytes(96))
        b.change_usage(plus_days(first_day, 10), address, megabytes(110))
        b.change_usage(plus_days(first_day, 25), address, megabytes(50))

    # Storage bought for the current period ends on the renewal date: the quota falls back to
    # 100 MB and the account is restricted on that day.
    for account_type, renewal_date in zip(ACCOUNT_TYPES, (in_2025(3, 6), in_2025(3, 19), in_2025(4, 1), in_2025(4, 8))):
        b.add_account(account_type, renewal_date, b.ample_balance(), used_bytes=megabytes(180),
                      extra_storage=[(250, renewal_date)])
    # Storage already bought for the next period still counts after the renewal date.
    renewal_date = in_2025(3, 21)
    b.add_account(TUZEL, renewal_date, b.ample_balance(), used_bytes=megabytes(330),
                  extra_storage=[(500, renewal_date), (250, one_year_later(renewal_date))])

    # The 90 % warning goes once per period, so it is sent again after the renewal date.
    for account_type, renewal_date in ((GERCEK, in_2025(3, 10)), (DIGER, in_2025(3, 23))):
        b.add_account(account_type, renewal_date, b.ample_balance(), used_bytes=megabytes(96))


def add_storage_purchases(b: SampleBuilder) -> None:
    """Buy storage the day after a restriction: 250, 500 and 1024 MB, valid past the renewal date."""
    plans = ((250, 300), (500, 550), (1024, 1000))
    restriction_days = iter(plus_days(in_2025(2, 24), 3 * index) for index in range(6))
    for size_mb, used_mb in plans:
        # The renewal date falls inside the window, and the storage bought for the next
        # period keeps the quota up after it.
        restricted_on = next(restriction_days)
        renewal_date = plus_days(restricted_on, 14)
        address = b.add_account(TUZEL if size_mb > 250 else GERCEK, renewal_date, b.ample_balance(),
                                used_bytes=megabytes(80))
        b.change_usage(restricted_on, address, megabytes(used_mb))
        b.buy_storage(plus_days(restricted_on, 1), address, size_mb, one_year_later(renewal_date))

        restricted_on = next(restriction_days)
        address = b.add_account(KAMU if size_mb == 1024 else DIGER, in_2025(9, 15), b.ample_balance(),
                                used_bytes=megabytes(80))
        b.change_usage(restricted_on, address, megabytes(used_mb))
        b.buy_storage(plus_days(restricted_on, 1), address, size_mb, STORAGE_VALID_UNTIL)

    # Too little storage: still over the quota until usage falls.
    address = b.add_account(KAMU, b.later_renewal_date(), b.ample_balance(), used_bytes=megabytes(400))
    b.buy_storage(in_2025(3, 3), address, 250, STORAGE_VALID_UNTIL)
    b.change_usage(in_2025(3, 10), address, megabytes(300))


def add_harcama_birimi_cases(b: SampleBuilder) -> None:
    """Give public institutions whose 30-day reminder falls inside the window complete or partial Harcama Birimi fields."""
    cases = (
        None,
        None,
        {"vkn": b.vkn()},
        {"name": None, "vkn": b.vkn()},
        {"name": b.rng.choice(SPENDING_UNITS)},
        {"name": b.rng.choice(SPENDING_UNITS)},
        {},
        OMIT,
    )
    for index, harcama_birimi in enumerate(cases):
        renewal_date = plus_days(in_2025(3, 24), 5 * index)
        b.add_account(KAMU, renewal_date, b.ample_balance(), harcama_birimi=harcama_birimi)


def add_crafted_accounts(b: SampleBuilder) -> None:
    add_renewal_charges(b)
    add_renewal_calendar(b)
    add_reminders_after_window(b)
    closed_address = add_reopenings(b)
    add_early_renewals(b, closed_address)
    add_subscription_ends(b)
    add_grace_paths(b)
    add_closed_then_reopened(b)
    add_quota_paths(b)
    add_harcama_birimi_cases(b)
    b.add_account(GERCEK, in_2025(3, 27), b.ample_balance(), holder_name="Ilgın Işık Ağaoğlu")


# Background accounts.

def background_usage(rng: random.Random, quota_bytes: int) -> int:
    """Draw used space as a share of the quota: mostly low, a few near the 90 % warning or over."""
    draw = rng.random()
    if draw < 0.60:
        share = rng.uniform(0.01, 0.5)
    elif draw < 0.90:
        share = rng.uniform(0.5, 0.85)
    elif draw < 0.98:
        share = rng.uniform(0.85, 0.99)
    else:
        share = rng.uniform(1.0, 1.3)
    return int(quota_bytes * share)


def background_balance(rng: random.Random) -> int:
    draw = rng.random()
    if draw < 0.06:
        return rng.randint(0, FEE_KURUS - 1)
    if draw < 0.12:
        return FEE_KURUS * rng.randint(1, 3)
    return rng.randint(FEE_KURUS, 60_000)


def add_background_account(b: SampleBuilder) -> None:
    """Add one account off the crafted paths, with a few top-ups and usage changes in the window."""
    rng = b.rng
    account_type = rng.choices(ACCOUNT_TYPES, weights=BACKGROUND_TYPE_WEIGHTS)[0]
    closed = rng.random() < 0.04
    if closed:
        renewal_date = b.closed_renewal_date()
    else:
        # An active account's next renewal falls within the year that starts on the first run day.
        renewal_date = plus_days(RUN_START, rng.randint(0, 364))

    extra_storage = []
    if rng.random() < 0.08:
        extra_storage = [(rng.choice((250, 500, 1024)), renewal_date)]
    quota_bytes = FREE_QUOTA_BYTES + sum(size for size, _ in extra_storage) * MB
    used_bytes = background_usage(rng, quota_bytes)

    harcama_birimi = None
    if account_type == KAMU:
        draw = rng.random()
        if draw < 0.1:
            harcama_birimi = OMIT
        elif draw < 0.2:
            harcama_birimi = {"name": rng.choice(SPENDING_UNITS)}
    address = b.add_account(
        account_type, renewal_date, background_balance(rng),
        used_bytes=used_bytes,
        auto_renew=False if rng.random() < 0.03 else None,
        closed=closed,
        extra_storage=extra_storage if not closed else [],
        harcama_birimi=harcama_birimi,
        informational_opt_out=True if rng.random() < 0.1 else None,
    )
    if closed:
        return

    window_days = (RUN_END - RUN_START).days
    if rng.random() < 0.15:
        b.top_up(plus_days(RUN_START, rng.randint(0, window_days)), address,
                 rng.choice((2000, 5000, 7000, 10_000, 20_000, 50_000)))
    if rng.random() < 0.25:
        day = plus_days(RUN_START, rng.randint(0, window_days - 10))
        for _ in range(rng.randint(1, 2)):
            if rng.random() < 0.2:
                used_bytes = int(used_bytes * rng.uniform(0.3, 0.8))
            else:
                used_bytes = int(used_bytes * rng.uniform(1.0, 1.1)) + rng.randint(0, 2 * MB)
            b.change_usage(day, address, used_bytes)
            day = plus_days(day, rng.randint(1, 10))


def write_jsonl(path: Path, lines: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for line in lines:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=DEFAULT_ACCOUNTS,
                        help="total number of accounts, crafted ones included (default: %(default)s)")
    args = parser.parse_args(argv)

    builder = SampleBuilder(random.Random(SEED))
    add_crafted_accounts(builder)
    crafted = len(builder.accounts)
    if args.accounts < crafted:
        parser.error(f"--accounts {args.accounts} is too small: the crafted accounts alone are {crafted}")
    while len(builder.accounts) < args.accounts:
        add_background_account(builder)

    # The run applies a day's events in file order, so the sort keeps each day's order.
    events = sorted(builder.events, key=lambda event: event["date"])
    write_jsonl(OUTPUT_DIR / "sample_accounts.jsonl", builder.accounts)
    write_jsonl(OUTPUT_DIR / "sample_events.jsonl", events)
    print(f"wrote {len(builder.accounts)} accounts ({crafted} crafted) and {len(events)} events to {OUTPUT_DIR}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
