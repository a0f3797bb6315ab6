"""offercheck eval: the counting (on a hand-computed set with a stub checker), Wilson intervals,
the command on small labelled CSV/JSONL files written for these tests (tests/fixtures/eval/),
and its errors on degenerate files. Every check runs offline.

Assertions on the command's output do not depend on which level the real rules give each
fixture (weights are being calibrated); the figures are tested with the stub checker.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from offercheck.cli import app
from offercheck.evaluate import LabelledItem, Rate, evaluate, wilson
from offercheck.model import Finding, Level, Severity, Span

FIXTURES = Path(__file__).parent / "fixtures" / "eval"


def run_eval(*args: str):
    return CliRunner().invoke(app, ["eval", *args])


def no_nan(text: str) -> dict:
    def refuse(name: str):
        raise AssertionError(f"JSON contains {name}")

    return json.loads(text, parse_constant=refuse)


# --- Wilson intervals -------------------------------------------------------------------------


@pytest.mark.parametrize(("hits", "total", "low", "high"), [
    (8, 10, 0.4902, 0.9433),   # Newcombe (1998), method 3; p = 0.8, n = 10
    (0, 10, 0.0, 0.2775),
    (10, 10, 0.7225, 1.0),
    (32, 364, 0.06296, 0.12147),  # worked by hand: centre 0.092216, half-width 0.029257
    (1, 4827, 0.0000366, 0.001174),
])
def test_wilson_interval_values(hits, total, low, high):
    lo, hi = wilson(hits, total)
    assert lo == pytest.approx(low, abs=5e-5) and hi == pytest.approx(high, abs=5e-5)


def test_wilson_with_no_items_is_the_whole_range_and_impossible_counts_are_refused():
    assert wilson(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson(5, 4)
    rate = Rate(0, 0)
    assert rate.value is None and rate.interval is None
    assert rate.to_dict() == {"hits": 0, "total": 0, "rate": None, "low": None, "high": None}


# --- the counting, on a set computed by hand --------------------------------------------------


class Stub:
    """A Report-like object: level, score and findings are all the evaluation reads."""

    def __init__(self, level: Level, score: int, findings=()):
        self.level, self.score, self.findings = level, score, tuple(findings)


def finding(rule_id: str, quote: str = "", contribution: int = 10, name: str = "") -> Finding:
    return Finding(rule_id, name or f"rule-{rule_id.lower()}", Severity.HIGH, 40, "message", "why",
                   Span(0, len(quote)) if quote else None, quote, (), (), contribution=contribution)


# id -> (positive?, level, score, rules fired)
HAND = {
    "p1": (True, Level.CRITICAL, 90, ["A"]),
    "p2": (True, Level.HIGH, 60, ["A"]),
    "p3": (True, Level.HIGH, 55, ["A"]),
    "p4": (True, Level.MEDIUM, 30, []),
    "p5": (True, Level.LOW, 10, []),
    "p6": (True, Level.LOW, 0, []),
    "n1": (False, Level.LOW, 0, []),
    "n2": (False, Level.LOW, 5, []),
    "n3": (False, Level.MEDIUM, 25, ["B"]),
    "n4": (False, Level.HIGH, 50, ["A", "B"]),
}


def hand_result(at: Level = Level.HIGH):
    def check(text: str):
        positive, level, score, rules = HAND[text]
        return Stub(level, score, [finding(r, f"words of {r}") for r in rules])

    return evaluate([LabelledItem(k, k, v[0]) for k, v in HAND.items()], check=check, at=at)


def test_recall_and_false_positive_rate_per_level_match_the_hand_count():
    result = hand_result()
    assert (result.positives, result.negatives) == (6, 4)
    got = {t.level: ((t.recall.hits, t.recall.total), (t.false_positive_rate.hits, t.false_positive_rate.total))
           for t in result.thresholds}
    assert got == {
        Level.MEDIUM: ((4, 6), (2, 4)),
        Level.HIGH: ((3, 6), (1, 4)),
        Level.CRITICAL: ((1, 6), (0, 4)),
    }
    assert result.threshold(Level.HIGH).recall.value == pytest.approx(0.5)
    assert result.threshold(Level.HIGH).recall.interval == pytest.approx(wilson(3, 6))


def test_confusion_table_counts_label_by_level():
    assert hand_result().confusion == {
        "positive": {"low": 2, "medium": 1, "high": 2, "critical": 1},
        "negative": {"low": 2, "medium": 1, "high": 1, "critical": 0},
    }


def test_rule_hit_rates_and_precision():
    rules = {r.rule_id: r for r in hand_result().rules}
    assert list(rules) == ["A", "B"], "most items first"
    a, b = rules["A"], rules["B"]
    assert (a.on_positives.hits, a.on_positives.total, a.on_negatives.hits, a.on_negatives.total) == (3, 6, 1, 4)
    assert (a.precision.hits, a.precision.total) == (3, 4)
    assert (b.on_positives.hits, b.on_negatives.hits, b.precision.hits, b.precision.total) == (0, 2, 0, 2)


def test_missed_and_wrongly_flagged_follow_the_chosen_level():
    result = hand_result(Level.HIGH)
    assert [o.id for o in result.missed] == ["p4", "p5", "p6"], "highest score first"
    assert [o.id for o in result.wrongly_flagged] == ["n4"]
    assert [(c.rule_id, c.quote) for c in result.wrongly_flagged[0].top] == [("A", "words of A"), ("B", "words of B")]
    medium = hand_result(Level.MEDIUM)
    assert [o.id for o in medium.missed] == ["p5", "p6"]
    assert [o.id for o in medium.wrongly_flagged] == ["n4", "n3"]


def test_curve_runs_over_score_thresholds_0_to_100():
    curve = hand_result().curve()
    assert [t for t, _, _ in curve] == list(range(101))
    by_t = {t: (r.hits, f.hits) for t, r, f in curve}
    assert by_t[0] == (6, 4) and by_t[25] == (4, 2) and by_t[50] == (3, 1) and by_t[56] == (2, 0) and by_t[100] == (0, 0)


def test_quotes_are_cut_and_terminal_safe_and_only_the_top_findings_are_kept():
    long_quote = "\x1b]8;;http://evil\x07click\x1b[2J " + "very long words " * 20

    def check(text: str):
        return Stub(Level.HIGH, 70, [finding("X1", long_quote, 5), finding("X2", "fee", 40),
                                     finding("X3", "passport", 20), finding("X4", "photo", 1)])

    (outcome,) = evaluate([LabelledItem("1", "t", False)], check=check).outcomes
    assert [c.rule_id for c in outcome.top] == ["X2", "X3", "X1"], "most points first, three at most"
    cut = outcome.top[2].quote
    assert len(cut) <= 80 and cut.endswith("…") and "\x1b" not in cut and "\x07" not in cut
    assert {r for r, _ in outcome.rules} == {"X1", "X2", "X3", "X4"}, "rule statistics count every finding"


def test_one_class_is_measured_as_far_as_it_can_be_without_nan():
    result = evaluate([LabelledItem("a", "a", False), LabelledItem("b", "b", False)],
                      check=lambda text: Stub(Level.MEDIUM if text == "a" else Level.LOW, 30))
    high = result.threshold(Level.MEDIUM)
    assert high.recall.value is None and high.false_positive_rate.value == 0.5
    assert result.warnings and "recall" in result.warnings[0]
    doc = result.to_dict()
    assert doc["thresholds"][0]["recall"]["rate"] is None
    assert not any(isinstance(v, float) and math.isnan(v) for p in doc["curve"] for v in p.values())


def test_default_check_is_offline(monkeypatch):
    import offercheck.api

    def no_lookups(*args, **kwargs):
        raise AssertionError("eval must never look anything up")

    monkeypatch.setattr(offercheck.api, "default_lookup", no_lookups)
    result = evaluate([LabelledItem("1", "Apply at https://careers-northwind.top/apply now, fee 50 USD", True)])
    assert result.positives == 1 and len(result.outcomes) == 1


# --- the command ------------------------------------------------------------------------------


def test_csv_plain_output_has_every_section():
    result = run_eval(str(FIXTURES / "postings.csv"), "--label-column", "fraudulent", "--format", "plain")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "8 items, 4 positive and 4 negative" in out
    assert "text from: title, description" in out
    for heading in ("level >=", "medium ", "high ", "critical ", "confusion", "rules that fired",
                    "missed positives (below high)", "wrongly flagged negatives (high or above)"):
        assert heading in out
    assert "\x1b" not in out, "plain has no escape codes"
    assert "skipped row 7: no label in fraudulent" in result.stderr, "a row without a label is skipped, not negative"


def test_json_output_is_schema_versioned_and_parses():
    result = run_eval(str(FIXTURES / "postings.csv"), "--label-column", "fraudulent", "--format", "json",
                      "--id-column", "id")
    assert result.exit_code == 0, result.output
    doc = no_nan(result.stdout)
    assert doc["schema"] == "1.0" and doc["kind"] == "offercheck-eval" and doc["offline"] is True
    assert doc["counts"] == {"items": 8, "positive": 4, "negative": 4}
    assert [t["level"] for t in doc["thresholds"]] == ["medium", "high", "critical"]
    assert set(doc["thresholds"][0]["recall"]) == {"hits", "total", "rate", "low", "high"}
    assert sum(doc["confusion"]["positive"].values()) == 4 and sum(doc["confusion"]["negative"].values()) == 4
    assert len(doc["curve"]) == 101 and doc["curve"][0] == {"score": 0, "recall": 1.0, "false_positive_rate": 1.0}
    assert doc["input"]["label_column"] == "fraudulent" and doc["input"]["rows_skipped"] == 1
    assert doc["input"]["skipped"][0]["id"] == "u1"
    listed = {o["id"] for o in doc["missed"]} | {o["id"] for o in doc["wrongly_flagged"]}
    assert listed <= {"s1", "s2", "s3", "s4", "l1", "l2", "l3", "l4"}
    for rule in doc["rules"]:
        assert rule["precision"]["total"] == rule["on_positives"]["hits"] + rule["on_negatives"]["hits"]


def test_jsonl_input_with_boolean_labels():
    result = run_eval(str(FIXTURES / "messages.jsonl"), "--label-column", "is_scam", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = no_nan(result.stdout)
    assert doc["counts"] == {"items": 8, "positive": 4, "negative": 4}
    assert doc["input"]["format"] == "jsonl" and doc["input"]["text_columns"] == ["text"]


def test_custom_positive_value_is_case_insensitive():
    result = run_eval(str(FIXTURES / "verdicts.csv"), "--label-column", "verdict", "--positive", "BAD",
                      "--text-columns", "message", "--id-column", "ref", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = no_nan(result.stdout)
    assert doc["counts"] == {"items": 8, "positive": 4, "negative": 4}
    assert doc["input"]["positive_values"] == ["bad"]
    assert doc["input"]["label_values"] == {"Bad": 4, "ok": 4}


def test_labels_outside_the_default_positive_values_are_negative_and_warned_about():
    result = run_eval(str(FIXTURES / "verdicts.csv"), "--label-column", "verdict", "--format", "plain")
    assert result.exit_code == 0, result.output
    assert "0 positive and 8 negative" in result.stdout
    assert "warning: all 8 items are negative" in result.stderr


def test_one_class_only_reports_what_it_can_and_warns():
    result = run_eval(str(FIXTURES / "legit-only.csv"), "--label-column", "fraudulent", "--format", "plain")
    assert result.exit_code == 0, result.output
    assert "recall" in result.stderr and "cannot be measured" in result.stderr
    assert "0/0 = n/a" in result.stdout and "nan" not in result.stdout.lower()
    doc = no_nan(run_eval(str(FIXTURES / "legit-only.csv"), "--label-column", "fraudulent", "--format", "json").stdout)
    assert doc["thresholds"][1]["recall"]["rate"] is None
    assert doc["thresholds"][1]["false_positive_rate"]["total"] == 4
    assert doc["warnings"]


@pytest.mark.parametrize(("name", "message"), [
    ("empty.csv", "is empty"),
    ("header-only.csv", "has no rows"),
    ("missing.csv", "does not exist"),
])
def test_unreadable_files_are_usage_errors(name, message):
    result = run_eval(str(FIXTURES / name), "--label-column", "fraudulent")
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output


def test_missing_label_column_names_the_columns_that_exist():
    result = run_eval(str(FIXTURES / "postings.csv"), "--label-column", "is_fraud")
    assert result.exit_code == 2
    assert "--label-column: no column 'is_fraud'" in result.stderr
    assert "'id', 'title', 'description', 'fraudulent'" in result.stderr


def test_no_text_column_and_label_as_text_are_refused(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("a,b,label\nx,y,1\nz,w,0\n", encoding="utf-8")
    result = run_eval(str(path), "--label-column", "label")
    assert result.exit_code == 2 and "no text column found" in result.stderr and "--text-columns" in result.stderr
    result = run_eval(str(FIXTURES / "postings.csv"), "--label-column", "fraudulent", "--text-columns", "description,fraudulent")
    assert result.exit_code == 2 and "also a text column" in result.stderr


def test_rows_without_text_are_skipped_and_a_file_with_none_usable_is_refused(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("text,label\n,1\n  ,0\n", encoding="utf-8")
    result = run_eval(str(path), "--label-column", "label")
    assert result.exit_code == 2 and "has both a label and text" in result.stderr


def test_untrusted_ids_and_words_do_not_reach_the_terminal_raw(tmp_path):
    import io

    from offercheck.evaluate.render import render_text

    hostile_id, hostile_quote = "\x1b[31mred\x1b[0m", "registration\x1b[2J fee"
    result = evaluate([LabelledItem(hostile_id, "x", True)],
                      check=lambda text: Stub(Level.LOW, 10, [finding("L101", hostile_quote)]))
    out = io.StringIO()
    render_text(result, out, header=["header \x1b]0;title\x07"], show=5)
    assert "\x1b" not in out.getvalue() and "\x07" not in out.getvalue()
    assert "␛[31mred" in out.getvalue() and "registration␛[2J fee" in out.getvalue()

    path = tmp_path / "hostile.jsonl"
    rows = [{"id": hostile_id, "text": "Pay the \x1b[2Jregistration fee of 200 USD before you start.", "y": 1},
            {"id": "ok\x1b[2J", "text": "Barista wanted, weekend shifts, apply in store.", "y": 0}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for at in ("medium", "critical"):
        cli = run_eval(str(path), "--label-column", "y", "--format", "plain", "--at", at)
        assert cli.exit_code == 0, cli.output
        assert "\x1b" not in cli.stdout


def test_bad_options_are_usage_errors():
    base = [str(FIXTURES / "postings.csv"), "--label-column", "fraudulent"]
    assert run_eval(*base, "--format", "markdown").exit_code == 2
    assert run_eval(*base, "--at", "low").exit_code == 2
    assert run_eval(*base, "--positive", " , ").exit_code == 2


def test_plot_needs_matplotlib(tmp_path):
    out = tmp_path / "recall.png"
    result = run_eval(str(FIXTURES / "postings.csv"), "--label-column", "fraudulent", "--plot", str(out), "--format", "plain")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert result.exit_code == 2 and "--plot needs matplotlib" in result.stderr and "offercheck[plot]" in result.stderr
        assert not out.exists()
    else:
        assert result.exit_code == 0, result.output
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
