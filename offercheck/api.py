"""The library: `check_text(text) -> Report`. The CLI only calls this.

Evidence (contacts, companies, places) is gathered once; checks are pure functions of
(offer, evidence, rules); scoring, advice and reporting contacts are data-driven.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, datetime, timezone
from typing import Iterable, Sequence

from . import __version__
from .advice import verification_steps
from .checks.base import Check, CheckResult, Context
from .checks.contacts import ContactCheck
from .checks.domains import DomainCheck
from .checks.language import LanguageCheck
from .domain_evidence import Lookup, age_check_run, domain_facts, host_flags
from .entities import companies_named, places_in
from .extract import extract_contacts
from .model import CheckRun, Evidence, Finding, Offer, Report, Status
from .normalize import fold
from .reporting_contacts import reporting_for
from .rules import Rule, load_rules, ruleset_version
from .scoring import score_findings, summary_for

log = logging.getLogger(__name__)

BUILTIN_CHECKS: tuple[Check, ...] = (LanguageCheck(), ContactCheck(), DomainCheck())


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


def gather_evidence(
    text: str, folded_text: str, region: str | None, lookup: Lookup | None, today: date | None = None
) -> Evidence:
    contacts = extract_contacts(text, region)
    companies = companies_named(text, folded_text)
    return Evidence(
        contacts=contacts,
        companies=companies,
        places=places_in(folded_text),
        host_flags=host_flags(contacts, companies),
        domains=domain_facts(contacts, lookup, today),
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
    lookup: Lookup | None = None,
    today: date | None = None,
) -> Report:
    """Run every check on `offer` and build the explained report.

    Offline (the default), no domain is looked up. Online, `lookup` receives the registrable
    domains and returns their DomainRecords; by default `lookups.lookup_domains` with the
    settings from the environment.
    """
    if not offline and lookup is None:
        lookup = default_lookup()
    folded = fold(offer.text)
    evidence = gather_evidence(offer.text, folded.text, country, None if offline else lookup, today)
    rules = select_rules(select, ignore)
    findings, runs = run_checks(Context(offer, folded, evidence), checks, rules)
    runs.append(CheckRun("domain-age", *age_check_run(evidence.domains, offline)))
    preview = frozenset(r.id for r in rules if r.status == "preview")
    findings, score, level = score_findings(findings, preview)
    danger = any(f.danger and not f.preview for f in findings)
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


def default_lookup(settings=None) -> Lookup:
    """RDAP/WHOIS lookups with settings from the environment (OFFERCHECK_RDAP_URL, ...)."""
    import os

    from .lookups import LookupSettings, lookup_domains

    chosen = settings or LookupSettings.from_environment(os.environ)
    return lambda domains: lookup_domains(domains, chosen)


def check_text(
    text: str,
    *,
    country: str | None = None,
    source: str = "text",
    offline: bool = True,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    lookup: Lookup | None = None,
    today: date | None = None,
) -> Report:
    """Check an offer given as text. `country` (ISO 3166-1 alpha-2) picks the reporting contacts.

    The library is offline unless asked: pass offline=False to look up domain ages.
    """
    return check(
        Offer(normalise_newlines(text), source),
        country=country,
        offline=offline,
        select=select,
        ignore=ignore,
        lookup=lookup,
        today=today,
    )
