"""The scoring rule documented in data/scoring.toml, on Finding objects built by hand.

score = 100 * (1 - product over warning signs of (1 - min(weight, max_weight) / 100)), rounded;
a warning sign is a rule group counted once at its highest weight; repeated hits and preview
rules add nothing; a danger finding lifts the level to at least `danger_floor`.
"""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from offercheck.model import Finding, Level, Severity, Span
from offercheck.scoring import level_for, score_findings

CONFIG = tomllib.loads(resources.files("offercheck.data").joinpath("scoring.toml").read_text("utf-8"))
MAX_WEIGHT = int(CONFIG["max_weight"])
DANGER_FLOOR = Level.parse(CONFIG["danger_floor"])
LEVEL_MINIMUM = {Level.parse(name): int(score) for name, score in CONFIG["levels"].items()}


def finding(
    rule_id: str,
    weight: int,
    *,
    group: str | None = None,
    severity: Severity = Severity.MEDIUM,
    danger: bool = False,
    start: int = 0,
    more_hits: int = 0,
) -> Finding:
    """A finding of a made-up rule; each rule is its own group unless told otherwise."""
    return Finding(
        rule_id=rule_id,
        name=f"test-{rule_id.lower()}",
        severity=severity,
        weight=weight,
        message="A test finding.",
        why="Because a test says so.",
        span=Span(start, start + 4),
        quote="text",
        advice=(),
        sources=(),
        group=rule_id if group is None else group,
        danger=danger,
        more_spans=tuple(Span(start + 10 * n, start + 10 * n + 4) for n in range(1, more_hits + 1)),
    )


def by_id(findings: list[Finding]) -> dict[str, Finding]:
    return {f.rule_id: f for f in findings}


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        pytest.param([], 0, id="nothing"),
        pytest.param([finding("X1", 40)], 40, id="one-40"),
        pytest.param([finding("X1", 40), finding("X2", 40)], 64, id="two-groups-of-40"),
        pytest.param([finding("X1", 40), finding("X2", 40), finding("X3", 40)], 78, id="three-groups-of-40"),
        pytest.param([finding("X1", 45), finding("X2", 25)], 59, id="45-and-25"),
        pytest.param([finding("X1", 40, group="fee"), finding("X2", 30, group="fee")], 40, id="same-group-once-at-max"),
        pytest.param([finding("X2", 30, group="fee"), finding("X1", 40, group="fee")], 40, id="same-group-order-irrelevant"),
        pytest.param([finding("X1", 40, group="fee"), finding("X2", 30, group="fee"), finding("X3", 40)], 64, id="group-plus-other"),
        pytest.param([finding("X1", 40, more_hits=5)], 40, id="repeated-hits-do-not-stack"),
        pytest.param([finding("X1", 100)], MAX_WEIGHT, id="weight-capped-at-max-weight"),
        pytest.param([finding("X1", 95), finding("X2", 95), finding("X3", 95)], 100, id="never-past-100"),
    ],
)
def test_score(findings, expected):
    _, score, _ = score_findings(findings)
    assert score == expected, f"expected score {expected} for weights {[f.weight for f in findings]}, got {score}"


@pytest.mark.parametrize(
    ("findings", "preview", "expected_score", "zero"),
    [
        pytest.param([finding("X1", 40), finding("P1", 40)], {"P1"}, 40, {"P1"}, id="preview-beside-stable"),
        pytest.param([finding("P1", 60)], {"P1"}, 0, {"P1"}, id="preview-alone"),
        pytest.param([finding("P1", 60, group="fee"), finding("X1", 30, group="fee")], {"P1"}, 30, {"P1"}, id="preview-does-not-shadow-group"),
    ],
)
def test_preview_rules_contribute_nothing(findings, preview, expected_score, zero):
    stamped, score, _ = score_findings(findings, frozenset(preview))
    assert score == expected_score, f"expected score {expected_score} with preview rules {preview}, got {score}"
    for rule_id in zero:
        assert by_id(stamped)[rule_id].contribution == 0, f"preview rule {rule_id} must contribute 0"
    assert {f.rule_id for f in stamped} == {f.rule_id for f in findings}, "preview findings are still reported"


