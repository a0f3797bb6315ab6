"""Offline facts about a host: reading a link, IP literals, IDNs and look-alike letters, free site
builders, TLDs with a high measured abuse rate, and the spelling tools the look-alike check uses.

Standard library and the bundled lists in data/lists/ only: no network, no tldextract. Hosts are
handled in their ASCII (punycode) form; `Link.display` is the Unicode form a browser shows.
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from urllib.parse import unquote


def _data_lines(name: str) -> list[str]:
    text = resources.files("offercheck.data").joinpath("lists", name).read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@dataclass(frozen=True, slots=True)
class Link:
    host: str  # ASCII (punycode) form, lower-case, no port or trailing dot; "[v6]" for IPv6
    display: str  # the Unicode form a browser shows (the same as host for plain ASCII names)
    userinfo: str  # what a link with a scheme puts before "@" in its authority, else ""
    path: str  # lower-case path from its first "/", without query or fragment


_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_AUTHORITY_END = re.compile(r"[/\\?#]")  # browsers treat "\" like "/" in web links
_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
_ASCII_HOST = re.compile(r"^(?:[a-z0-9_-]+\.)*[a-z0-9_-]+$|^\[[0-9a-z:.%]+\]$")


def parse_link(text: str) -> Link | None:
    """Split a URL, bare host or e-mail address into the parts the checks need; None if it has no host."""
    s = text.strip()
    if s[:7].lower() == "mailto:":
        s = s[7:].split("?", 1)[0]
    scheme = _SCHEME.match(s)
    rest = s[scheme.end() :] if scheme else s
    cut = _AUTHORITY_END.search(rest)
    authority, path = (rest[: cut.start()], rest[cut.start() :]) if cut else (rest, "")
    before, _, authority = authority.rpartition("@")
    userinfo = unquote(before) if scheme else ""  # without a scheme, "@" makes an e-mail address
    if authority.startswith("["):
        host = authority[: authority.find("]") + 1].lower()
    else:
        host = unquote(authority.rsplit(":", 1)[0]).translate(_DOTS).rstrip(".").lower()
        host = host if host.isascii() else unicodedata.normalize("NFKC", host).lower()
    ascii_host, display = _idna_forms(host)
    if not _ASCII_HOST.match(ascii_host) or ".." in ascii_host:
        return None
    return Link(ascii_host, display, userinfo, re.split(r"[?#]", path.replace("\\", "/"), maxsplit=1)[0].lower())


def _idna_forms(host: str) -> tuple[str, str]:
    """(ASCII form, Unicode form) of a host, label by label."""
    if host.isascii() and "xn--" not in host:
        return host, host
    pairs = []
    for label in host.split("."):
        try:
            if label.startswith("xn--"):
                pairs.append((label, label[4:].encode("ascii").decode("punycode").lower()))
            else:
                pairs.append((label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii"), label))
        except (UnicodeError, ValueError):
            pairs.append((label, label))  # undecodable: kept as it is (a non-ASCII one then fails the host check)
    return ".".join(a for a, _ in pairs), ".".join(u for _, u in pairs)


def _ipv4_part(part: str) -> int | None:
    if part[:2] == "0x":
        return int(part[2:] or "0", 16) if all(c in "0123456789abcdef" for c in part[2:]) else None
    if not (part.isascii() and part.isdigit()):
        return None
    if len(part) > 1 and part[0] == "0":  # a leading zero means octal
        return int(part, 8) if all(c in "01234567" for c in part) else None
    return int(part)


def ip_literal(host: str) -> tuple[str, bool] | None:
    """(the address, whether it was disguised) when a browser reads `host` as an IP address (WHATWG
    URL rules: "3232235777", "0xc0a80101" and "0300.0250.1.1" all mean 192.168.1.1)."""
    if host.startswith("["):
        try:
            return str(ipaddress.IPv6Address(host[1:-1].split("%")[0])), False
        except ValueError:
            return None
    parts = host.split(".")
    if not (parts[-1].isdigit() or parts[-1][:2] == "0x") or len(parts) > 4:
        return None
    numbers = [_ipv4_part(part) for part in parts]
    if None in numbers:
        return None
    *head, tail = numbers
    if any(n > 255 for n in head) or tail >= 256 ** (5 - len(numbers)):  # type: ignore[operator]
        return None
    address = str(ipaddress.IPv4Address(tail + sum(n << (8 * (3 - i)) for i, n in enumerate(head))))  # type: ignore
    return address, address != host


@lru_cache(maxsize=1)
def _site_builders() -> dict[str, str]:
    rows = (line.split(None, 1) for line in _data_lines("site-builders.txt"))
    return {pattern.lower(): name for pattern, name in rows}


def site_builder(host: str, path: str = "") -> str:
    """The free site builder, form or link-in-bio service that `host` (and `path`) belongs to, or ""."""
    patterns = _site_builders()
    bare = host[4:] if host.startswith("www.") else host
    first = path.split("/", 2)[1] if path.count("/") else ""
    labels = host.split(".")
    starts = range(2 if labels[0] == "www" else 1, len(labels))  # "*.x": a user label before x, not www alone
    candidates = [bare, f"{bare}/{first}"] + [f"*.{'.'.join(labels[i:])}" for i in starts]
    candidates += [f"*.{labels[i]}.*" for i in starts if i < len(labels) - 1]
    return next((patterns[c] for c in candidates if c in patterns), "")


@dataclass(frozen=True, slots=True)
class AbusedTld:
    tld: str
    score: float  # domains reported for phishing per 10,000 domains in the TLD
    period: str  # "May 2024 to April 2025"


@lru_cache(maxsize=1)
def _abused_tlds() -> dict[str, AbusedTld]:
    data = tomllib.loads(resources.files("offercheck.data").joinpath("lists", "abused-tlds.toml").read_text("utf-8"))
    rows = ((tld, float(row["score"]), data["periods"][row["period"]]) for tld, row in data["tlds"].items())
    return {tld: AbusedTld(tld, score, period) for tld, score, period in rows if score >= float(data["threshold"])}


def abused_tld(host: str) -> AbusedTld | None:
    return _abused_tlds().get(host.rsplit(".", 1)[-1])


@lru_cache(maxsize=1)
def _confusables() -> dict[int, str]:
    rows = (line.split("#", 1)[0].split() for line in _data_lines("confusables.txt"))
    return {int(code[2:], 16): ascii_text for code, ascii_text in rows}


def skeleton(label: str) -> str:
    """The ASCII a Unicode label imitates: NFKC, accents dropped, confusable letters replaced."""
    if label.isascii():
        return label
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", label))
    return "".join(c for c in text if not unicodedata.combining(c)).translate(_confusables())


_SCRIPT_NAMES = {"CJK": "Han", "IDEOGRAPHIC": "Han", "MODIFIER": "", "KATAKANA-HIRAGANA": "", "SMALL": ""}
# UTS #39 "highly restrictive": Latin may mix only with these East Asian sets.
_SCRIPTS_THAT_MIX = tuple(frozenset(("Latin", "Han", *more)) 
                          for more in (("Hiragana", "Katakana"), ("Hangul",), ("Bopomofo",)))


def script_of(char: str) -> str:
    """The script of a letter ("Latin", "Cyrillic", "Greek", "Han" ...); "" for digits, marks and "-"."""
    if char.isascii():
        return "Latin" if char.isalpha() else ""
    if not unicodedata.category(char).startswith("L"):
        return ""
    word = unicodedata.name(char, "").split(" ", 1)[0]
    return _SCRIPT_NAMES.get(word, word.title())


def mixed_scripts(label: str) -> tuple[str, ...]:
    """The scripts of a label that mixes alphabets in a way real names do not, else ()."""
    scripts = {s for s in map(script_of, label) if s}
    return () if len(scripts) < 2 or any(scripts <= ok for ok in _SCRIPTS_THAT_MIX) else tuple(sorted(scripts))


def lookalike_letters(label: str) -> tuple[tuple[str, str, str], ...]:
    """(letter, its script, the ASCII it imitates) for each non-ASCII letter of a label."""
    found = ((c, skeleton(c)) for c in dict.fromkeys(label) if not c.isascii())
    return tuple((c, script_of(c) or "Unicode", plain) for c, plain in found if plain.isascii() and plain)


# Spelling: ASCII characters that look alike, and one-edit typos (dnstwist-style fuzzing).
_FOLD_PAIRS = (("rn", "m"), ("vv", "w"), ("cl", "d"))
_FOLD = str.maketrans("0123456789i", "olzeasbtbgl")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-"


def fold(text: str) -> str:
    """`text` with ASCII look-alikes merged: 0→o, 1/i→l, 3→e, 5→s, rn→m, vv→w, cl→d ..."""
    for a, b in _FOLD_PAIRS:
        text = text.replace(a, b)
    return text.translate(_FOLD)


def fold_how(text: str, name: str) -> str:
    """Which look-alike characters `text` uses in place of those of `name` ('"0" for "o"')."""
    if len(text) == len(name):
        pairs = list(zip(text, name))
    else:  # "rn" for "m" and the like, then digits
        pairs = [p for p in _FOLD_PAIRS if p[0] in text and p[1] in name] + [(c, fold(c)) for c in text if c.isdigit()]
    swaps = list(dict.fromkeys(f'"{a}" for "{b}"' for a, b in pairs if a != b))
    return f"look-alike characters ({', '.join(swaps[:2])})" if swaps else "look-alike characters"


def typo_variants(name: str) -> Iterator[tuple[str, str]]:
    """(variant, how it differs) for each one-edit typo of `name`: omission, transposition,
    replacement (vowel swap, bit flip), insertion, repetition and hyphenation."""
    for i in range(len(name)):
        yield name[:i] + name[i + 1 :], "one letter left out"
    for i in range(len(name) - 1):
        yield name[:i] + name[i + 1] + name[i] + name[i + 2 :], "two letters swapped"
    for i, old in enumerate(name):
        for c in _ALPHABET:
            vowels = old in "aeiou" and c in "aeiou"
            yield name[:i] + c + name[i + 1 :], "one vowel changed" if vowels else "one letter changed"
    for i in range(len(name) + 1):
        for c in _ALPHABET:
            how = "a letter doubled" if c in name[max(i - 1, 0) : i + 1] else "one letter added"
            yield name[:i] + c + name[i:], "a hyphen added" if c == "-" else how


def osa(a: str, b: str, limit: int) -> int:
    """Edit distance (counting a swap of neighbours as one edit) between a and b, or limit + 1 if larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before, row = [0] * (len(b) + 1), list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        new = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            best = min(row[j] + 1, new[j - 1] + 1, row[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, before[j - 2] + 1)
            new[j] = best
        if min(new) > limit:
            return limit + 1
        before, row = row, new
    return min(row[-1], limit + 1)
