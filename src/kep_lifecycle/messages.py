"""Operator-facing texts of kepctl, in Turkish (default) and English."""

from __future__ import annotations

from datetime import date

from .domain.dates import format_tr
from .domain.money import format_try

LANGUAGES = ("tr", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # Input file problems; {field} and {value} are filled in by the caller's line prefix.
    "invalid_json": {"tr": "satır geçerli bir JSON değil ({reason})", "en": "the line is not valid JSON ({reason})"},
    "not_an_object": {"tr": "satır bir JSON nesnesi olmalı", "en": "the line must be a JSON object"},
    "not_utf8": {"tr": "dosya UTF-8 olarak okunamadı", "en": "the file is not valid UTF-8"},
    "empty_file": {"tr": "dosyada hiç hesap yok", "en": "the file contains no accounts"},
    "missing": {"tr": "zorunlu alan eksik", "en": "required field is missing"},
    "extra_forbidden": {"tr": "tanımsız alan; alan adını düzeltin ya da kaldırın",
                        "en": "unknown field; correct its name or remove it"},
    "int_type": {"tr": "tam sayı olmalı (tırnaksız, ondalıksız)", "en": "must be a whole number (no quotes, no decimals)"},
    "bool_type": {"tr": "true ya da false olmalı", "en": "must be true or false"},
    "string_type": {"tr": "metin olmalı", "en": "must be a string"},
    "list_type": {"tr": "liste olmalı", "en": "must be a list"},
    "model_type": {"tr": "JSON nesnesi olmalı", "en": "must be a JSON object"},
    "model_attributes_type": {"tr": "JSON nesnesi olmalı", "en": "must be a JSON object"},
    "dict_type": {"tr": "JSON nesnesi olmalı", "en": "must be a JSON object"},
    "enum": {"tr": "geçersiz değer; şunlardan biri olmalı: {expected}", "en": "invalid value; expected one of {expected}"},
    "literal_error": {"tr": "geçersiz değer; şunlardan biri olmalı: {expected}",
                      "en": "invalid value; expected one of {expected}"},
    "union_tag_invalid": {"tr": "geçersiz olay türü; şunlardan biri olmalı: {expected_tags}",
                          "en": "invalid event type; expected one of {expected_tags}"},
    "union_tag_not_found": {"tr": "olay türü (type) eksik", "en": "event type (type) is missing"},
    "greater_than": {"tr": "{gt} değerinden büyük olmalı", "en": "must be greater than {gt}"},
    "greater_than_equal": {"tr": "en az {ge} olmalı", "en": "must be at least {ge}"},
    "string_too_short": {"tr": "boş olamaz", "en": "must not be empty"},
    "string_too_long": {"tr": "en fazla {max_length} karakter olabilir", "en": "must be at most {max_length} characters"},
    "date_format": {"tr": "tarih YYYY-AA-GG biçiminde olmalı (ör. 2025-03-01)",
                    "en": "date must be written YYYY-MM-DD (e.g. 2025-03-01)"},
    "date_invalid": {"tr": "takvimde olmayan bir tarih", "en": "not a calendar date"},
    "kep_address_format": {"tr": "geçerli bir KEP adresi değil (ör. ad.soyad.1@hs01.kep.tr)",
                           "en": "not a valid KEP address (e.g. name.surname.1@hs01.kep.tr)"},
    "contact_email_format": {"tr": "geçerli bir e-posta adresi değil", "en": "not a valid e-mail address"},
    "holder_name_format": {"tr": "ad boş olamaz ve satır sonu ya da kontrol karakteri içeremez",
                           "en": "the name must not be blank or contain line breaks or control characters"},
    "vkn_format": {"tr": "VKN 10 haneli bir sayı olmalı", "en": "the VKN must be 10 digits"},
    "duplicate_address": {"tr": "bu KEP adresi {first_line}. satırda da var", "en": "this KEP address also appears on line {first_line}"},
    "unknown_address": {"tr": "hesap dosyasında böyle bir KEP adresi yok", "en": "no account with this KEP address in the accounts file"},
    "date_outside_run": {"tr": "olay tarihi çalıştırma aralığının ({start} – {end}) dışında",
                         "en": "the event date is outside the run ({start} to {end})"},
    "input_rejected": {"tr": "Girdi reddedildi: {count} hata bulundu, hiçbir şey yazılmadı. Hataları düzeltip yeniden çalıştırın.",
                       "en": "Input rejected with {count} error(s); nothing was written. Fix them and run again."},
    "no_value": {"tr": "(yok)", "en": "(none)"},
    "renewal_date_too_old": {
        "tr": "etkin bir hesabın yenileme tarihi çalıştırmanın ilk gününden bir yıldan fazla önce ({start}); "
              "hesaptan kaçırılan her dönem için ücret alınırdı. Tarihi düzeltin ya da hesabı kapalı (closed) yazın",
        "en": "an active account's renewal date is more than a year before the first day of the run ({start}); "
              "every missed period would be charged. Correct the date or mark the account closed"},
    "line_prefix": {"tr": "{file}, satır {line}, alan '{field}', değer {value}: {message}",
                    "en": "{file}, line {line}, field '{field}', value {value}: {message}"},
    # Run arguments and outcome.
    "date_range_invalid": {"tr": "--from ({start}) --to ({end}) tarihinden sonra olamaz.",
                           "en": "--from ({start}) must not be after --to ({end})."},
    "date_range_too_long": {"tr": "Çalıştırma aralığı en fazla {max_days} gün olabilir; {days} gün istendi.",
                            "en": "The run may cover at most {max_days} days; {days} were requested."},
    "date_argument_invalid": {"tr": "{option} için geçersiz tarih: {value!r}. YYYY-AA-GG biçiminde yazın.",
                              "en": "Invalid date for {option}: {value!r}. Write it as YYYY-MM-DD."},
    "file_not_found": {"tr": "{option} dosyası bulunamadı: {path}", "en": "{option} file not found: {path}"},
    "out_not_directory": {"tr": "--out bir klasör olmalı; {path} bir dosya. Başka bir yol verin.",
                          "en": "--out must be a folder; {path} is a file. Give another path."},
    "local_environment_invalid": {
        "tr": "--local için tablo ortam değişkenleri eksik ya da geçersiz ({error}). ACCOUNTS_TABLE, LEDGER_TABLE, "
              "NOTICES_TABLE, RUNS_TABLE ve yerel bir sunucu için AWS_ENDPOINT_URL değişkenlerini tanımlayın.",
        "en": "The table environment for --local is missing or invalid ({error}). Set ACCOUNTS_TABLE, LEDGER_TABLE, "
              "NOTICES_TABLE, RUNS_TABLE and, for a local server, AWS_ENDPOINT_URL."},
    "local_tables_unreachable": {
        "tr": "Tablolara ulaşılamadı: {error}. Tablo adlarını ve AWS_ENDPOINT_URL değerini denetleyin.",
        "en": "The tables could not be reached: {error}. Check the table names and AWS_ENDPOINT_URL."},
    "enforcement_invalid": {"tr": "Kota kısıtlama tablosu geçersiz: {detail}. Tabloyu düzeltip yeniden çalıştırın.",
                            "en": "Invalid quota enforcement table: {detail}. Fix the table and run again."},
    "enforcement_not_an_object": {"tr": "{source}: tablo, kanalları anahtar olarak içeren bir JSON nesnesi olmalı",
                                  "en": "{source}: the table must be a JSON object of channels"},
    "enforcement_unknown_channel": {"tr": "{source}: bilinmeyen kanal {channel!r}; şunlardan biri olmalı: {expected}",
                                    "en": "{source}: unknown channel {channel!r}; expected one of {expected}"},
    "enforcement_not_a_mapping": {"tr": "{source}: {channel} değeri, hesap türlerini başlangıç tarihlerine eşleyen bir nesne olmalı",
                                  "en": "{source}: {channel} must map account types to start dates"},
    "enforcement_unknown_account_type": {
        "tr": "{source}: {entry}: bilinmeyen hesap türü {account_type!r}; şunlardan biri olmalı: {expected}",
        "en": "{source}: {entry}: unknown account type {account_type!r}; expected one of {expected}"},
    "enforcement_invalid_start": {"tr": "{source}: {entry}: geçersiz başlangıç {start!r}; \"always\" ya da YYYY-AA-GG biçiminde bir tarih yazın",
                                  "en": "{source}: {entry}: invalid start {start!r}; write \"always\" or a date YYYY-MM-DD"},
    "enforcement_missing_entries": {"tr": "{source}: eksik girdiler: {entries}; her kanal için her hesap türünün başlangıcı yazılmalı",
                                    "en": "{source}: missing entries {entries}; every channel needs a start for every account type"},
    "enforcement_invalid_json": {"tr": "{source}: geçerli bir JSON değil ({reason}, satır {line})",
                                 "en": "{source}: not valid JSON ({reason} at line {line})"},
    "out_not_empty": {"tr": "Çıktı klasörü boş değil: {path}. Boş ya da yeni bir klasör verin.",
                      "en": "Output folder is not empty: {path}. Give an empty or new folder."},
    "run_done": {"tr": "{start} – {end} arası {days} gün çalıştırıldı ({seconds} sn). Çıktı: {out}",
                 "en": "Ran {days} days from {start} to {end} ({seconds} s). Output: {out}"},
    "summary_accounts": {"tr": "Hesaplar: {total} (etkin {active}, kapalı {closed}, ek süredeki {grace}, gönderimi kısıtlı {restricted})",
                         "en": "Accounts: {total} (active {active}, closed {closed}, in grace {grace}, sending restricted {restricted})"},
    "summary_events": {"tr": "Olaylar: {applied} uygulandı, {rejected} reddedildi",
                       "en": "Events: {applied} applied, {rejected} rejected"},
    "summary_ledger": {"tr": "Tahsil edilen ücretler: {count} işlem, toplam {total}",
                       "en": "Fees collected: {count} payments, {total} in total"},
    "summary_job": {"tr": "{job}:", "en": "{job}:"},
    "summary_notices": {"tr": "Gönderilen bildirimler: {count}", "en": "Notices sent: {count}"},
    # Rule violations of operator and portal requests.
    "account_closed": {"tr": "{kep_address} hesabı kapalı.", "en": "Account {kep_address} is closed."},
    "renewal_already_due": {"tr": "{kep_address} hesabının yenileme tarihi ({renewal_date}) geldi; erken yenileme yapılamaz.",
                            "en": "The renewal date of {kep_address} ({renewal_date}) has come; early renewal is not possible."},
    "period_already_paid": {"tr": "{kep_address} hesabının {renewal_date} tarihinde başlayacak dönemi zaten ödenmiş.",
                            "en": "The period of {kep_address} starting {renewal_date} is already paid."},
    "balance_too_low": {"tr": "{kep_address} hesabının bakiyesi ({balance}) yıllık ücreti ({fee}) karşılamıyor.",
                        "en": "The balance of {kep_address} ({balance}) does not cover the annual fee ({fee})."},
    "storage_already_expired": {"tr": "{kep_address}: ek alanın geçerlilik sonu ({valid_until}) geçmiş.",
                                "en": "{kep_address}: the storage's valid_until ({valid_until}) has passed."},
    "amount_not_positive": {"tr": "{kep_address}: tutar sıfırdan büyük olmalı.", "en": "{kep_address}: the amount must be positive."},
    "usage_negative": {"tr": "{kep_address}: kullanılan alan negatif olamaz.", "en": "{kep_address}: used space cannot be negative."},
    "address_argument_invalid": {"tr": "Geçersiz KEP adresi: {value!r}. Örnek biçim: ad.soyad.1@hs01.kep.tr",
                                 "en": "Invalid KEP address: {value!r}. Example: name.surname.1@hs01.kep.tr"},
    "invoke_failed": {"tr": "{function} fonksiyonu çağrılamadı: {error}. Fonksiyon adını, bölgeyi ve AWS kimlik bilgilerini denetleyin.",
                      "en": "Could not invoke {function}: {error}. Check the function name, region and AWS credentials."},
    "function_error": {"tr": "{function} fonksiyonu hata verdi: {error}", "en": "{function} failed: {error}"},
    "account_not_found": {"tr": "KEP adresi bulunamadı: {kep_address}", "en": "KEP address not found: {kep_address}"},
    "account_not_closed": {"tr": "{kep_address} hesabı kapalı değil; yeniden açılacak bir şey yok.",
                           "en": "Account {kep_address} is not closed; there is nothing to reopen."},
    "e_signature_natural_person_only": {
        "tr": "{kep_address} hesabının türü {account_type_label}. E-imza / mobil imza ile çevrim içi yeniden açma "
              "yalnızca gerçek kişi hesaplarında kullanılabilir; başvuru şubeye dilekçeyle yapılmalıdır.",
        "en": "{kep_address} is a {account_type_label} account. Online reopening with e-signature / mobile "
              "signature is only for natural persons; the holder must apply by petition at a branch."},
    "reopen_balance_too_low": {
        "tr": "{kep_address} yeniden açılamadı: bakiye ({balance}) yeni dönemin yıllık ücretini ({fee}) "
              "karşılamıyor. Eksik tutar {shortfall}; bakiye yüklendikten sonra yeniden deneyin. Hiçbir değişiklik yapılmadı.",
        "en": "{kep_address} was not reopened: the balance ({balance}) does not cover the annual fee of the new "
              "period ({fee}). {shortfall} is missing; try again after a top-up. Nothing was changed."},
    "reopened": {"tr": "{kep_address} yeniden açıldı: {fee} tahsil edildi, yeni dönem {period_start} – {period_end}, "
                       "bakiye {balance}.",
                 "en": "{kep_address} reopened: {fee} collected, new period {period_start} to {period_end}, "
                       "balance {balance}."},
    "reopen_would": {"tr": "Deneme (dry run): {kep_address} yeniden açılabilir; {fee} tahsil edilecek, yeni dönem "
                           "{period_start} – {period_end}. Hiçbir şey yazılmadı; uygulamak için --apply verin.",
                     "en": "Dry run: {kep_address} can be reopened; {fee} would be collected, new period "
                           "{period_start} to {period_end}. Nothing was written; pass --apply to apply it."},
}

