"""The word-model checks: small logistic models over words, shipped as data.

M101 speaks only about texts that read like job postings (the kind it was trained on); M102
speaks about everything else in English: chat messages, DMs and letters to one person. Each
finding names the words that pushed the probability up, so it explains itself.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from typing import Sequence

from ..model import Span
from ..rules import Rule
from ..wordmodel import WordModel, load_model
from .base import CheckResult, Context, finding_from_rule

_WORDS = re.compile(r"[A-Za-z]{2,}")
_ANY_WORDS = re.compile(r"[^\W\d_]{2,}")  # words in any script, for the multilingual message model
# Words of a job posting. The model was trained on postings only: on chat messages and other
# text it has never seen it is unreliable, so it judges only texts that read like postings.
_POSTING_TERMS = re.compile(
    r"\b(job|jobs|position|positions|vacanc\w+|hiring|recruit\w*|salary|wages?|experience|requirements?|"
    r"responsibilit\w+|candidates?|applicants?|apply|resume|cv|employ\w+|career|duties|skills|"
    r"qualifications?|benefits|full[\s-]?time|part[\s-]?time|training|interview)\b",
    re.IGNORECASE,
)


# A letter or chat to one person ("Hi Kwame, ...", "Kind regards, Claire") is not a posting:
# recruiters' invitations and offer letters share a posting's words, and the model, trained on
# postings, mistook them for fraud. Job-board postings almost never open with a greeting.
# Forwarded e-mail headers and a sender's handle may come first, so a few lines are looked at.
_HEADER_LINE = re.compile(r"^(?:-{3,}.*forwarded.*|(?:from|to|cc|sent|date|subject|re|fwd?)\s*:.*|\s*)$", re.IGNORECASE)
_OPENER = re.compile(
    r"\s*(?:thank\s+you\s+for|thanks\s+(?:so\s+much\s+)?for|welcome\s+to|congratulations"
    r"|(?:hi|hello|hey|hiya|dear|good\s+(?:morning|afternoon|evening|day))\b(?:\s+[a-z][\w.'-]{0,20}){0,3}\s*[,!:\u2013-])",
    re.IGNORECASE,
)
_NAMED_GREETING = re.compile(r"\s*(?:hi|hello|hey|hiya|dear)\s+[a-z][\w.'-]{1,20}(?:\s+[a-z][\w.'-]{1,20})?\s*[,!\u2013-]", re.IGNORECASE)
_SIGN_OFF = re.compile(
    r"^\s*(?:(?:kind|best|warm|many|warmest)\s+)?(?:regards|wishes|thanks|sincerely|cheers)\b[ \t]*[,.!]?[ \t]*$"
    r"|^\s*(?:yours\s+(?:sincerely|faithfully|truly)|thank\s+you)[ \t]*[,.!]?[ \t]*$"
    r"|^\s*(?:(?:kind|best|warm|warmest)\s+regards|best|cheers|thanks|many\s+thanks)\s*,[ \t]*[a-z][^\n]{0,60}$",
    re.IGNORECASE | re.MULTILINE,
)
# A chat transcript: "Me: ...", "[10:42] Anna: ...", WhatsApp's "12/03/2025, 10:42 - Anna: ...".
_CHAT_LINE = re.compile(
    r"^(?:me|you)\s*:\s|^\[?\d{1,2}[:.]\d{2}(?:\s?[ap]m)?\]\s|^\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}",
    re.IGNORECASE | re.MULTILINE,
)


def reads_like_personal_message(text: str) -> bool:
    """A letter, DM or chat to one person rather than a posting to everyone."""
    body = [line for line in text.splitlines()[:12] if not _HEADER_LINE.match(line)]
    if body and _OPENER.match(body[0]):
        return True
    if any(_NAMED_GREETING.match(line) for line in body[1:3]):
        return True
    return bool(_SIGN_OFF.search(text) or _CHAT_LINE.search(text))


def reads_like_posting(text: str, settings: dict) -> bool:
    if len(_WORDS.findall(text)) < settings["min_words"]:
        return False
    if reads_like_personal_message(text):
        return False
    return len({term.lower() for term in _POSTING_TERMS.findall(text)}) >= settings["min_posting_terms"]


@lru_cache(maxsize=2)
def model_settings(table: str = "model") -> dict:
    raw = resources.files("offercheck.data").joinpath("scoring.toml").read_text("utf-8")
    return tomllib.loads(raw)[table]


def reads_like_message(text: str, settings: dict) -> bool:
    """A chat message, DM or letter: short, or written to one person, and not a posting.
    Longer texts without a greeting or sign-off are postings or pieces of them: M101's field."""
    words = len(_ANY_WORDS.findall(text))
    if words < settings["min_words"] or reads_like_posting(text, model_settings()):
        return False
    return words < settings["max_words_unaddressed"] or reads_like_personal_message(text)


