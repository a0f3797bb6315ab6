"""Which languages an offer is written in, part by part.

Offers mix languages (English job titles in a Portuguese message), so the text is cut into
lines and sentences and each piece is identified on its own. Plain English is recognised by
its function words without loading a model; anything else goes to py3langid (a compact
offline model, loaded on first use). A language counts as present when it holds a fair share
of the letters.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_PIECES = re.compile(r"[^\n.!?。！？]+[.!?。！？]*")
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_ENGLISH_WORDS = frozenset(
    "the and you your for are with our we this that will have has from not can be is to of in on at "
    "as an it if or by send job work pay please dear hello hi".split()
)
_WORD = re.compile(r"[a-z']+")
MIN_PIECE_LETTERS = 12  # shorter pieces ("OK!", a name) say nothing reliable about a language
MIN_SHARE = 0.15  # of the letters of the whole offer
MIN_LETTERS = 40  # or this many letters, for a short passage in a long offer

# Language names for notices, for the languages py3langid knows that recruiters use.
NAMES = {
    "en": "English", "es": "Spanish", "pt": "Portuguese", "fr": "French", "id": "Indonesian",
    "ms": "Malay", "tl": "Tagalog", "vi": "Vietnamese", "ru": "Russian", "uk": "Ukrainian",
    "ro": "Romanian", "th": "Thai", "zh": "Chinese", "ar": "Arabic", "hi": "Hindi", "de": "German",
    "it": "Italian", "nl": "Dutch", "pl": "Polish", "tr": "Turkish", "km": "Khmer", "my": "Burmese",
    "ne": "Nepali", "bn": "Bengali", "ur": "Urdu", "fa": "Persian", "sw": "Swahili", "am": "Amharic",
    "ja": "Japanese", "ko": "Korean", "ka": "Georgian", "hy": "Armenian", "uz": "Uzbek", "kk": "Kazakh",
    "bg": "Bulgarian", "sr": "Serbian", "mk": "Macedonian", "be": "Belarusian", "hu": "Hungarian",
    "cs": "Czech", "sk": "Slovak", "el": "Greek", "he": "Hebrew", "si": "Sinhala", "ta": "Tamil",
}


# Close languages the identifier confuses with a language that has a pack: Taglish is often read
# as Bikol, and Indonesian as Malay (they share most of their vocabulary); run the pack for them.
RUN_AS = {"bcl": "tl", "war": "tl", "ceb": "tl", "ms": "id"}


@dataclass(frozen=True, slots=True)
class LanguageShare:
    code: str  # ISO 639-1
    share: float  # of the offer's letters

    @property
    def name(self) -> str:
        return NAMES.get(self.code, self.code)


# Function words of the other languages written in plain ASCII that recruiters use; an ASCII
# piece with none of them, in an offer that is mostly English, is English (a title, a list).
_OTHER_ASCII_WORDS = frozenset(
    "ang ng mga sa po ako kami ikaw lang naman yung dito kayo "  # Tagalog
    "dan yang di untuk dengan anda tidak ini itu ada kerja kamu "  # Indonesian / Malay
    "el los las que para con por una es del muy pero trabajo "  # Spanish
    "os nao uma voce com sao trabalho "  # Portuguese (folded: não -> nao)
    "le les et pour avec une vous est nous travail dans "  # French
    "der die das und ist nicht mit sie wir fur "  # German
    "het een zijn niet voor wij "  # Dutch
    "si ca sunt pentru cu lucru".split()  # Romanian
)


def _english_ratio(words: list[str]) -> float:
    return sum(w in _ENGLISH_WORDS for w in words) / len(words) if words else 0.0


_NON_ASCII_LETTER = re.compile(r"[^\x00-\x7f]")


def _has_foreign_letters(piece: str) -> bool:
    """Letters outside ASCII (ã, ư, д); curly quotes, bullets and dashes do not count."""
    return any(c.isalpha() for c in _NON_ASCII_LETTER.findall(piece))


def _looks_english(piece: str, offer_is_english: bool) -> bool:
    if _has_foreign_letters(piece):
        return False
    words = _WORD.findall(piece.lower())
    if len(words) >= 3 and _english_ratio(words) >= 0.2:
        return True
    return offer_is_english and not any(w in _OTHER_ASCII_WORDS for w in words)


def _identify(piece: str) -> str:
    try:
        from py3langid.langid import classify  # loads its model once, on first use

        code, _score = classify(piece)
        code = RUN_AS.get(code, code)
    except Exception:  # noqa: BLE001 - no model: the piece stays unidentified, never a crash
        return "und"
    return code


def detect_languages(text: str) -> tuple[LanguageShare, ...]:
    """The languages present, largest share first. Empty for text with too few letters."""
    letters: Counter[str] = Counter()
    pending: list[str] = []
    words = _WORD.findall(text.lower())
    offer_is_english = _english_ratio(words) >= 0.12
    if offer_is_english and not _has_foreign_letters(text) and _OTHER_ASCII_WORDS.isdisjoint(words):
        # every piece would be judged English one by one: skip the loop
        return (LanguageShare("en", 1.0),) if len(_LETTERS.findall(text)) >= MIN_PIECE_LETTERS else ()
    for match in _PIECES.finditer(text):
        piece = match.group()
        count = len(_LETTERS.findall(piece))
        if count < MIN_PIECE_LETTERS:
            continue
        if _looks_english(piece, offer_is_english):
            letters["en"] += count
        else:
            pending.append(piece)
    for piece in _merge_short(pending):
        letters[_identify(piece)] += len(_LETTERS.findall(piece))
    for unknown in ("und", "zxx"):  # "undetermined", "no linguistic content"
        letters.pop(unknown, None)
    total = sum(letters.values())
    if not total:
        return ()
    present = [
        LanguageShare(code, count / total)
        for code, count in letters.most_common()
        if count / total >= MIN_SHARE or count >= MIN_LETTERS
    ]
    return tuple(present)


def _merge_short(pieces: list[str], target: int = 60) -> list[str]:
    """Neighbouring short pieces are identified together: short sentences fool any model."""
    merged: list[str] = []
    buffer = ""
    for piece in pieces:
        buffer = f"{buffer} {piece}".strip()
        if len(_LETTERS.findall(buffer)) >= target:
            merged.append(buffer)
            buffer = ""
    if buffer:
        merged.append(buffer)
    return merged
