"""The library: `check_text(text) -> Report`. The CLI only calls this.

Evidence (contacts, companies, places) is gathered once; checks are pure functions of
(offer, evidence, rules); scoring, advice and reporting contacts are data-driven.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timezone
from typing import Iterable, Sequence

from . import __version__
from .advice import verification_steps
from .checks.base import Check, CheckResult, Context
from .checks.contacts import ContactCheck
from .checks.language import LanguageCheck
from .entities import companies_named, places_in
from .extract import extract_contacts
from .model import CheckRun, Evidence, Finding, Offer, Report, Status
from .normalize import fold
from .reporting_contacts import reporting_for
from .rules import Rule, load_rules, ruleset_version
from .scoring import score_findings, summary_for

log = logging.getLogger(__name__)

BUILTIN_CHECKS: tuple[Check, ...] = (LanguageCheck(), ContactCheck())

NETWORK_CHECKS_NOTE = (
    "domain-age",
    "not looked up, because registration-date lookups (RDAP/WHOIS) are not part of this version yet",
)


def normalise_newlines(text: str) -> str:
    """\\r\\n and lone \\r become \\n before any offset is taken."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _matches_code(rule: Rule, codes: Iterable[str]) -> bool:
    return any(rule.id.upper().startswith(code.upper()) or rule.name == code.lower() for code in codes)


def select_rules(select: Sequence[str] | None = None, ignore: Sequence[str] | None = None) -> tuple[Rule, ...]:
    """Rules chosen by id prefix or name, ruff-style: `--select L1,C101 --ignore L105`."""
    rules = load_rules()
    if select:
        rules = tuple(r for r in rules if _matches_code(r, select))
    if ignore:
        rules = tuple(r for r in rules if not _matches_code(r, ignore))
    return rules


def gather_evidence(text: str, folded_text: str, region: str | None) -> Evidence:
    return Evidence(
        contacts=extract_contacts(text, region),
        companies=companies_named(text, folded_text),
        places=places_in(folded_text),
    )


def run_checks(context: Context, checks: Sequence[Check], rules: Sequence[Rule]) -> tuple[list[Finding], list[CheckRun]]:
    findings: list[Finding] = []
    runs: list[CheckRun] = []
    for check in checks:
        own_rules = [r for r in rules if r.check == check.name]
        try:
            result: CheckResult = check.run(context, own_rules)
        except Exception as exc:  # one broken check must not sink the report
            log.exception("check %s failed on %s", check.name, context.offer.source)
            runs.append(CheckRun(check.name, Status.UNKNOWN, f"internal error ({type(exc).__name__})"))
            continue
        findings += [replace(f, check=check.name) for f in result.findings]
        status = Status.UNKNOWN if result.unknown else Status.KNOWN
        runs.append(CheckRun(check.name, status, "; ".join(result.unknown)))
    return findings, runs


def check(
    offer: Offer,
    *,
    country: str | None = None,
    offline: bool = True,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    checks: Sequence[Check] = BUILTIN_CHECKS,
) -> Report:
    """Run every check on `offer` and build the explained report."""
    folded = fold(offer.text)
    evidence = gather_evidence(offer.text, folded.text, country)
    rules = select_rules(select, ignore)
    findings, runs = run_checks(Context(offer, folded, evidence), checks, rules)
    runs.append(CheckRun(NETWORK_CHECKS_NOTE[0], Status.SKIPPED, NETWORK_CHECKS_NOTE[1]))
    preview = frozenset(r.id for r in rules if r.status == "preview")
    findings, score, level = score_findings(findings, preview)
    danger = any(f.danger for f in findings)
    return Report(
        offer=offer,
        findings=tuple(findings),
        checks=tuple(runs),
        score=score,
        level=level,
        summary=summary_for(level, danger),
        verify_steps=verification_steps(findings, danger),
        reporting=reporting_for(country, danger=danger),
        evidence=evidence,
        ruleset=ruleset_version(),
        tool_version=__version__,
        offline=offline,
        generated_at=datetime.now(timezone.utc).replace(microsecond=0),
        danger=danger,
    )


def check_text(
    text: str,
    *,
    country: str | None = None,
    source: str = "text",
    offline: bool = True,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
) -> Report:
    """Check an offer given as text. `country` (ISO 3166-1 alpha-2) picks the reporting contacts."""
    return check(
        Offer(normalise_newlines(text), source),
        country=country,
        offline=offline,
        select=select,
        ignore=ignore,
    )
