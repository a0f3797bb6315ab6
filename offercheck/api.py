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
from .checks.email_headers import EmailCheck
from .checks.language import LanguageCheck
from .checks.model import ModelCheck
from .checks.links import LinkCheck
from .domain_evidence import Lookup, age_check_run, domain_facts, host_flags
from .entities import companies_named, places_in
from .extract import extract_contacts
from .i18n import language_notices, localise, report_language, shares_to_tuples
from .languages import detect_languages
from .model import Artifacts, CheckRun, Evidence, Finding, Offer, Report, Span, Status
from .normalize import fold
from .reporting_contacts import reporting_for
from .rules import Rule, rules_for_languages, ruleset_version
from .scoring import score_findings, summary_for

log = logging.getLogger(__name__)

# LinkCheck and EmailCheck run only on links and e-mails (their `applies`); their rules are
# domain (D3xx) and contact (C2xx) rules, named by `rule_check`.
BUILTIN_CHECKS: tuple[Check, ...] = (LanguageCheck(), ContactCheck(), DomainCheck(), ModelCheck(), LinkCheck(), EmailCheck())


def normalise_newlines(text: str) -> str:
    """\\r\\n and lone \\r become \\n before any offset is taken."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _matches_code(rule: Rule, codes: Iterable[str]) -> bool:
    return any(rule.id.upper().startswith(code.upper()) or rule.name == code.lower() for code in codes)


def select_rules(
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    languages: Iterable[str] = (),
) -> tuple[Rule, ...]:
    """Rules chosen by id prefix or name, ruff-style: `--select L1,C101 --ignore L105`; English
    rules and the packs of `languages` (the others are not even read)."""
    rules = rules_for_languages(languages)
    if select:
        rules = tuple(r for r in rules if _matches_code(r, select))
    if ignore:
        rules = tuple(r for r in rules if not _matches_code(r, ignore))
    return rules


def gather_evidence(
    text: str,
    folded_text: str,
    region: str | None,
    lookup: Lookup | None,
    today: date | None = None,
    quiet: Sequence[Span] = (),
) -> Evidence:
    """`quiet` spans are not read as contact details (an e-mail's attachment names, bounce address)."""
    contacts = extract_contacts(text, region)
    if quiet:
        contacts = tuple(c for c in contacts if not any(q.start < c.span.end and c.span.start < q.end for q in quiet))
    companies = companies_named(text, folded_text)
    return Evidence(
        languages=shares_to_tuples(detect_languages(text)),
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
        applies = getattr(check, "applies", None)
        if applies is not None and not applies(context):
            continue  # a link or e-mail check on plain text: not run, not listed
        family = getattr(check, "rule_check", check.name)
        own_rules = [r for r in rules if r.check == family]
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
    structure=None,
    artifacts: Artifacts | None = None,
    lang: str | None = None,
) -> Report:
    """Run every check on `offer` and build the explained report.

    Offline (the default), no domain is looked up. Online, `lookup` receives the registrable
    domains and returns their DomainRecords; by default `lookups.lookup_domains` with the
    settings from the environment. `structure` (compose.Composed) carries what a fetched page
    or an e-mail showed beside its text; `artifacts` what an evidence bundle keeps.
    """
    if not offline and lookup is None:
        lookup = default_lookup()
    recorded: list = []
    if lookup is not None and not offline:
        lookup = _recording(lookup, recorded)
    folded = fold(offer.text)
    evidence = gather_evidence(offer.text, folded.text, country, None if offline else lookup, today,
                               quiet=structure.quiet if structure is not None else ())
    if structure is not None:
        evidence = replace(evidence, page=structure.page, mail=structure.mail, links=structure.links)
    rules = select_rules(select, ignore, (code for code, _share in evidence.languages))
    findings, runs = run_checks(Context(offer, folded, evidence), checks, rules)
    if evidence.page is not None:
        page = evidence.page
        runs.append(CheckRun("fetch", page.status, page.reason))
    runs.append(CheckRun("domain-age", *age_check_run(evidence.domains, offline)))
    preview = frozenset(r.id for r in rules if r.status == "preview")
    findings, score, level = score_findings(findings, preview)
    danger = any(f.danger and not f.preview for f in findings)
    language = report_language(lang, evidence.languages)
    findings = localise(findings, language)
    notices = (structure.notices if structure is not None else ()) + language_notices(evidence.languages)
    return Report(
        offer=offer,
        findings=tuple(findings),
        checks=tuple(runs),
        score=score,
        level=level,
        summary=summary_for(level, danger),
        verify_steps=verification_steps(findings, danger, language),
        reporting=reporting_for(country, danger=danger),
        evidence=evidence,
        ruleset=ruleset_version(),
        tool_version=__version__,
        offline=offline,
        generated_at=datetime.now(timezone.utc).replace(microsecond=0),
        danger=danger,
        notices=notices,
        artifacts=replace(artifacts or Artifacts(), lookups=tuple(recorded)),
        language=language,
    )


def _recording(lookup: Lookup, recorded: list) -> Lookup:
    """The same lookup, keeping each DomainRecord (with its raw RDAP/WHOIS answer) for the evidence bundle."""

    def wrapped(domains: list[str]) -> dict:
        records = lookup(domains)
        recorded.extend(records.values())
        return records

    return wrapped


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
    original: bytes | None = None,
    lang: str | None = None,
) -> Report:
    """Check an offer given as text. `country` (ISO 3166-1 alpha-2) picks the reporting contacts.

    The library is offline unless asked: pass offline=False to look up domain ages.
    `original` is the input exactly as received, kept for an evidence bundle. `lang` words the
    report in that language where a rule pack has it (default: the offer's main language).
    """
    return check(
        Offer(normalise_newlines(text), source),
        country=country,
        offline=offline,
        select=select,
        ignore=ignore,
        lookup=lookup,
        today=today,
        artifacts=Artifacts(original=original if original is not None else text.encode("utf-8", "surrogatepass")),
        lang=lang,
    )


