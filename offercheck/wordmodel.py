"""Small learned word models, shipped as data (data/model/*.toml).

posting-words (rule M101) scores how much a posting's wording resembles the fraudulent
job-board postings it was trained on (work-from-home, data-entry and payroll templates the
rules do not describe); message-words (rule M102) does the same for chat messages and letters
against recruitment-scam messages. Both are explainable: the probability is a sum of per-word
weights, and the report names the words that pushed it up.
"""

from __future__ import annotations

import json
import math
import re
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


_SHORT_WORD = re.compile(r"[^\W\d_]{2,20}")  # letters of any script: the message model is multilingual


def message_features(text: str, folded: str | None = None) -> set[str]:
    """Like `features`, for chat messages: words of two letters up, in any script, and no stop
    list, because in a short message "you", "our", "we" and "ur" carry the pitch ("we pay you")."""
    folded = fold(text).text if folded is None else folded
    words = _SHORT_WORD.findall(_NOISE.sub(" ", _HEADING_LINE.sub(" ", folded)))
    out = set(words)
    out.update(f"{a} {b}" for a, b in zip(words, words[1:]))
    return out


TOKENISERS = {"words": features, "message-words": message_features}


@dataclass(frozen=True, slots=True)
class WordModel:
    bias: float
    weights: dict[str, float]
    tokens: str = "words"  # which tokeniser it was trained with (TOKENISERS)
    languages: tuple[str, ...] = ("en",)  # the languages it learnt; it stays silent on others

    def score(self, text: str, folded: str | None = None) -> tuple[float, list[tuple[str, float]]]:
        """Probability and the present features, most positive weight first."""
        present = [(f, self.weights[f]) for f in TOKENISERS[self.tokens](text, folded) if f in self.weights]
        logit = self.bias + sum(w for _f, w in present)
        probability = 1 / (1 + math.exp(-max(-60.0, min(60.0, logit))))
        present.sort(key=lambda item: -item[1])
        return probability, present


@lru_cache(maxsize=4)
def load_model(name: str = "posting-words") -> WordModel | None:
    """A model shipped in data/model/<name>.json: posting-words (M101) or message-words (M102).
    JSON, not TOML, because the C parser reads 12,000 weights in 3 ms instead of 45."""
    path = resources.files("offercheck.data").joinpath("model", f"{name}.json")
    if not path.is_file():
        return None
    data = json.loads(path.read_text("utf-8"))
    return WordModel(
        float(data["bias"]),
        {k: float(v) for k, v in data["weights"].items()},
        data.get("tokens", "words"),
        tuple(data.get("languages", ["en"])),
    )


def save_model(path, about: list[str], bias: float, weights: list[tuple[str, float]], tokens: str = "words",
               languages: tuple[str, ...] = ("en",)) -> None:
    """Write a model file the way load_model reads it (used by the training scripts)."""
    data = {
        "about": about,
        "tokens": tokens,
        "languages": list(languages),
        "bias": round(bias, 6),
        "weights": {feature: round(weight, 6) for feature, weight in weights},
    }
    with open(path, "w", encoding="utf-8") as out:  # one entry per line: readable diffs on retraining
        json.dump(data, out, ensure_ascii=False, indent=0, separators=(",", ":"))
        out.write("\n")
