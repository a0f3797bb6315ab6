"""Helpers for running a rule's own examples (used by the tests and `offercheck explain`)."""

from __future__ import annotations

from .normalize import fold
from .rules import Rule, match_language_rule


def quotes_for(rule: Rule, text: str) -> list[str]:
    """The words `rule` quotes in `text`: the language matcher, or the full check for contact rules."""
    if rule.check == "language":
        return [text[hit.start : hit.end] for hit in match_language_rule(rule, fold(text))]
    from .api import check_text

    report = check_text(text, offline=True)
    return [finding.quote for finding in report.findings if finding.rule_id == rule.id]