def check_url(
    url: str,
    *,
    country: str | None = None,
    offline: bool = True,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    lookup: Lookup | None = None,
    today: date | None = None,
    fetch_options=None,
    fetcher=None,
    original: bytes | None = None,
    lang: str | None = None,
) -> Report:
    """Check a link: fetch it (unless offline), then check the URL, every hop and the page's text.

    `fetch_options` (fetch.FetchOptions) sets deadlines, size cap and the address guard;
    `fetcher(url) -> fetch.FetchResult` replaces the network entirely (tests, rule examples).
    Offline, nothing is fetched: the report says so, and the URL itself is still checked.
    """
    from . import fetch
    from .compose import page_offer

    url = url.strip()
    if offline:
        result = fetch.skipped(url)
    elif fetcher is not None:
        result = fetcher(url)
    else:
        result = fetch.fetch_page(url, fetch_options)
    composed = page_offer(result)
    return check(
        Offer(composed.text, "url", url=url, kind="url"),
        country=country, offline=offline, select=select, ignore=ignore, lookup=lookup, today=today,
        structure=composed,
        artifacts=Artifacts(original=original if original is not None else url.encode("utf-8"),
                            exchanges=tuple(result.exchanges)),
        lang=lang,
    )


def check_email(
    data: bytes,
    *,
    country: str | None = None,
    source: str = "email",
    offline: bool = True,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    lookup: Lookup | None = None,
    today: date | None = None,
    lang: str | None = None,
) -> Report:
    """Check a raw RFC 5322 message (an .eml file's bytes): its sender headers, authentication
    results, attachments' names, and its text and HTML parts. Nothing is opened or saved."""
    from .compose import email_offer
    from .email_input import parse_email

    composed = email_offer(parse_email(data))
    return check(
        Offer(composed.text, source, kind="email"),
        country=country, offline=offline, select=select, ignore=ignore, lookup=lookup, today=today,
        structure=composed, artifacts=Artifacts(original=data), lang=lang,
    )
