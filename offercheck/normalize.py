"""Normalise offer text for matching, keeping a map back to the original.

Scammers write "p a s s p o r t", "reg1strati0n fee", "Теlegram" (a Cyrillic Т) or hide
zero-width spaces inside words so that filters miss them. Rules match against a folded
form of the text; every match is mapped back so the report quotes the user's exact words.

The folded text is: Unicode NFKC, case-folded, accents removed (й -> и, ё -> е, đ -> d),
zero-width and bidi characters dropped, look-alike Cyrillic and Greek letters mapped to Latin
inside words that also have Latin letters ("Теlegram"; a Russian word stays Russian), l33t
digits inside words mapped to letters, and letters spaced out one by one joined again.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Characters that render as nothing; scammers put them inside words to break filters.
_INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u206a\u206b\u206c\u206d\u206e\u206f\u3164\ufeff\uffa0"
)

# Look-alike letters from other scripts (Unicode confusables, the ones seen in spam).
_CONFUSABLES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ɡ": "g",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c",
}
# Latin letters with no decomposition to a base letter, folded always.
_LATIN_VARIANTS = {"ı": "i", "ȷ": "j", "ſ": "s", "ℓ": "l", "đ": "d", "ł": "l", "ø": "o"}
_MIXED_WORD = re.compile(r"\w*[a-z]\w*")
_CONFUSABLE_TABLE = str.maketrans(_CONFUSABLES)
_HAS_CONFUSABLE = re.compile("[" + "".join(_CONFUSABLES) + "]")

# Only applied inside words that are mostly letters ("p4ssp0rt"), never to numbers ("150").
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "l"}
_LEET_WORD = re.compile(r"[a-z0-9@$!|]*[a-z][a-z0-9@$!|]*")
_SHAPE_NOT_LEET = re.compile(r"[a-z]{1,4}\d+|\d+[a-z]{1,3}|[a-z]+\d+[a-z]?|\d+[a-z]+\d+")
# "w h a t s a p p", "f.e.e", "t-e-l-e-g-r-a-m": three or more single letters with one separator.
_SPACED = re.compile(r"(?<![a-z0-9])[a-z](?:[ .\-_*•·](?=[a-z](?![a-z0-9]))[a-z]){2,}(?![a-z0-9])")


@dataclass(frozen=True, slots=True)
class Folded:
    """The folded text and, per folded character, its [start, end) in the original."""

    text: str
    starts: list[int] | None  # None: identity mapping (the common, fast case)
    ends: list[int] | None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the folded text back to the original text."""
        if self.starts is None:
            return start, end
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else (self.ends[-1] if self.ends else 0)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def _fold_char(ch: str) -> str:
    if ch in _INVISIBLE:
        return ""
    out = unicodedata.normalize("NFKC", ch).casefold()
    if not out.isascii():
        decomposed = unicodedata.normalize("NFKD", out)
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
        out = unicodedata.normalize("NFC", stripped) if stripped else out
        out = "".join(_LATIN_VARIANTS.get(c, c) for c in out)
    return out


def _demix(folded: str) -> str:
    """Map look-alike letters to Latin inside words that also contain Latin letters (same length)."""
    if not _HAS_CONFUSABLE.search(folded):
        return folded
    return _MIXED_WORD.sub(lambda m: m.group().translate(_CONFUSABLE_TABLE), folded)


@lru_cache(maxsize=4096)
def _fold_char_cached(ch: str) -> str:
    return _fold_char(ch)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold_unicode(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    if text.isascii():
        return text.lower(), None, None
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    cursor = 0
    for match in _NON_ASCII.finditer(text):  # ASCII runs are copied in bulk; only the rest is folded
        index = match.start()
        if index > cursor:
            pieces.append(text[cursor:index].lower())
            starts.extend(range(cursor, index))
            ends.extend(range(cursor + 1, index + 1))
        out = _fold_char_cached(match.group())
        if out:
            pieces.append(out)
            starts.extend([index] * len(out))
            ends.extend([index + 1] * len(out))
        cursor = index + 1
    if cursor < len(text):
        pieces.append(text[cursor:].lower())
        starts.extend(range(cursor, len(text)))
        ends.extend(range(cursor + 1, len(text) + 1))
    return "".join(pieces), starts, ends


def _edits(text: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) edits for l33t words and spaced-out letters, in order."""
    edits: list[tuple[int, int, str]] = []
    for match in _SPACED.finditer(text):
        edits.append((match.start(), match.end(), re.sub(r"[^a-z]", "", match.group())))
    if any(c in text for c in "013457@$!|"):
        taken = [(s, e) for s, e, _ in edits]
        for match in _LEET_WORD.finditer(text):
            word = match.group().rstrip("!|$@")  # "left!!" is punctuation, not l33t for "leftii"
            start = match.start() + len(word) - len(word.lstrip("@"))  # "@hr_anna" is a handle
            word = word.lstrip("@")
            end = start + len(word)
            if not word:
                continue
            if word.isalpha() or len(word) < 3 or _SHAPE_NOT_LEET.fullmatch(word):
                continue
            if sum(c.isalpha() for c in word) < 2 or any(s < end and start < e for s, e in taken):
                continue
            if "@" in word and "." in text[end : end + 1]:
                continue  # an e-mail address, not l33t
            folded = "".join(_LEET.get(c, c) for c in word)
            if folded != word:
                edits.append((start, end, folded))
        edits.sort()
    return edits


def fold(text: str) -> Folded:
    """Fold `text` for matching; see the module docstring for what that means."""
    folded, starts, ends = _fold_unicode(text)
    if not folded.isascii():
        folded = _demix(folded)
    edits = _edits(folded)
    if not edits:
        return Folded(folded, starts, ends)
    if starts is None:
        starts = list(range(len(folded)))
        ends = list(range(1, len(folded) + 1))
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    cursor = 0
    for start, end, replacement in edits:
        out.append(folded[cursor:start])
        new_starts.extend(starts[cursor:start])
        new_ends.extend(ends[cursor:start])
        if len(replacement) == end - start:
            new_starts.extend(starts[start:end])
            new_ends.extend(ends[start:end])
        else:  # a spaced-out word: each letter keeps its own position
            kept = [i for i in range(start, end) if folded[i].isalpha()]
            new_starts.extend(starts[i] for i in kept)
            new_ends.extend(ends[i] for i in kept)
        out.append(replacement)
        cursor = end
    out.append(folded[cursor:])
    new_starts.extend(starts[cursor:])
    new_ends.extend(ends[cursor:])
    return Folded("".join(out), new_starts, new_ends)