def _band(probability: float, settings: dict) -> int:
    if probability >= settings["high_probability"]:
        return int(settings["high_weight"])
    if probability >= settings["medium_probability"]:
        return int(settings["medium_weight"])
    return 0


def _judged(rule: Rule, model: WordModel, settings: dict, context: Context, resembles: str) -> CheckResult:
    probability, present = model.score(context.offer.text, context.folded.text)
    weight = _band(probability, settings)
    if weight == 0:
        return CheckResult()
    words = ", ".join(f'"{feature}"' for feature, w in present[:6] if w > 0)
    message = (
        f"The wording resembles {resembles} (model probability {probability:.2f}); "
        f"the words that weigh most: {words or 'none in particular'}."
    )
    spans = _where(context, [feature for feature, w in present[:6] if w > 0])
    finding = replace(finding_from_rule(rule, context.offer.text, spans, message), weight=weight)
    return CheckResult((finding,))


_LETTER = r"[^\W\d_]"  # a letter in any script: the message model reads Cyrillic and Vietnamese too
_BETWEEN = r"(?:[^\w\n]|[\d_])+"


def _where(context: Context, features: Sequence[str]) -> list[Span]:
    """The first place each weighty word or word pair occurs, so the report can quote it.
    A pair was formed after short and common words were dropped, so up to two may sit between."""
    folded = context.folded
    spans: list[Span] = []
    for feature in features:
        joint = _BETWEEN + f"(?:{_LETTER}+{_BETWEEN}){{0,2}}?"
        pattern = f"(?<!{_LETTER})" + joint.join(map(re.escape, feature.split())) + f"(?!{_LETTER})"
        match = re.search(pattern, folded.text)
        if match:
            spans.append(Span(*folded.original_span(match.start(), match.end())))
    return spans


class ModelCheck:
    """M101 judges postings, M102 chat messages and letters; never both one text."""

    name = "model"

    def run(self, context: Context, rules: Sequence[Rule]) -> CheckResult:
        by_id = {r.id: r for r in rules if r.id in ("M101", "M102")}
        text = context.offer.text
        posting_settings = model_settings()
        if reads_like_posting(text, posting_settings):
            model = load_model("posting-words")
            if "M101" not in by_id or model is None:
                return CheckResult()
            return _judged(by_id["M101"], model, posting_settings, context, "fraudulent job postings")
        model = load_model("message-words")
        settings = model_settings("message_model")
        # A model is silent on languages it never learnt; no detection result means plainly English.
        language = context.evidence.languages[0][0] if context.evidence.languages else "en"
        if "M102" not in by_id or model is None or language not in model.languages or not reads_like_message(text, settings):
            return CheckResult()
        if language != "en":  # less training data: it must be surer before it speaks
            settings = dict(settings, medium_probability=settings["other_languages_medium_probability"])
        return _judged(by_id["M102"], model, settings, context, "recruitment-scam messages")
