"""Grace period, closure and reopening, as pure functions."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from .account import AccountState, AccountType, ClosedReason, Restriction, Status, quota_on, storage_still_valid
from .dates import add_days, anchor_of, days_between, next_anniversary
from .notices import NoticeDraft, NoticeKind
from .renewal import RuleViolation
from .tariff import TariffBook
from .transition import FeeCollection, PaymentSource, Transition

GRACE_REMINDER_DAYS = (7, 12)


class ClosureOutcome(StrEnum):
    PAID_IN_GRACE = "paid_in_grace"
    CLOSED = "closed"
    REOPENED = "reopened"


class ReopenChannel(StrEnum):
    PETITION = "petition"
    ONLINE_E_SIGNATURE = "online_e_signature"


def plan_grace_collection(state: AccountState, as_of: date, tariffs: TariffBook) -> Transition | None:
    """Collect the unpaid fee if the balance now covers it, or close the account once the deadline has passed.

    The fee pays the period that began on the renewal date, so the renewal date moves one
    year on from there. A run dated on the deadline itself still only retries the charge.
    """
    if state.status is not Status.ACTIVE or not state.in_grace:
        return None

    period_start = state.renewal_date
    fee = tariffs.annual_fee(period_start)
    if state.balance_kurus >= fee:
        next_renewal = next_anniversary(period_start, state.anniversary)
        after = state.evolve(
            balance_kurus=state.balance_kurus - fee,
            renewal_date=next_renewal,
            restrictions=state.restrictions - {Restriction.UNPAID},
            grace_deadline=None,
            grace_started_on=None,
        )
        notice = NoticeDraft(NoticeKind.PAYMENT_RECEIVED, period_start.isoformat(), as_of, {
            "account_type": state.account_type.value,
            "fee_kurus": fee,
            "collected_on": as_of.isoformat(),
            "period_start": period_start.isoformat(),
            "period_end": add_days(next_renewal, -1).isoformat(),
            "next_renewal": next_renewal.isoformat(),
            "balance_kurus": after.balance_kurus,
        })
        collection = FeeCollection(period_start, fee, as_of, PaymentSource.GRACE_COLLECTION)
        return Transition(ClosureOutcome.PAID_IN_GRACE, state, after, fee=collection, notices=(notice,))

    if as_of <= state.grace_deadline:
        return None

    after = state.evolve(
        status=Status.CLOSED,
        closed_on=as_of,
        closed_reason=ClosedReason.GRACE_EXPIRED,
        grace_deadline=None,
        grace_started_on=None,
    )
    notice = NoticeDraft(NoticeKind.ACCOUNT_CLOSED, period_start.isoformat(), as_of, {
        "account_type": state.account_type.value,
        "closed_on": as_of.isoformat(),
        "period_start": period_start.isoformat(),
        "fee_kurus": fee,
    })
    return Transition(ClosureOutcome.CLOSED, state, after, notices=(notice,))


def plan_grace_reminder(state: AccountState, as_of: date, tariffs: TariffBook) -> NoticeDraft | None:
    """Draft the reminder due 7 or 12 days after the failed charge, if the fee is still unpaid.

    After a missed run the latest stage reached is sent; its key keeps it to one per stage.
    """
    if state.status is not Status.ACTIVE or not state.in_grace or state.grace_started_on is None:
        return None
    if as_of > state.grace_deadline:
        return None
    elapsed = days_between(state.grace_started_on, as_of)
    reached = [stage for stage in GRACE_REMINDER_DAYS if elapsed >= stage]
    if not reached:
        return None
    stage = reached[-1]
    fee = tariffs.annual_fee(state.renewal_date)
    return NoticeDraft(NoticeKind.GRACE_REMINDER, f"{state.renewal_date.isoformat()}#{stage}", as_of, {
        "account_type": state.account_type.value,
        "days_since_failure": stage,
        "days_left": days_between(as_of, state.grace_deadline),
        "grace_deadline": state.grace_deadline.isoformat(),
        "closing_date": add_days(state.grace_deadline, 1).isoformat(),
        "fee_kurus": fee,
        "balance_kurus": state.balance_kurus,
        "shortfall_kurus": max(0, fee - state.balance_kurus),
    })


def plan_reopening(state: AccountState, as_of: date, channel: ReopenChannel, tariffs: TariffBook) -> Transition:
    """Reopen a closed account for a new 12-month period from `as_of`, collecting its fee first.

    Raises RuleViolation, changing nothing, when the account is not closed, when the online
    channel is used for anything but a natural person, or when the balance is short.
    """
    if state.status is not Status.CLOSED:
        raise RuleViolation("account_not_closed", kep_address=state.kep_address)
    if channel is ReopenChannel.ONLINE_E_SIGNATURE and state.account_type is not AccountType.NATURAL_PERSON:
        raise RuleViolation("e_signature_natural_person_only", kep_address=state.kep_address,
                            account_type=state.account_type.value)
    fee = tariffs.annual_fee(as_of)
    if state.balance_kurus < fee:
        raise RuleViolation("reopen_balance_too_low", kep_address=state.kep_address,
                            fee_kurus=fee, balance_kurus=state.balance_kurus,
                            shortfall_kurus=fee - state.balance_kurus)

    anchor = anchor_of(as_of)
    next_renewal = next_anniversary(as_of, anchor)
    storage = storage_still_valid(as_of, state.extra_storage)
    after = state.evolve(
        status=Status.ACTIVE,
        balance_kurus=state.balance_kurus - fee,
        renewal_date=next_renewal,
        anniversary=anchor,
        extra_storage=storage,
        quota_bytes=quota_on(as_of, storage),
        restrictions=state.restrictions - {Restriction.UNPAID},
        closed_on=None,
        closed_reason=None,
        grace_deadline=None,
        grace_started_on=None,
        prepaid_period=None,
    )
    notice = NoticeDraft(NoticeKind.ACCOUNT_REOPENED, f"{as_of.isoformat()}#{state.version}", as_of, {
        "account_type": state.account_type.value,
        "reopened_on": as_of.isoformat(),
        "auto_renew": state.auto_renew,
        "channel": channel.value,
        "period_start": as_of.isoformat(),
        "period_end": add_days(next_renewal, -1).isoformat(),
        "next_renewal": next_renewal.isoformat(),
        "fee_kurus": fee,
        "balance_kurus": after.balance_kurus,
    })
    collection = FeeCollection(as_of, fee, as_of, PaymentSource.REOPENING)
    return Transition(ClosureOutcome.REOPENED, state, after, fee=collection, notices=(notice,))
