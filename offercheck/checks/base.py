"""What a check is: a pure function of (offer, evidence, rules) that produces findings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Protocol, Sequence

from ..model import Evidence, Finding, Offer, Span
from ..normalize import Folded
from ..rules import Rule


@dataclass(frozen=True, slots=True)
class CheckResult:
    findings: tuple[Finding, ...] = ()
    unknown: tuple[str, ...] = ()  # "age of jobs-example.top unknown: RDAP timed out after 5 s"


@dataclass(frozen=True, slots=True)
class Context:
    """What every check may read: the offer, its folded text and the evidence gathered once."""

    offer: Offer
    folded: Folded
    evidence: Evidence


class Check(Protocol):
    name: ClassVar[str]  # "language", "contact"

    def run(self, context: Context, rules: Sequence[Rule]) -> CheckResult: ...


def finding_from_rule(rule: Rule, text: str, spans: Sequence[Span], message: str | None = None) -> Finding:
    """One finding for a rule: the first span is quoted, the others are listed as more hits."""
    first = spans[0] if spans else None
    return Finding(
        rule_id=rule.id,
        name=rule.name,
        severity=rule.severity,
        weight=rule.weight,
        message=message or rule.message,
        why=rule.why,
        span=first,
        quote=text[first.start : first.end] if first else "",
        advice=rule.advice,
        sources=rule.sources,
        group=rule.group,
        danger=rule.danger,
        more_spans=tuple(spans[1:]),
    )


def run_predicates(context: Context, rules: Sequence[Rule], predicates: dict) -> CheckResult:
    """Contact and domain rules: one predicate per rule id returns (spans, message) or None."""
    findings = []
    for rule in rules:
        predicate = predicates.get(rule.id)
        result = predicate(context) if predicate else None
        if result is not None:
            spans, message = result
            findings.append(finding_from_rule(rule, context.offer.text, spans, message))
    return CheckResult(tuple(findings))
