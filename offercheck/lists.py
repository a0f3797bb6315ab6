"""Bundled reference lists (data/lists/): free and disposable mail, shorteners, brands, places."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


def _read(name: str) -> str:
    return resources.files("offercheck.data").joinpath("lists", name).read_text("utf-8")


def _domain_set(name: str) -> frozenset[str]:
    return frozenset(
        line.strip().lower() for line in _read(name).splitlines() if line.strip() and not line.lstrip().startswith("#")
    )


@lru_cache(maxsize=1)
def free_mail_domains() -> frozenset[str]:
    return _domain_set("freemail.txt")


@lru_cache(maxsize=1)
def disposable_mail_domains() -> frozenset[str]:
    return _domain_set("disposable.txt")


@lru_cache(maxsize=1)
def shortener_domains() -> frozenset[str]:
    return _domain_set("shorteners.txt")


# Second-level labels under which companies register (example.co.uk). Enough for the offline
# checks; the domain lookups use tldextract's Public Suffix List.
_SECOND_LEVEL = frozenset(
    "co com net org gov ac edu ltd plc sch nic mil or ne go gob gouv biz info".split()
)


def registrable_guess(host: str) -> str:
    """example.co.uk for jobs.example.co.uk; an offline approximation of the registrable domain."""
    labels = [label for label in host.lower().strip(".").split(".") if label]
    if len(labels) <= 2:
        return ".".join(labels)
    if labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def is_free_mail(domain: str) -> bool:
    return domain.lower() in free_mail_domains()


def is_disposable_mail(domain: str) -> bool:
    return domain.lower() in disposable_mail_domains()


def is_shortener(host: str) -> bool:
    host = host.lower()
    return host in shortener_domains() or registrable_guess(host) in shortener_domains()


@dataclass(frozen=True, slots=True)
class Brand:
    name: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]


@lru_cache(maxsize=1)
def brands() -> tuple[Brand, ...]:
    data = tomllib.loads(_read("brands.toml"))
    return tuple(Brand(b["name"], tuple(b["aliases"]), tuple(b["domains"])) for b in data["brands"])


@lru_cache(maxsize=1)
def _brand_pattern() -> re.Pattern[str]:
    aliases = sorted({a for b in brands() for a in b.aliases}, key=len, reverse=True)
    return re.compile(r"(?<![\w@.])(" + "|".join(re.escape(a) for a in aliases) + r")(?![\w])")


def brands_named(folded_text: str) -> tuple[Brand, ...]:
    """Brands whose names appear in (folded, lower-case) text, in order of first mention."""
    by_alias = {a: b for b in brands() for a in b.aliases}
    seen: dict[str, Brand] = {}
    for match in _brand_pattern().finditer(folded_text):
        brand = by_alias[match.group(1)]
        seen.setdefault(brand.name, brand)
    return tuple(seen.values())


@lru_cache(maxsize=1)
def places() -> dict[str, str]:
    """Lower-case place name -> ISO 3166-1 alpha-2 code (countries and big hiring cities)."""
    data = tomllib.loads(_read("places.toml"))
    out: dict[str, str] = {}
    for code, names in data["places"].items():
        for name in names:
            out[name.lower()] = code
    return out


@lru_cache(maxsize=1)
def _place_pattern() -> re.Pattern[str]:
    names = sorted(places(), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b")


def places_named(folded_text: str) -> tuple[str, ...]:
    """ISO codes of the countries and cities the text names, in order of first mention."""
    table = places()
    codes: dict[str, None] = {}
    for match in _place_pattern().finditer(folded_text):
        codes.setdefault(table[match.group(1)], None)
    return tuple(codes)