JOB_LABELS = {
    "renewal": {"tr": "Yenileme", "en": "Renewal"},
    "quota_scan": {"tr": "Kota taraması", "en": "Quota scan"},
    "closure": {"tr": "Kapatma", "en": "Closure"},
    "notify": {"tr": "Bildirim", "en": "Notify"},
    "events": {"tr": "Olaylar", "en": "Events"},
}

OUTCOME_LABELS = {
    "renewed": {"tr": "ücret tahsil edilerek yenilendi", "en": "renewed, fee collected"},
    "renewed_prepaid": {"tr": "erken ödemeyle yenilendi", "en": "renewed, paid early"},
    "grace_started": {"tr": "ücret tahsil edilemedi, ek süre başladı", "en": "fee not collectable, grace started"},
    "subscription_ended": {"tr": "otomatik yenileme kapalı olduğu için kapatıldı", "en": "closed, automatic renewal off"},
    "renewal_reminder": {"tr": "yenileme hatırlatması", "en": "renewal reminder"},
    "harcama_birimi_missing": {"tr": "eksik Harcama Birimi bildirimi", "en": "missing Harcama Birimi notice"},
    "paid_in_grace": {"tr": "ek sürede ödendi, gönderim açıldı", "en": "paid during grace, sending restored"},
    "closed": {"tr": "ek süre dolduğu için kapatıldı", "en": "closed after the grace period"},
    "grace_reminder": {"tr": "ek süre hatırlatması", "en": "grace reminder"},
    "quota_restricted": {"tr": "kota aşımı nedeniyle gönderim kısıtlandı", "en": "sending restricted over quota"},
    "quota_channels_changed": {"tr": "kısıtlama yeni kanallara da uygulandı", "en": "restriction extended to more channels"},
    "quota_lifted": {"tr": "kota kısıtlaması kaldırıldı", "en": "quota restriction lifted"},
    "quota_warned": {"tr": "%90 kullanım uyarısı", "en": "90 % usage warning"},
    "quota_updated": {"tr": "kota yeniden hesaplandı", "en": "quota recalculated"},
    "enforcement_announced": {"tr": "kısıtlama başlangıcı duyurusu", "en": "enforcement announcement"},
    "scanned": {"tr": "taranan hesap-gün", "en": "account-days scanned"},
    "segments_queued": {"tr": "kuyruğa alınan tarama bölümü", "en": "scan segments queued"},
    "handovers": {"tr": "süresi dolmadan devredilen bölüm", "en": "segments handed on before the time limit"},
    "render_failed": {"tr": "şablondan oluşturulamadı", "en": "rendering failed"},
    "write_conflicts": {"tr": "eşzamanlı değişiklik nedeniyle yeniden denenen yazma", "en": "writes retried after a concurrent change"},
    "sent": {"tr": "gönderildi", "en": "sent"},
    "send_failed": {"tr": "gönderilemedi", "en": "send failed"},
    "already_claimed": {"tr": "başka bir gönderimde", "en": "claimed by another sender"},
    "not_found": {"tr": "bulunamadı", "en": "not found"},
}


