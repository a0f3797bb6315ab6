"""The language-pattern check: every language rule in data/rules/language/ against the text."""

from __future__ import annotations

from typing import Sequence

from ..model import Span
from ..rules import Rule, match_language_rule
from .base import CheckResult, Context, finding_from_rule


class LanguageCheck:
    name = "language"

    def run(self, context: Context, rules: Sequence[Rule]) -> CheckResult:
        findings = []
        for rule in rules:
            hits = match_language_rule(rule, context.folded)
            if hits:
                spans = [Span(h.start, h.end) for h in hits]
                findings.append(finding_from_rule(rule, context.offer.text, spans))
        return CheckResult(tuple(findings))
