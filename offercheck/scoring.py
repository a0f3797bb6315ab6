"""Findings -> score and level, by the documented rule in data/scoring.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from .model import Finding, Level


@dataclass(frozen=True, slots=True)
class ScoringConfig:
    max_weight: int
    danger_floor: Level
    thresholds: tuple[tuple[Level, int], ...]  # highest level first
    summaries: dict[str, str]


@lru_cache(maxsize=1)
def scoring_config() -> ScoringConfig:
    raw = resources.files("offercheck.data").joinpath("scoring.toml").read_text("utf-8")
    data = tomllib.loads(raw)
    levels = data["levels"]
    thresholds = tuple(
        sorted(((Level.parse(name), int(value)) for name, value in levels.items()), key=lambda t: -t[0])
    )
    return ScoringConfig(int(data["max_weight"]), Level.parse(data["danger_floor"]), thresholds, data["summaries"])


def level_for(score: int, config: ScoringConfig | None = None) -> Level:
    config = config or scoring_config()
    for level, minimum in config.thresholds:
        if score >= minimum:
            return level
    return Level.LOW


def score_findings(findings: list[Finding], preview_ids: frozenset[str] = frozenset()) -> tuple[list[Finding], int, Level]:
    """Order findings most serious first, stamp each one's contribution, and return score and level."""
    config = scoring_config()
    ordered = sorted(findings, key=lambda f: (-f.severity, -f.weight, f.span.start if f.span else -1, f.rule_id))
    best_in_group: dict[str, Finding] = {}
    for finding in ordered:
        if finding.rule_id in preview_ids or finding.preview:
            continue
        group = finding.group or finding.rule_id  # a finding without a group is a sign of its own
        current = best_in_group.get(group)
        if current is None or finding.weight > current.weight:
            best_in_group[group] = finding
    counted = sorted(best_in_group.values(), key=lambda f: -f.weight)
    remaining = 1.0
    contributions: dict[int, int] = {}
    previous_score = 0
    for finding in counted:
        remaining *= 1 - min(finding.weight, config.max_weight) / 100
        score_now = round(100 * (1 - remaining))
        contributions[id(finding)] = score_now - previous_score
        previous_score = score_now
    score = previous_score
    level = level_for(score, config)
    if any(f.danger for f in counted) and level < config.danger_floor:
        level = config.danger_floor
    stamped = []
    for finding in ordered:
        preview = finding.preview or finding.rule_id in preview_ids
        best = None if preview else best_in_group.get(finding.group or finding.rule_id)
        scored_with = best.rule_id if best is not None and best is not finding else ""
        stamped.append(replace(finding, contribution=contributions.get(id(finding), 0), scored_with=scored_with, preview=preview))
    return stamped, score, level


def summary_for(level: Level, danger: bool) -> str:
    summaries = scoring_config().summaries
    return summaries["danger"] if danger else summaries[level.label]
