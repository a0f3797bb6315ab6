"""The RE2 prefilter may only ever widen: a rule that matches must always be a candidate."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from offercheck.normalize import fold
from offercheck.prefilter import prefilter_for, relax, shadow
from offercheck.rules import load_rules, match_language_rule

RULES = [r for r in load_rules() if r.check == "language"]
PREFILTER = prefilter_for(tuple(tuple(p.pattern for p in r.any) for r in RULES))
EXAMPLE_TEXTS = [e.text for r in RULES for e in r.examples]


def _missed(text: str) -> list[str]:
    folded = fold(text)
    candidates = PREFILTER.candidates(folded.text)
    return [r.id for i, r in enumerate(RULES) if i not in candidates and match_language_rule(r, folded)]


def test_prefilter_is_built_and_covers_every_rule():
    assert PREFILTER is not None, "google-re2 is a dependency: the prefilter must compile"
    assert not PREFILTER.always, f"rules RE2 cannot prefilter (they always run): {sorted(RULES[i].id for i in PREFILTER.always)}"


@pytest.mark.parametrize("text", EXAMPLE_TEXTS)
def test_no_rule_example_is_filtered_out(text):
    assert not _missed(text), f"the prefilter dropped rules that match {text!r}: {_missed(text)}"


fragments = st.sampled_from(EXAMPLE_TEXTS) | st.text(max_size=40)


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(fragments, min_size=1, max_size=4))
def test_prefilter_never_drops_a_matching_rule(parts):
    text = " ".join(parts)
    assert not _missed(text), f"the prefilter dropped matching rules on {text!r}: {_missed(text)}"


@pytest.mark.parametrize(
    ("pattern", "relaxed"),
    [
        (r"(?<!\w)fee(?=\s)", "fee"),
        (r"a(?!b(?:c))d", "ad"),
        (r"[\x27\u2019]s", r"[\x27\#]s"),
        (r"£\d+", r"\#\d+"),
        (r"[(?=x)]y", r"[(?=x)]y"),
    ],
)
def test_relax_table(pattern, relaxed):
    assert relax(pattern) == relaxed, f"relax({pattern!r}) should be {relaxed!r}"


def test_shadow_keeps_regex_classes():
    assert shadow("naïve café ٣ ’x") == "naave cafa 0 #x", "letters -> a, digits -> 0, other -> #"
    assert shadow("plain ascii") == "plain ascii"