NOTICE_KIND_LABELS = {
    "renewal_reminder": {"tr": "yenileme hatırlatması", "en": "renewal reminder"},
    "renewed": {"tr": "yenilendi", "en": "renewed"},
    "renewal_failed": {"tr": "yenileme ücreti tahsil edilemedi", "en": "renewal failed"},
    "grace_reminder": {"tr": "ek süre hatırlatması", "en": "grace reminder"},
    "payment_received": {"tr": "ödeme alındı", "en": "payment received"},
    "account_closed": {"tr": "hesap kapatıldı", "en": "account closed"},
    "subscription_ended": {"tr": "abonelik sona erdi", "en": "subscription ended"},
    "account_reopened": {"tr": "hesap yeniden açıldı", "en": "account reopened"},
    "quota_warning": {"tr": "kota uyarısı", "en": "quota warning"},
    "quota_restricted": {"tr": "gönderim kısıtlandı", "en": "quota restricted"},
    "quota_restriction_lifted": {"tr": "kısıtlama kaldırıldı", "en": "quota restriction lifted"},
    "quota_enforcement_announcement": {"tr": "kısıtlama başlangıcı duyurusu", "en": "enforcement announcement"},
    "harcama_birimi_missing": {"tr": "eksik Harcama Birimi bilgisi", "en": "missing Harcama Birimi details"},
}


