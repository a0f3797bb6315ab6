"""The domain check: registration age and status, and offline look-alike facts about hosts.

Wording, weights and sources live in data/rules/domain/; here is one predicate per rule id.
A lookup that could not answer is never a finding: it is reported as "unknown, because ...".
"""

from __future__ import annotations

from typing import Callable, Sequence

from ..model import DomainFact, Status
from ..rules import Rule
from .base import CheckResult, Context, run_predicates

HOLD_STATUSES = frozenset({"clientHold", "serverHold", "pendingDelete", "redemptionPeriod", "pendingRestore", "inactive"})

def _known(context: Context) -> list[DomainFact]:
    return [d for d in context.evidence.domains if d.status is Status.KNOWN and not d.not_registered]


def _age_between(context: Context, low: int, high: int, label: str):
    young = [d for d in _known(context) if d.age_days is not None and low <= d.age_days < high]
    if not young:
        return None
    first = young[0]
    return [d.span for d in young], (
        f"{first.unicode} was registered {first.age_days} day{'s' if first.age_days != 1 else ''} ago "
        f"({first.registered.isoformat() if first.registered else 'date unknown'}), {label}."
    )


def registered_days_ago(context: Context):
    return _age_between(context, 0, 30, "less than a month before this offer reached you")


def registered_months_ago(context: Context):
    return _age_between(context, 30, 180, "less than six months ago")


def registered_within_year(context: Context):
    return _age_between(context, 180, 365, "less than a year ago")


def not_registered(context: Context):
    missing = [d for d in context.evidence.domains if d.status is Status.KNOWN and d.not_registered]
    if not missing:
        return None
    return [d.span for d in missing], f"{missing[0].unicode} is not a registered domain at all, so nobody can receive mail or host a site there."


def on_hold(context: Context):
    held = [d for d in _known(context) if HOLD_STATUSES.intersection(d.statuses)]
    if not held:
        return None
    first = held[0]
    statuses = ", ".join(sorted(HOLD_STATUSES.intersection(first.statuses)))
    return [d.span for d in held], f"The registry has put {first.unicode} on {statuses}, which registries do for abuse or non-payment."


def _flags(kinds: Sequence[str]) -> Callable[[Context], object]:
    def predicate(context: Context):
        flags = [f for f in context.evidence.host_flags if f.kind in kinds]
        if not flags:
            return None
        return [f.span for f in flags], flags[0].detail

    return predicate


PREDICATES: dict[str, Callable[[Context], object]] = {
    "D101": registered_days_ago,
    "D102": registered_months_ago,
    "D103": registered_within_year,
    "D104": not_registered,
    "D105": on_hold,
    "D201": _flags(("lookalike", "homoglyph", "mixed-script")),
    "D202": _flags(("brand-in-subdomain", "userinfo-trick")),
    "D203": _flags(("brand-plus-word",)),
    "D204": _flags(("site-builder",)),
    "D205": _flags(("ip-literal",)),
    "D206": _flags(("abused-tld",)),
}


class DomainCheck:
    name = "domain"

    def run(self, context: Context, rules: Sequence[Rule]) -> CheckResult:
        # Lookups that could not answer are reported once, as the "domain-age" check's status (api.py).
        return run_predicates(context, rules, PREDICATES)
