"""Load the rule files in data/rules/ and match language rules against an offer.

A rule is one TOML file, `data/rules/<check>/<ID>-<name>.toml`; data/README.md documents
the fields. Language rules are matched here; contact and domain rules are evaluated by
checks/contacts.py and checks/domains.py, which read the same files for their wording
and sources.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from .model import Severity, Source
from .normalize import Folded

CHECKS = ("language", "contact", "domain", "model")
STATUSES = ("stable", "preview")


class RuleError(ValueError):
    """A rule file is malformed; the message names the file and what to fix."""


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    expect: str | bool  # the exact words the finding must quote, True (any hit) or False (must not fire)
    todo: str = ""  # a known gap: the test expects this example to fail until the rule improves
    evidence: tuple[tuple[str, object], ...] = ()  # domain rules: what the lookup would have returned


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str
    check: str
    status: str
    severity: Severity
    weight: int
    group: str
    danger: bool
    message: str
    why: str
    advice: tuple[str, ...]
    sources: tuple[Source, ...]
    any: tuple[LazyPattern, ...]
    unless: tuple[LazyPattern, ...]
    requires: tuple[LazyPattern, ...]
    examples: tuple[Example, ...]
    path: str
    lang: str = "en"  # the language of its patterns, message and examples (data/rules/<lang>/ packs)

    @property
    def code(self) -> str:
        return f"{self.id} {self.name}"


@dataclass(frozen=True, slots=True)
class Hit:
    start: int  # offsets into the ORIGINAL text
    end: int


class LazyPattern:
    """A rule pattern compiled on first use: a check reads only the English rules and the packs
    of the languages it finds, so compiling all ~2,000 patterns up front wasted half a second."""

    __slots__ = ("pattern", "where", "_compiled")

    def __init__(self, pattern: str, where: str) -> None:
        self.pattern = pattern
        self.where = where
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            try:
                self._compiled = re.compile(self.pattern)
            except re.error as exc:
                raise RuleError(f"{self.where} pattern {self.pattern!r} does not compile: {exc}") from exc
        return self._compiled

    def finditer(self, text: str):
        return self.compiled().finditer(text)

    def search(self, text: str):
        return self.compiled().search(text)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r})"


def _compile(path: str, patterns: list[str], field: str) -> tuple[LazyPattern, ...]:
    for pattern in patterns:
        if not isinstance(pattern, str):
            raise RuleError(f"{path}: [match] {field} holds {pattern!r}, not a string")
    return tuple(LazyPattern(p, f"{path}: [match] {field}") for p in patterns)


def _examples(path: str, raw: list[dict]) -> tuple[Example, ...]:
    examples = []
    for number, item in enumerate(raw, start=1):
        if "text" not in item:
            raise RuleError(f"{path}: example {number} has no text")
        expect = item.get("expect", True)
        if not isinstance(expect, (str, bool)):
            raise RuleError(f"{path}: example {number}: expect must be a string or false")
        evidence = tuple(sorted(item.get("evidence", {}).items()))
        examples.append(Example(item["text"], expect, item.get("todo", ""), evidence))
    return tuple(examples)


def parse_rule(data: dict, path: str) -> Rule:
    """Build a Rule from a parsed TOML table, with errors that say what to fix."""
    for key in ("id", "name", "check", "severity", "weight", "message", "why", "sources"):
        if key not in data:
            raise RuleError(f"{path}: missing required field {key!r}")
    if data["check"] not in CHECKS:
        raise RuleError(f"{path}: check must be one of {CHECKS}, not {data['check']!r}")
    try:
        severity = Severity.parse(data["severity"])
    except KeyError:
        raise RuleError(f"{path}: unknown severity {data['severity']!r}") from None
    match = data.get("match", {})
    sources = []
    for item in data["sources"]:
        missing = [k for k in ("org", "title", "url") if not item.get(k)]
        if missing:
            raise RuleError(f"{path}: a [[sources]] entry lacks {', '.join(missing)}")
        sources.append(Source(item["org"], item["title"], item["url"]))
    return Rule(
        id=data["id"],
        name=data["name"],
        check=data["check"],
        status=data.get("status", "stable"),
        severity=severity,
        weight=int(data["weight"]),
        group=data.get("group", data["name"]),
        danger=bool(data.get("danger", False)),
        message=" ".join(data["message"].split()),
        why=" ".join(data["why"].split()),
        advice=tuple(data.get("advice", ())),
        sources=tuple(sources),
        any=_compile(path, match.get("any", []), "any"),
        unless=_compile(path, match.get("unless", []), "unless"),
        requires=_compile(path, match.get("requires", []), "requires"),
        examples=_examples(path, data.get("examples", [])),
        path=path,
    )


_PACK_FOLDER = re.compile(r"[a-z]{2,3}")


def _folder_files(folder, prefix: str):
    if folder.is_dir():
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".toml"):
                yield f"{prefix}/{entry.name}", entry.read_bytes()


@lru_cache(maxsize=1)
def pack_languages() -> tuple[str, ...]:
    """Language codes with a rule pack (data/rules/<lang>/), besides English."""
    root = resources.files("offercheck.data").joinpath("rules")
    return tuple(
        sorted(e.name for e in root.iterdir() if e.is_dir() and _PACK_FOLDER.fullmatch(e.name) and e.name not in CHECKS)
    )


def _rule_files():
    root = resources.files("offercheck.data").joinpath("rules")
    for check in CHECKS:
        yield from _folder_files(root.joinpath(check), f"rules/{check}")
    for lang in pack_languages():
        yield from _folder_files(root.joinpath(lang), f"rules/{lang}")


def _load_toml(path: str, raw: bytes) -> dict:
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: not valid TOML: {exc}") from exc


def parse_pack_rule(data: dict, path: str, base: Rule) -> Rule:
    """A language pack's version of an English rule: its own words, the English rule's weight."""
    lang = path.split("/")[1]
    if data.get("lang") != lang:
        raise RuleError(f"{path}: lang must be {lang!r}, the folder's name")
    merged = {
        "id": base.id, "name": base.name, "check": "language", "status": base.status,
        "severity": base.severity.label, "weight": base.weight, "group": base.group,
        "danger": base.danger, "advice": list(base.advice),
        **{k: data[k] for k in ("message", "why", "sources", "match", "examples") if k in data},
    }
    rule = parse_rule(merged, path)
    return replace(rule, lang=lang)


def _sorted(rules) -> tuple[Rule, ...]:
    return tuple(sorted(rules, key=lambda r: (r.id, r.lang != "en", r.lang)))


@lru_cache(maxsize=1)
def english_rules() -> tuple[Rule, ...]:
    """The rules of data/rules/<check>/ (English language rules, contact, domain, model)."""
    root = resources.files("offercheck.data").joinpath("rules")
    rules = [
        parse_rule(_load_toml(path, raw), path)
        for check in CHECKS
        for path, raw in _folder_files(root.joinpath(check), f"rules/{check}")
    ]
    return _sorted(rules)


@lru_cache(maxsize=32)
def pack_rules(lang: str) -> tuple[Rule, ...]:
    """One language pack, read only when an offer in that language is checked."""
    english = {r.id: r for r in english_rules()}
    folder = resources.files("offercheck.data").joinpath("rules", lang)
    rules = []
    for path, raw in _folder_files(folder, f"rules/{lang}"):
        data = _load_toml(path, raw)
        base = english.get(data.get("id", ""))
        if base is None or base.check != "language":
            raise RuleError(f"{path}: id {data.get('id')!r} names no English language rule in data/rules/language/")
        rules.append(parse_pack_rule(data, path, base))
    return tuple(rules)


def rules_for_languages(languages) -> tuple[Rule, ...]:
    """The English rules and the packs of `languages` (codes without a pack are ignored)."""
    packs = [lang for lang in sorted(set(languages)) if lang in pack_languages()]
    if not packs:
        return english_rules()
    return _sorted([*english_rules(), *(r for lang in packs for r in pack_rules(lang))])


@lru_cache(maxsize=1)
def load_rules() -> tuple[Rule, ...]:
    """Every rule shipped in data/rules/, English first, sorted by id (for listings and tests)."""
    return rules_for_languages(pack_languages())


@lru_cache(maxsize=1)
def ruleset_version() -> str:
    """A short hash of every rule file, so a report says exactly which rules produced it."""
    digest = hashlib.sha256()
    for path, raw in _rule_files():
        digest.update(path.encode())
        digest.update(raw)
    return digest.hexdigest()[:12]


def rules_by_id(lang: str = "en") -> dict[str, Rule]:
    """Rules of one language by id (English: every rule)."""
    return {rule.id: rule for rule in load_rules() if rule.lang == lang}


def find_rule(code: str, lang: str = "en") -> Rule | None:
    """A rule by id ("L201") or name ("upfront-fee"), case-insensitive, in `lang` if it has one."""
    wanted = code.strip().lower()
    matches = [r for r in load_rules() if r.id.lower() == wanted or r.name == wanted or r.code.lower() == wanted]
    return next((r for r in matches if r.lang == lang), next((r for r in matches if r.lang == "en"), None))


def match_language_rule(rule: Rule, folded: Folded) -> list[Hit]:
    """All hits of a language rule, as spans of the original text, in order."""
    text = folded.text
    if rule.requires and not any(p.search(text) for p in rule.requires):
        return []
    spans: list[tuple[int, int]] = []
    for pattern in rule.any:
        for match in pattern.finditer(text):
            if match.end() > match.start():
                spans.append((match.start(), match.end()))
    if not spans:
        return []
    if rule.unless:
        blocked = [(m.start(), m.end()) for p in rule.unless for m in p.finditer(text)]
        spans = [(s, e) for s, e in spans if not any(bs < e and s < be for bs, be in blocked)]
    spans.sort()
    hits: list[Hit] = []
    last_end = -1
    for start, end in spans:
        if start < last_end:  # overlapping matches of several patterns are one hit
            continue
        last_end = end
        hits.append(Hit(*folded.original_span(start, end)))
    return hits