def notice_kind_label(kind: str, lang: str) -> str:
    return f"{NOTICE_KIND_LABELS.get(kind, {}).get(lang, kind)} ({kind})"


def text(key: str, lang: str, **params) -> str:
    template = MESSAGES[key].get(lang) or MESSAGES[key]["tr"]
    return template.format(**params)


ACCOUNT_TYPE_WORDS = {
    "gercek_kisi": {"tr": "gerçek kişi", "en": "natural person"},
    "tuzel_kisi": {"tr": "tüzel kişi", "en": "company"},
    "diger_tuzel_kisi": {"tr": "diğer tüzel kişi", "en": "other legal person"},
    "kamu_kurumu": {"tr": "kamu kurumu", "en": "public institution"},
}


def rule_message(code: str, lang: str, params: dict) -> str:
    """Translate a RuleViolation or outcome; money and dates in its parameters are formatted the Turkish way."""
    formatted = {}
    for name, value in params.items():
        if name.endswith("_kurus"):
            formatted[name.removesuffix("_kurus")] = format_try(value)
        elif isinstance(value, date):
            formatted[name] = format_tr(value)
        elif isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            formatted[name] = format_tr(date.fromisoformat(value))
        else:
            formatted[name] = value
        if name == "account_type":
            formatted["account_type_label"] = ACCOUNT_TYPE_WORDS.get(value, {}).get(lang, value)
    return text(code, lang, **formatted)


def job_label(job: str, lang: str) -> str:
    return JOB_LABELS.get(job, {}).get(lang, job)


def outcome_label(outcome: str, lang: str) -> str:
    if outcome in OUTCOME_LABELS:
        return OUTCOME_LABELS[outcome].get(lang, outcome)
    if outcome.startswith("sent_"):
        return f"{OUTCOME_LABELS['sent'][lang]}: {outcome.removeprefix('sent_')}"
    return outcome
