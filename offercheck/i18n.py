"""Languages: which rule packs run, which parts have none, and the report's own language.

English rules always run (job titles and scam phrases travel in English); a pack runs when
its language is found in the offer. A language found without a pack is said out loud, never
treated as clean.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from .languages import NAMES, LanguageShare
from .model import Finding
from .rules import pack_languages, rules_for_languages


def active_languages(found: Sequence[tuple[str, float]]) -> frozenset[str]:
    packs = set(pack_languages())
    return frozenset({"en"} | {code for code, _share in found if code in packs})


def language_notices(found: Sequence[tuple[str, float]]) -> tuple[str, ...]:
    packs = set(pack_languages()) | {"en"}
    notices = []
    for code, share in found:
        if code not in packs:
            name = NAMES.get(code, code)
            notices.append(
                f"No {name} rules yet: about {round(share * 100)}% of the offer is in {name}, and only the "
                f"contact, link and domain checks read that part. A low level does not clear it."
            )
    return tuple(notices)


def report_language(requested: str | None, found: Sequence[tuple[str, float]]) -> str:
    """--lang if given; else the offer's main language when a pack speaks it; else English."""
    if requested:
        return requested
    packs = set(pack_languages())
    main = found[0][0] if found else "en"
    return main if main in packs else "en"


def _texts(lang: str) -> dict[tuple[str, str], tuple[str, str]]:
    rules = rules_for_languages([lang])
    return {(r.id, r.lang): (r.message, r.why) for r in rules if r.check == "language"}


def localise(findings: Sequence[Finding], lang: str) -> list[Finding]:
    """Language-rule findings worded in `lang` where a pack has the rule, else in English."""
    texts = _texts(lang)
    out = []
    for finding in findings:
        if finding.check == "language":
            message, why = texts.get((finding.rule_id, lang)) or texts.get((finding.rule_id, "en"), (finding.message, finding.why))
            finding = replace(finding, message=message, why=why)
        out.append(finding)
    return out


def shares_to_tuples(shares: Sequence[LanguageShare]) -> tuple[tuple[str, float], ...]:
    return tuple((s.code, round(s.share, 3)) for s in shares)
