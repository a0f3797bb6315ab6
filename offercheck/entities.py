"""Who and where an offer claims to be: company or brand names, and places."""

from __future__ import annotations

import re

from .lists import brands_named, places_named

_SUFFIXES = (
    r"Ltd\.?|Limited|Inc\.?|LLC|L\.L\.C\.|GmbH|AG|Corp\.?|Corporation|Company|Co\.|Group|Agency|Models|"
    r"Management|Recruitment|Recruiting|Staffing|Solutions|Logistics|Consulting|Holdings|International|"
    r"Enterprises?|PLC|plc|S\.A\.|SA|B\.V\.|BV|Pty|Pvt|Sdn\.? Bhd\.?|Technologies|Tech|Media|Studios?|Talent"
)
_NAME = r"[A-Z][\w&'’-]{1,30}(?:\s+(?:&\s+)?[A-Z][\w&'’-]{1,30}){0,3}"
_WITH_SUFFIX = re.compile(rf"\b({_NAME})\s+(?:{_SUFFIXES})(?![\w])")
_INTRODUCED = re.compile(
    rf"(?:company\s*name\s*[:\-]|on\s+behalf\s+of|recruiter\s+(?:from|at|for)|(?:hr|hiring\s+manager|talent\s+scout)\s+(?:from|at|of))\s+({_NAME})",
    re.IGNORECASE,
)
_NOT_COMPANY = frozenset({"The", "Our", "This", "We", "You", "Your", "A", "An", "Dear", "Hello", "Hi", "Job", "Work", "Please", "Thank", "Thanks"})


def companies_named(text: str, folded: str) -> tuple[str, ...]:
    """Company and brand names the offer claims, known brands first, without duplicates."""
    names: dict[str, None] = {b.name: None for b in brands_named(folded)}
    for pattern in (_WITH_SUFFIX, _INTRODUCED):
        for match in pattern.finditer(text):
            name = match.group(1).strip()
            words = name.split()
            while words and words[0] in _NOT_COMPANY:
                words = words[1:]
            if words:
                names.setdefault(" ".join(words), None)
    return tuple(names)[:10]


def places_in(folded: str) -> tuple[str, ...]:
    return places_named(folded)
