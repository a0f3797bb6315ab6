"""Properties of check_text() and fold() on arbitrary text (hypothesis).

Arbitrary text rarely triggers a rule, so the texts are also built from fragments that do
(rule examples, fees, contacts, look-alike and expanding characters) mixed with random
characters, lone surrogates included: check_text takes any str, and a command-line argument
that is not valid UTF-8 arrives as one.
"""

from __future__ import annotations

import tomllib
from importlib import resources

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offercheck.api import check_text, normalise_newlines
from offercheck.model import Level
from offercheck.normalize import fold
from offercheck.rules import load_rules

SETTINGS = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

SCORING = tomllib.loads(resources.files("offercheck.data").joinpath("scoring.toml").read_text("utf-8"))
THRESHOLDS = sorted(((Level.parse(name), int(score)) for name, score in SCORING["levels"].items()), key=lambda t: -t[1])
DANGER_FLOOR = Level.parse(SCORING["danger_floor"])

FRAGMENTS = [
    "registration fee", "r e g i s t r a t i o n  f.e.e", "regis\u200btration fee", "REGISTRATION FEE",
    "Ｒｅｇｉｓｔｒａｔｉｏｎ ｆｅｅ", "reg1strati0n f33", "Pay 80 USD before you start", "no registration fee",
    "amazon.hr.team@gmail.com", "Amazon", "Brightwave Logistics Ltd", "WhatsApp +44 7911 123456", "Telegram @hr_anna",
    "bit.ly/x7Hq2", "https://evil.example/x", "TXk2d3m4b5n6p7q8r9s1t2u3v4w5x6y7z8", "passport", "Dubai", "job",
    "ﬁ", "İ", "ß", "ǅ", "\u0301", "\ufeff", "\u202e", "\u00ad", "\r\n", "\r", "\n", "\t", "\x1b[2J", "\x9b", "\x00",
    "\ud800", "\udc9b", "😀", "日本", "p4ssp0rt", "f-e-e", "@", "$", "!", "|", "0", "1",
]
FRAGMENTS += [example.text for rule in load_rules() for example in rule.examples]

CHARS = st.one_of(st.characters(), st.integers(0xD800, 0xDFFF).map(chr), st.sampled_from("\r\n\t \u200b\u202e\x1b\x9bİß0134@$!|"))
TEXTS = st.one_of(
    st.text(CHARS, max_size=300),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(CHARS, max_size=8)), max_size=25).map(" ".join),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(CHARS, max_size=3)), max_size=25).map("".join),
)


def expected_level(score: int) -> Level:
    for level, minimum in THRESHOLDS:
        if score >= minimum:
            return level
    return Level.LOW


@SETTINGS
@given(TEXTS)
def test_check_text_never_raises_and_reports_are_consistent(text):
    report = check_text(text)
    offer = report.offer.text
    assert offer == normalise_newlines(text), "the report must hold the input with only its newlines normalised"
    if "\r" not in text:
        assert offer == text, "without \\r the offer text must be the input unchanged"
    for finding in report.findings:
        if finding.span is None:
            assert finding.quote == "", f"{finding.rule_id}: a finding without a span quotes nothing, got {finding.quote!r}"
            continue
        start, end = finding.span.start, finding.span.end
        assert 0 <= start <= end <= len(offer), f"{finding.rule_id}: span {start}-{end} outside a text of {len(offer)}"
        assert finding.quote == offer[start:end], f"{finding.rule_id}: quote {finding.quote!r} is not text[{start}:{end}]"
        for more in finding.more_spans:
            assert 0 <= more.start <= more.end <= len(offer), f"{finding.rule_id}: a further hit lies outside the text"
    assert 0 <= report.score <= 100, f"score must be 0..100, got {report.score}"
    assert sum(f.contribution for f in report.findings) == report.score, "contributions must add up to the score"
    assert all(f.contribution >= 0 for f in report.findings), "no finding may lower the score"
    by_score = expected_level(report.score)
    if any(f.danger for f in report.findings):
        assert report.level in (by_score, max(by_score, DANGER_FLOOR)), (
            f"with a danger finding the level is the score's ({by_score.label}) or at least {DANGER_FLOOR.label}, got {report.level.label}"
        )
    else:
        assert report.level == by_score, f"score {report.score} means {by_score.label}, got {report.level.label}"
    severities = [f.severity for f in report.findings]
    assert severities == sorted(severities, reverse=True), f"findings must be ordered most serious first, got {severities}"


@SETTINGS
@given(TEXTS, st.data())
def test_fold_maps_every_span_back_inside_the_text(text, data):
    folded = fold(text)
    n = len(folded.text)
    start = data.draw(st.integers(0, n), label="start")
    end = data.draw(st.integers(start, n), label="end")
    a, b = folded.original_span(start, end)
    assert 0 <= a <= b <= len(text), f"folded span {start}-{end} maps to {a}-{b}, outside a text of {len(text)}"
    if end > start:
        assert b > a, f"a non-empty folded span {start}-{end} must map to a non-empty original span, got {a}-{b}"


@SETTINGS
@given(TEXTS)
def test_fold_map_is_per_character_and_ordered(text):
    folded = fold(text)
    if folded.starts is None:
        assert folded.text == text.lower(), "the identity mapping is only for text that folds to its lower case"
        return
    assert len(folded.starts) == len(folded.ends) == len(folded.text), "one original span per folded character"
    assert all(0 <= s < e <= len(text) for s, e in zip(folded.starts, folded.ends)), "each folded character maps into the text"
    assert folded.starts == sorted(folded.starts), "the map must keep the text's order"
