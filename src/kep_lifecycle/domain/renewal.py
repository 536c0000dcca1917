"""Annual renewal, its failure and cancellation, and the renewal reminders, as pure functions."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from .account import (
    ALL_CHANNELS,
    GRACE_DAYS,
    AccountState,
    ClosedReason,
    Restriction,
    Status,
    missing_harcama_fields,
    quota_on,
    storage_still_valid,
)
from .dates import add_days, days_between, next_anniversary
from .notices import NoticeDraft, NoticeKind
from .tariff import TariffBook
from .transition import FeeCollection, PaymentSource, Transition

REMINDER_STAGES = (30, 7)


class RenewalOutcome(StrEnum):
    RENEWED = "renewed"
    RENEWED_PREPAID = "renewed_prepaid"
    GRACE_STARTED = "grace_started"
    SUBSCRIPTION_ENDED = "subscription_ended"


class RuleViolation(Exception):
    """An operator or portal request that the rules reject; `code` selects the translated message."""

    def __init__(self, code: str, **params) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def is_due(state: AccountState, as_of: date) -> bool:
    return state.status is Status.ACTIVE and not state.in_grace and state.renewal_date <= as_of


def _period_context(state: AccountState, period_start: date, next_renewal: date) -> dict:
    return {
        "account_type": state.account_type.value,
        "period_start": period_start.isoformat(),
        "period_end": add_days(next_renewal, -1).isoformat(),
        "next_renewal": next_renewal.isoformat(),
    }


def start_new_period(state: AccountState, period_start: date) -> AccountState:
    """Move the renewal date one year on and reset the quota to what counts in the new period."""
    storage = storage_still_valid(period_start, state.extra_storage)
    return state.evolve(
        renewal_date=next_anniversary(period_start, state.anniversary),
        extra_storage=storage,
        quota_bytes=quota_on(period_start, storage),
        prepaid_period=None,
    )


def plan_renewal(state: AccountState, as_of: date, tariffs: TariffBook) -> Transition | None:
    """Decide what the renewal job does with an account on business date `as_of`; None if not due."""
    if not is_due(state, as_of):
        return None

    period_start = state.renewal_date
    next_renewal = next_anniversary(period_start, state.anniversary)
    context = _period_context(state, period_start, next_renewal)

    renewed = start_new_period(state, period_start)
    usage = {"used_bytes": state.used_bytes, "quota_bytes": renewed.quota_bytes}

    # A period paid early is renewed even if automatic renewal was turned off afterwards:
    # the holder has paid for it.
    if state.prepaid_period == period_start:
        notice = NoticeDraft(NoticeKind.RENEWED, period_start.isoformat(), as_of,
                             {**context, **usage, "paid_earlier": True, "fee_kurus": None})
        return Transition(RenewalOutcome.RENEWED_PREPAID, state, renewed, notices=(notice,))

    if not state.auto_renew:
        after = state.evolve(status=Status.CLOSED, closed_on=as_of, closed_reason=ClosedReason.SUBSCRIPTION_ENDED)
        notice = NoticeDraft(NoticeKind.SUBSCRIPTION_ENDED, period_start.isoformat(), as_of,
                             {**context, "closed_on": as_of.isoformat()})
        return Transition(RenewalOutcome.SUBSCRIPTION_ENDED, state, after, notices=(notice,))

    fee = tariffs.annual_fee(period_start)
    if state.balance_kurus >= fee:
        after = renewed.evolve(balance_kurus=state.balance_kurus - fee)
        notice = NoticeDraft(NoticeKind.RENEWED, period_start.isoformat(), as_of,
                             {**context, **usage, "paid_earlier": False, "fee_kurus": fee,
                              "balance_kurus": after.balance_kurus})
        collection = FeeCollection(period_start, fee, as_of, PaymentSource.RENEWAL)
        return Transition(RenewalOutcome.RENEWED, state, after, fee=collection, notices=(notice,))

    # Unpaid: the renewal date stays on the due date, sending stops on every channel and the
    # 14 days count from the day the failed charge is recorded, so a late run still leaves 14.
    deadline = add_days(as_of, GRACE_DAYS)
    after = state.evolve(
        extra_storage=renewed.extra_storage,
        quota_bytes=renewed.quota_bytes,
        restrictions=state.restrictions | {Restriction.UNPAID},
        grace_started_on=as_of,
        grace_deadline=deadline,
    )
    notice = NoticeDraft(NoticeKind.RENEWAL_FAILED, period_start.isoformat(), as_of, {
        **context,
        "fee_kurus": fee,
        "balance_kurus": state.balance_kurus,
        "shortfall_kurus": fee - state.balance_kurus,
        "grace_deadline": deadline.isoformat(),
        "closing_date": add_days(deadline, 1).isoformat(),
        "channels": [channel.value for channel in ALL_CHANNELS],
    })
    return Transition(RenewalOutcome.GRACE_STARTED, state, after, notices=(notice,))


def reminder_stage(state: AccountState, as_of: date) -> int | None:
    """Return 30 or 7 when a renewal reminder of that stage is due on `as_of`, else None.

    A stage is due from its day until the next stage starts, so a run that missed a day
    still sends it. The notice key keeps it to one per stage and renewal date.
    """
    if state.status is not Status.ACTIVE or state.in_grace:
        return None
    days_left = days_between(as_of, state.renewal_date)
    if 0 < days_left <= 7:
        return 7
    if 7 < days_left <= 30:
        return 30
    return None


def plan_reminders(state: AccountState, as_of: date, tariffs: TariffBook) -> tuple[NoticeDraft, ...]:
    """Draft the renewal reminder due on `as_of` and, at 30 days, the missing Harcama Birimi notice of a public institution."""
    stage = reminder_stage(state, as_of)
    if stage is None:
        return ()

    renewal_date = state.renewal_date
    fee = tariffs.annual_fee(renewal_date)
    prepaid = state.prepaid_period == renewal_date
    next_quota = quota_on(renewal_date, state.extra_storage)
    reminder = NoticeDraft(NoticeKind.RENEWAL_REMINDER, f"{renewal_date.isoformat()}#{stage}", as_of, {
        "account_type": state.account_type.value,
        "renewal_date": renewal_date.isoformat(),
        "days_left": days_between(as_of, renewal_date),
        "fee_kurus": fee,
        "balance_kurus": state.balance_kurus,
        "shortfall_kurus": 0 if prepaid else max(0, fee - state.balance_kurus),
        "paid_earlier": prepaid,
        "auto_renew": state.auto_renew,
        "used_bytes": state.used_bytes,
        "next_quota_bytes": next_quota,
        "over_next_quota": state.used_bytes > next_quota,
        "storage_expires": quota_on(as_of, state.extra_storage) > next_quota,
        "quota_restricted_now": Restriction.QUOTA in state.restrictions,
        "storage_packages": [
            {"megabytes": package.megabytes, "price_kurus": package.price_kurus}
            for package in tariffs.in_force(renewal_date).storage_packages
        ],
    })
    drafts = [reminder]

    missing = missing_harcama_fields(state)
    if stage == 30 and missing:
        drafts.append(NoticeDraft(NoticeKind.HARCAMA_BIRIMI_MISSING, renewal_date.isoformat(), as_of, {
            "account_type": state.account_type.value,
            "renewal_date": renewal_date.isoformat(),
            "missing_fields": list(missing),
        }))
    return tuple(drafts)


def plan_early_renewal(state: AccountState, as_of: date, tariffs: TariffBook) -> Transition:
    """Collect the coming period's fee before its renewal date; raise RuleViolation if not allowed."""
    if state.status is not Status.ACTIVE:
        raise RuleViolation("account_closed", kep_address=state.kep_address)
    if state.in_grace or state.renewal_date <= as_of:
        raise RuleViolation("renewal_already_due", kep_address=state.kep_address,
                            renewal_date=state.renewal_date)
    if state.prepaid_period == state.renewal_date:
        raise RuleViolation("period_already_paid", kep_address=state.kep_address,
                            renewal_date=state.renewal_date)

    fee = tariffs.annual_fee(state.renewal_date)
    if state.balance_kurus < fee:
        raise RuleViolation("balance_too_low", kep_address=state.kep_address,
                            fee_kurus=fee, balance_kurus=state.balance_kurus)

    after = state.evolve(balance_kurus=state.balance_kurus - fee, prepaid_period=state.renewal_date)
    collection = FeeCollection(state.renewal_date, fee, as_of, PaymentSource.EARLY_RENEWAL)
    return Transition("paid_early", state, after, fee=collection)
