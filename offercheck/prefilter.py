"""One pass over the text to learn which language rules can possibly match.

Python's `re` runs each rule's patterns over the whole text in turn, about 150 µs per rule on
a 2.5 KB posting. RE2's `Set` matches every pattern in one linear pass. RE2 has no
lookarounds, so each pattern is *relaxed* first: lookarounds removed, which only ever lets
more text match. A rule whose relaxed patterns do not match cannot match; the few that do
are then run with `re` as before, so hits, quotes and offsets are exactly the same.

RE2 is run on an ASCII *shadow* of the text, each other character replaced by one that keeps
its class: a letter by "a", a decimal digit by "0", a space by " ", anything else by "#". The
relaxed patterns get the same replacement for their own non-ASCII characters, so \\w, \\d, \\s
and \\b mean in RE2 what they meant to Python, and the automaton stays small.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence


class _Shadow(dict):
    """str.translate table: a non-ASCII character -> an ASCII one of the same regex class."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch.isdecimal():
            out = "0"
        elif ch.isalnum():
            out = "a"
        elif ch.isspace():
            out = " "
        else:
            out = "#"
        self[code] = out
        return out


# ASCII characters Python's \s matches but RE2's does not (\v and the information separators).
_ODD_SPACES = "\x0b\x1c\x1d\x1e\x1f"
_SHADOW = _Shadow({c: (" " if chr(c) in _ODD_SPACES else chr(c)) for c in range(128)})
_HAS_ODD_SPACE = re.compile(f"[{_ODD_SPACES}]")
_NON_ASCII_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})|\\x([89a-fA-F][0-9a-fA-F])")


def shadow(text: str) -> str:
    """The ASCII text RE2 sees (identical for ASCII text)."""
    if text.isascii() and not _HAS_ODD_SPACE.search(text):
        return text
    return text.translate(_SHADOW)


def _literal(ch: str) -> str:
    mapped = _SHADOW[ord(ch)]
    return re.escape(mapped) if mapped in "# " else mapped


def _class_tokens(body: str) -> list[str]:
    """The members of a class body: an escape sequence is one token, any other character one."""
    tokens, i = [], 0
    while i < len(body):
        step = 2 if body[i] == "\\" else 1
        tokens.append(body[i : i + step])
        i += step
    return tokens


def _ascii_class(text: str) -> str:
    """A character class with its non-ASCII members replaced; a range reaching past ASCII cannot be."""
    opening = "[^" if text.startswith("[^") else "["
    tokens = _class_tokens(text[len(opening) : -1])
    for i in range(1, len(tokens) - 1):
        if tokens[i] == "-" and (not tokens[i - 1].isascii() or not tokens[i + 1].isascii()):
            raise ValueError("a range with a non-ASCII end")
    return opening + "".join(t if t.isascii() else _literal(t[-1]) for t in tokens) + "]"


def _skip_class(pattern: str, i: int) -> int:
    """Index just past the character class that starts at pattern[i] == '['."""
    i += 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


def _group_end(pattern: str, i: int) -> int:
    """Index just past the group whose '(' is at pattern[i]."""
    depth = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _skip_class(pattern, i)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced parentheses")


def relax(pattern: str) -> str:
    """`pattern` with every lookaround removed and its non-ASCII characters shadowed."""
    pattern = _NON_ASCII_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2) or m.group(3), 16)), pattern)
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i : i + 2] if pattern[i + 1 : i + 2].isascii() else _literal(pattern[i + 1]))
            i += 2
        elif ch == "[":
            end = _skip_class(pattern, i)
            out.append(_ascii_class(pattern[i:end]))
            i = end
        elif pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
            i = _group_end(pattern, i)  # a lookaround only restricts: dropping it matches a superset
        else:
            out.append(ch if ch.isascii() else _literal(ch))
            i += 1
    return "".join(out)


class Prefilter:
    """Which rules (by index) may match an ASCII text, from one RE2 pass."""

    def __init__(self, patterns_per_rule: Sequence[Sequence[str]]) -> None:
        import re2

        options = re2.Options()
        options.log_errors = False
        options.max_mem = 64 << 20  # room for the DFA of ~300 patterns; the default 8 MiB is too small
        self._set = re2.Set.SearchSet(options)
        self._owner: list[int] = []
        self.always: set[int] = set()  # rules RE2 cannot express (atomic groups, ...): always run
        for rule_index, patterns in enumerate(patterns_per_rule):
            for pattern in patterns:
                try:
                    relaxed = relax(pattern)
                    if self._set.Add(relaxed) < 0:
                        raise ValueError(pattern)
                except Exception:  # noqa: BLE001 - whatever RE2 refuses is simply not prefiltered
                    self.always.add(rule_index)
                    continue
                self._owner.append(rule_index)
        self._set.Compile()

    def candidates(self, text: str) -> set[int]:
        """Indexes of the rules that may match `text`."""
        return {self._owner[i] for i in (self._set.Match(shadow(text)) or ())} | self.always


@lru_cache(maxsize=32)
def prefilter_for(patterns_per_rule: tuple[tuple[str, ...], ...]) -> Prefilter | None:
    """A compiled prefilter, or None where google-re2 is not installed (then every rule runs)."""
    try:
        return Prefilter(patterns_per_rule)
    except Exception:  # noqa: BLE001 - no google-re2, or RE2 refused the set: run every rule
        return None
