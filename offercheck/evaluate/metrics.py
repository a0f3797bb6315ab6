"""Detection figures for a labelled set: recall, false-positive rate, confusion, rule statistics.

    from offercheck.evaluate import LabelledItem, evaluate
    result = evaluate([LabelledItem("1", "send a 150 USD registration fee", True), ...])
    result.thresholds[1].recall.value        # recall at level high or above

Everything here is pure: `check` (offline `check_text` by default) turns a text into a Report,
and the rest is counting. A rate over zero items (no positives, no negatives) is `None`, never
NaN, and every proportion carries its 95% Wilson score interval.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable

from ..model import Level, Report
from ..safety import one_line

THRESHOLDS = (Level.MEDIUM, Level.HIGH, Level.CRITICAL)
QUOTE_CHARS = 80  # a finding's quoted words in the missed / wrongly flagged lists
TOP_FINDINGS = 3


def wilson(hits: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval for hits/total (Wilson 1927; Brown, Cai & DasGupta 2001).

    With no items at all the proportion is unknown and the interval is the whole [0, 1]."""
    if total < 0 or hits < 0 or hits > total:
        raise ValueError(f"not a proportion: {hits}/{total}")
    if total == 0:
        return (0.0, 1.0)
    p = hits / total
    denom = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denom
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True, slots=True)
class Rate:
    """hits out of total, with its 95% Wilson interval; value/low/high are None when total is 0."""

    hits: int
    total: int

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson(self.hits, self.total) if self.total else None

    def to_dict(self) -> dict:
        interval = self.interval
        return {
            "hits": self.hits,
            "total": self.total,
            "rate": None if self.value is None else round(self.value, 6),
            "low": None if interval is None else round(interval[0], 6),
            "high": None if interval is None else round(interval[1], 6),
        }


@dataclass(frozen=True, slots=True)
class LabelledItem:
    id: str
    text: str
    is_positive: bool  # a scam / fraudulent / trafficking lure


@dataclass(frozen=True, slots=True)
class Threshold:
    """Items at `level` or above: the share of positives caught and of negatives flagged."""

    level: Level
    recall: Rate  # positives at or above `level`, out of all positives
    false_positive_rate: Rate  # negatives at or above `level`, out of all negatives

    def to_dict(self) -> dict:
        return {"level": self.level.label, "recall": self.recall.to_dict(),
                "false_positive_rate": self.false_positive_rate.to_dict()}


@dataclass(frozen=True, slots=True)
class RuleStat:
    """How often one rule fired (on how many items, not hits) on each label."""

    rule_id: str
    name: str
    on_positives: Rate  # items of each label the rule fired on, out of that label's items
    on_negatives: Rate
    precision: Rate  # positives among the items the rule fired on (depends on the set's base rate)

    def to_dict(self) -> dict:
        return {"rule_id": self.rule_id, "name": self.name, "on_positives": self.on_positives.to_dict(),
                "on_negatives": self.on_negatives.to_dict(), "precision": self.precision.to_dict()}


@dataclass(frozen=True, slots=True)
class Cited:
    """A finding as listed for a missed or wrongly flagged item: quote cut and terminal-safe."""

    rule_id: str
    name: str
    quote: str

    def to_dict(self) -> dict:
        return {"rule_id": self.rule_id, "name": self.name, "quote": self.quote}


@dataclass(frozen=True, slots=True)
class Outcome:
    """One item's verdict: what the evaluation keeps of its report (never the text)."""

    id: str
    is_positive: bool
    level: Level
    score: int
    rules: tuple[tuple[str, str], ...]  # (rule_id, name) of every finding, once each
    top: tuple[Cited, ...]  # the findings that weighed most

    def to_dict(self) -> dict:
        return {"id": one_line(self.id, 200), "label": "positive" if self.is_positive else "negative",
                "level": self.level.label, "score": self.score, "findings": [c.to_dict() for c in self.top]}


