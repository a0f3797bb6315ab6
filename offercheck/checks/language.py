"""The language-pattern check: every language rule in data/rules/language/ against the text."""

from __future__ import annotations

from typing import Sequence

from ..i18n import active_languages
from ..model import Span
from ..prefilter import prefilter_for
from ..rules import Rule, match_language_rule
from .base import CheckResult, Context, finding_from_rule


class LanguageCheck:
    name = "language"

    def run(self, context: Context, rules: Sequence[Rule]) -> CheckResult:
        active = active_languages(context.evidence.languages)
        rules = [rule for rule in rules if rule.lang in active]
        prefilter = prefilter_for(tuple(tuple(p.pattern for p in rule.any) for rule in rules))
        maybe = prefilter.candidates(context.folded.text) if prefilter is not None else None
        findings = []
        for index, rule in enumerate(rules):
            if maybe is not None and index not in maybe:
                continue  # none of its patterns can match: skip the slow exact pass
            hits = match_language_rule(rule, context.folded)
            if hits:
                spans = [Span(h.start, h.end) for h in hits]
                findings.append(finding_from_rule(rule, context.offer.text, spans))
        return CheckResult(tuple(findings))
