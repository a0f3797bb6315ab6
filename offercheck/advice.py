"""Verification steps: the advice of every finding, de-duplicated, most important first."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from .model import Finding, Step

ALWAYS_WHEN_FLAGGED = ("verify-employer-independently", "search-company-and-scam", "keep-evidence")
WHEN_NOTHING_FOUND = ("general-caution", "verify-employer-independently", "never-pay", "ask-video-interview")


@lru_cache(maxsize=1)
def advice_catalog() -> dict[str, tuple[int, str]]:
    """Advice id -> (priority, text), from data/advice.toml."""
    raw = resources.files("offercheck.data").joinpath("advice.toml").read_text("utf-8")
    return {step["id"]: (int(step["priority"]), step["text"]) for step in tomllib.loads(raw)["steps"]}


@lru_cache(maxsize=16)
def translated_steps(lang: str) -> dict[str, str]:
    """Advice id -> text in `lang`, from data/advice/<lang>.toml (empty when there is none)."""
    path = resources.files("offercheck.data").joinpath("advice", f"{lang}.toml")
    if lang == "en" or not path.is_file():
        return {}
    return {step["id"]: step["text"] for step in tomllib.loads(path.read_text("utf-8"))["steps"]}


def verification_steps(findings: list[Finding], danger: bool, lang: str = "en") -> tuple[Step, ...]:
    catalog = advice_catalog()
    words = translated_steps(lang)
    wanted: set[str] = set()
    for finding in findings:
        wanted.update(finding.advice)
    wanted.update(ALWAYS_WHEN_FLAGGED if findings else WHEN_NOTHING_FOUND)
    if danger:
        wanted.add("get-help-now")
    known = [advice_id for advice_id in wanted if advice_id in catalog]
    known.sort(key=lambda advice_id: (catalog[advice_id][0], advice_id))
    return tuple(Step(advice_id, words.get(advice_id, catalog[advice_id][1])) for advice_id in known)