@dataclass(frozen=True)
class Evaluation:
    outcomes: tuple[Outcome, ...]
    at: Level = Level.HIGH  # "missed" is below this level, "wrongly flagged" at or above it
    warnings: tuple[str, ...] = ()
    positives: int = field(init=False)
    negatives: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "positives", sum(1 for o in self.outcomes if o.is_positive))
        object.__setattr__(self, "negatives", len(self.outcomes) - self.positives)

    @property
    def thresholds(self) -> tuple[Threshold, ...]:
        return tuple(self.threshold(level) for level in THRESHOLDS)

    def threshold(self, level: Level) -> Threshold:
        tp = sum(1 for o in self.outcomes if o.is_positive and o.level >= level)
        fp = sum(1 for o in self.outcomes if not o.is_positive and o.level >= level)
        return Threshold(level, Rate(tp, self.positives), Rate(fp, self.negatives))

    @property
    def confusion(self) -> dict[str, dict[str, int]]:
        """{"positive": {"low": n, "medium": n, ...}, "negative": {...}}: label x level counts."""
        table = {label: {level.label: 0 for level in Level} for label in ("positive", "negative")}
        for o in self.outcomes:
            table["positive" if o.is_positive else "negative"][o.level.label] += 1
        return table

    @property
    def rules(self) -> tuple[RuleStat, ...]:
        """Every rule that fired on at least one item, most items first."""
        pos: Counter[str] = Counter()
        neg: Counter[str] = Counter()
        names: dict[str, str] = {}
        for o in self.outcomes:
            for rule_id, name in o.rules:
                (pos if o.is_positive else neg)[rule_id] += 1
                names.setdefault(rule_id, name)
        order = sorted(names, key=lambda r: (-(pos[r] + neg[r]), -pos[r], r))
        return tuple(RuleStat(r, names[r], Rate(pos[r], self.positives), Rate(neg[r], self.negatives),
                              Rate(pos[r], pos[r] + neg[r])) for r in order)

    @property
    def missed(self) -> tuple[Outcome, ...]:
        """Positives below `at`, highest score first (the nearest misses lead)."""
        return tuple(sorted((o for o in self.outcomes if o.is_positive and o.level < self.at), key=lambda o: -o.score))

    @property
    def wrongly_flagged(self) -> tuple[Outcome, ...]:
        """Negatives at or above `at`, highest score first."""
        return tuple(sorted((o for o in self.outcomes if not o.is_positive and o.level >= self.at), key=lambda o: -o.score))

    def curve(self) -> tuple[tuple[int, Rate, Rate], ...]:
        """(score threshold, recall, false-positive rate) for "score >= t", t = 0..100."""
        pos = Counter(o.score for o in self.outcomes if o.is_positive)
        neg = Counter(o.score for o in self.outcomes if not o.is_positive)
        points = []
        tp, fp = self.positives, self.negatives
        for t in range(0, 101):
            points.append((t, Rate(tp, self.positives), Rate(fp, self.negatives)))
            tp -= pos.get(t, 0)
            fp -= neg.get(t, 0)
        return tuple(points)

    def to_dict(self) -> dict:
        return {
            "counts": {"items": len(self.outcomes), "positive": self.positives, "negative": self.negatives},
            "thresholds": [t.to_dict() for t in self.thresholds],
            "confusion": self.confusion,
            "rules": [r.to_dict() for r in self.rules],
            "at": self.at.label,
            "missed": [o.to_dict() for o in self.missed],
            "wrongly_flagged": [o.to_dict() for o in self.wrongly_flagged],
            "curve": [{"score": t, "recall": r.value, "false_positive_rate": f.value} for t, r, f in self.curve()],
            "warnings": list(self.warnings),
        }


def _offline_check(text: str) -> Report:
    from ..api import check_text

    return check_text(text, offline=True)


def outcome_of(item: LabelledItem, report: Report) -> Outcome:
    seen: dict[str, str] = {}
    for f in report.findings:
        seen.setdefault(f.rule_id, f.name)
    ranked = sorted(report.findings, key=lambda f: (-f.contribution, f.preview, -int(f.severity), -f.weight, f.rule_id))
    top: list[Cited] = []
    for f in ranked:
        if any(c.rule_id == f.rule_id for c in top):
            continue
        top.append(Cited(f.rule_id, f.name, one_line(f.quote, QUOTE_CHARS)))
        if len(top) == TOP_FINDINGS:
            break
    return Outcome(item.id, bool(item.is_positive), report.level, int(report.score), tuple(seen.items()), tuple(top))


def class_warnings(positives: int, negatives: int) -> tuple[str, ...]:
    if positives and negatives:
        return ()
    if not positives and not negatives:
        return ("no labelled items: nothing was measured",)
    if not positives:
        return (f"all {negatives:,} items are negative: recall and rule precision cannot be measured "
                "(shown as n/a); only false-positive rates are reported",)
    return (f"all {positives:,} items are positive: false-positive rates cannot be measured "
            "(shown as n/a); only recall is reported",)


def evaluate(
    items: Iterable[LabelledItem],
    *,
    check: Callable[[str], Report] | None = None,
    at: Level = Level.HIGH,
    progress: Callable[[int], None] | None = None,
) -> Evaluation:
    """Check every item and count. `check(text) -> Report` defaults to offline `check_text`
    (no network lookups, ever); pass e.g. `functools.partial(check_text, country="US")` to change
    the phone region. `at` is the level that separates "missed" from "flagged" in the lists."""
    run = check or _offline_check
    outcomes = []
    for number, item in enumerate(items, 1):
        outcomes.append(outcome_of(item, run(item.text)))
        if progress is not None:
            progress(number)
    positives = sum(1 for o in outcomes if o.is_positive)
    return Evaluation(tuple(outcomes), at, class_warnings(positives, len(outcomes) - positives))

