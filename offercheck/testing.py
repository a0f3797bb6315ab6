"""Helpers for running a rule's own examples (used by the tests and `offercheck explain`)."""

from __future__ import annotations

from datetime import date, timedelta

from .model import Status
from .normalize import fold
from .rules import Example, Rule, match_language_rule

EXAMPLE_TODAY = date(2026, 1, 1)


def example_lookup(evidence: dict):
    """A stand-in for the RDAP/WHOIS lookups that answers every domain with the example's facts."""
    from .lookups import DomainRecord

    status = Status(evidence.get("status", "known"))
    age = evidence.get("age_days")

    def lookup(domains: list[str]) -> dict:
        return {
            domain: DomainRecord(
                domain=domain,
                unicode=domain,
                status=status,
                reason=str(evidence.get("reason", "")),
                registered=EXAMPLE_TODAY - timedelta(days=int(age)) if age is not None else None,
                statuses=tuple(evidence.get("statuses", ())),
                not_registered=bool(evidence.get("not_registered", False)),
                source="example",
            )
            for domain in domains
        }

    return lookup


def quotes_for(rule: Rule, text: str, example: Example | None = None) -> list[str]:
    """The words `rule` quotes in `text`: the language matcher, or the full check for other rules."""
    if rule.check == "language":
        return [text[hit.start : hit.end] for hit in match_language_rule(rule, fold(text))]
    from .api import check_text

    evidence = dict(example.evidence) if example is not None else {}
    if rule.check == "domain" and evidence:
        # ages are counted from a fixed day, so the examples never go stale
        report = check_text(text, offline=False, lookup=example_lookup(evidence), today=EXAMPLE_TODAY)
    else:
        report = check_text(text, offline=True)
    return [finding.quote for finding in report.findings if finding.rule_id == rule.id]
