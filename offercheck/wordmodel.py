"""A small learned word model, shipped as data (data/model/posting-words.toml).

It scores how much an offer's wording resembles the fraudulent job-board postings the model
was trained on (work-from-home, data-entry and payroll templates the rules do not describe).
It is explainable: the probability is a sum of per-word weights, and the report names the
words that pushed it up.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .normalize import fold

# Masked contacts (#EMAIL_x#) and HTML entities left in scraped postings are not words.
_NOISE = re.compile(r"#(?:email|phone|url)_[0-9a-z]+#|&[a-z]+;|&#\d+;")
_WORD = re.compile(r"[a-z]{3,20}")
# A line that is only a heading ("description:", "company_profile:") is how batch and eval join
# a listing's columns; it is layout, not wording, so the same posting scores the same either way.
_HEADING_LINE = re.compile(r"^[ \t]*[a-z][a-z_ ]{1,30}:[ \t]*$", re.MULTILINE)
_STOP = frozenset(
    "the and for you your are with our will that this from have all can not but was has who its their "
    "they them what when where which while also into out more most other some such than then there these "
    "those very any each just about over only own same both few how why would should could may might".split()
)


def features(text: str, folded: str | None = None) -> set[str]:
    """Word and adjacent-word-pair presence features; pass `folded` when the caller has it."""
    folded = fold(text).text if folded is None else folded
    words = [w for w in _WORD.findall(_NOISE.sub(" ", _HEADING_LINE.sub(" ", folded))) if w not in _STOP]
    out = set(words)
    out.update(f"{a} {b}" for a, b in zip(words, words[1:]))
    return out


@dataclass(frozen=True, slots=True)
class WordModel:
    bias: float
    weights: dict[str, float]

    def score(self, text: str, folded: str | None = None) -> tuple[float, list[tuple[str, float]]]:
        """Probability and the present features, most positive weight first."""
        present = [(f, self.weights[f]) for f in features(text, folded) if f in self.weights]
        logit = self.bias + sum(w for _f, w in present)
        probability = 1 / (1 + math.exp(-max(-60.0, min(60.0, logit))))
        present.sort(key=lambda item: -item[1])
        return probability, present


@lru_cache(maxsize=1)
def load_model() -> WordModel | None:
    path = resources.files("offercheck.data").joinpath("model", "posting-words.toml")
    if not path.is_file():
        return None
    data = tomllib.loads(path.read_text("utf-8"))
    return WordModel(float(data["bias"]), {k: float(v) for k, v in data["weights"].items()})