@pytest.mark.parametrize(
    ("findings", "contributions"),
    [
        pytest.param([finding("X1", 40), finding("X2", 40)], {"X1": 40, "X2": 24}, id="two-40s"),
        pytest.param([finding("X1", 25), finding("X2", 45)], {"X2": 45, "X1": 14}, id="strongest-counts-first"),
        pytest.param([finding("X1", 40, group="g"), finding("X2", 30, group="g")], {"X1": 40, "X2": 0}, id="weaker-in-group-adds-0"),
        pytest.param([finding("X1", 40, group="g"), finding("X2", 40, group="g")], None, id="tie-in-group-counts-once"),
        pytest.param([finding(f"X{n}", 10 + 7 * n) for n in range(8)], None, id="eight-signs"),
    ],
)
def test_contributions_sum_to_the_score(findings, contributions):
    stamped, score, _ = score_findings(findings)
    assert sum(f.contribution for f in stamped) == score, (
        f"contributions {[(f.rule_id, f.contribution) for f in stamped]} must add up to the score {score}"
    )
    assert all(f.contribution >= 0 for f in stamped), "no contribution may be negative"
    if contributions is not None:
        got = {f.rule_id: f.contribution for f in stamped}
        assert got == contributions, f"expected contributions {contributions}, got {got}"
    else:
        assert sum(1 for f in stamped if f.contribution) <= len({f.group for f in findings}), "each group contributes at most once"


@pytest.mark.parametrize(
    ("score", "level"),
    [
        pytest.param(0, Level.LOW, id="0"),
        pytest.param(LEVEL_MINIMUM[Level.MEDIUM] - 1, Level.LOW, id="below-medium"),
        pytest.param(LEVEL_MINIMUM[Level.MEDIUM], Level.MEDIUM, id="medium"),
        pytest.param(LEVEL_MINIMUM[Level.HIGH] - 1, Level.MEDIUM, id="below-high"),
        pytest.param(LEVEL_MINIMUM[Level.HIGH], Level.HIGH, id="high"),
        pytest.param(LEVEL_MINIMUM[Level.CRITICAL] - 1, Level.HIGH, id="below-critical"),
        pytest.param(LEVEL_MINIMUM[Level.CRITICAL], Level.CRITICAL, id="critical"),
        pytest.param(100, Level.CRITICAL, id="100"),
    ],
)
def test_level_thresholds(score, level):
    assert level_for(score) == level, f"score {score} should be {level.label}, got {level_for(score).label}"


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        pytest.param([finding("X1", 40)], Level.MEDIUM, id="no-danger"),
        pytest.param([finding("D1", 10, danger=True)], DANGER_FLOOR, id="weak-danger-lifted"),
        pytest.param([finding("X1", 10), finding("D1", 20, danger=True)], DANGER_FLOOR, id="danger-among-others"),
        pytest.param([finding("D1", 90, danger=True)], Level.CRITICAL, id="danger-never-lowers"),
    ],
)
def test_danger_lifts_the_level(findings, expected):
    _, score, level = score_findings(findings)
    assert level == expected, f"expected {expected.label} (score {score}), got {level.label}"
    if any(f.danger for f in findings):
        assert level >= DANGER_FLOOR, f"a danger finding must lift the level to at least {DANGER_FLOOR.label}"
        assert level >= level_for(score), "a danger finding must never lower the level the score gives"


@pytest.mark.parametrize(
    ("findings", "order"),
    [
        pytest.param(
            [finding("A1", 10, severity=Severity.LOW), finding("A2", 10, severity=Severity.CRITICAL), finding("A3", 10, severity=Severity.MEDIUM)],
            ["A2", "A3", "A1"],
            id="by-severity",
        ),
        pytest.param(
            [finding("B1", 20, severity=Severity.HIGH), finding("B2", 45, severity=Severity.HIGH), finding("B3", 30, severity=Severity.MEDIUM)],
            ["B2", "B1", "B3"],
            id="then-by-weight",
        ),
        pytest.param(
            [finding("C2", 20, start=50), finding("C1", 20, start=90), finding("C3", 20, start=10)],
            ["C3", "C2", "C1"],
            id="then-by-position",
        ),
        pytest.param(
            [finding("D2", 20, start=5), finding("D1", 20, start=5)],
            ["D1", "D2"],
            id="then-by-rule-id",
        ),
    ],
)
def test_most_serious_first(findings, order):
    stamped, _, _ = score_findings(findings)
    got = [f.rule_id for f in stamped]
    assert got == order, f"expected the order {order}, got {got}"
