"""Pieces every human-readable format shares: context around a quote, contact lines."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Contact, DomainFact, Finding, Report, ReportingContact, Span, Status

CONTEXT_CHARS = 50


@dataclass(frozen=True, slots=True)
class Snippet:
    before: str
    quote: str
    after: str
    start_cut: bool
    end_cut: bool


def snippet(text: str, span: Span, width: int = CONTEXT_CHARS) -> Snippet:
    """The quote with up to `width` characters of context either side, on one line."""
    start = max(0, span.start - width)
    end = min(len(text), span.end + width)
    flat = lambda s: s.replace("\n", " ").replace("\t", " ")  # noqa: E731
    return Snippet(
        flat(text[start : span.start]),
        flat(text[span.start : span.end]),
        flat(text[span.end : end]),
        start > 0,
        end < len(text),
    )


def location(finding: Finding) -> str:
    if finding.span is None:
        return "the offer as a whole"
    extra = f", +{len(finding.more_spans)} more" if finding.more_spans else ""
    return f"characters {finding.span.start}-{finding.span.end}{extra}"


def contribution(finding: Finding) -> str:
    if finding.preview:
        return "preview rule: shown, not scored"
    if finding.scored_with:
        return f"+0: the same sign as {finding.scored_with}, counted once"
    return f"+{finding.contribution}"


def contact_line(contact: ReportingContact) -> str:
    parts = [contact.organisation]
    if contact.phone:
        parts.append(f"phone {contact.phone}")
    if contact.sms:
        parts.append(f"text {contact.sms}")
    if contact.url:
        parts.append(contact.url)
    if contact.email:
        parts.append(contact.email)
    if contact.hours:
        parts.append(contact.hours)
    return " — ".join(parts)


def contact_found(contact: Contact) -> str:
    if contact.hidden:
        return f"{contact.kind} (present, value hidden)"
    extra = []
    if contact.get("region"):
        extra.append(contact.get("region"))
    if contact.get("valid") == "no":
        extra.append("not a valid number")
    suffix = f" ({', '.join(extra)})" if extra else ""
    return f"{contact.kind}: {contact.value}{suffix}"


def domain_line(fact: DomainFact) -> str:
    """'careers-x.top: registered 2026-11-14 (9 days ago) — RDAP, https://rdap.nic.top/, 120 ms'."""
    name = fact.unicode if fact.unicode == fact.domain else f"{fact.unicode} ({fact.domain})"
    if fact.status is not Status.KNOWN:
        return f"{name}: age unknown, because {fact.reason}" if fact.reason else f"{name}: age unknown"
    if fact.not_registered:
        what = "not registered"
    elif fact.registered is None:
        what = "registered, but the registry gives no date"
    else:
        what = f"registered {fact.registered.isoformat()} ({fact.age_days} days ago)"
    if fact.statuses:
        what += f", status {', '.join(fact.statuses)}"
    origin = ", ".join(p for p in (fact.source.upper() if fact.source else "", fact.server, f"{fact.elapsed_ms} ms" if fact.elapsed_ms else "") if p)
    return f"{name}: {what}" + (f" — {origin}" if origin else "")


def languages_line(report: Report) -> str:
    """'Languages: Portuguese 80% (rules), Thai 20% (no rules yet)'; empty when none was recognised."""
    from ..i18n import active_languages
    from ..languages import NAMES

    languages = report.evidence.languages
    if not languages:
        return ""
    with_rules = active_languages(languages)
    parts = [
        f"{NAMES.get(code, code)} {round(share * 100)}% ({'rules' if code in with_rules else 'no rules yet'})"
        for code, share in languages
    ]
    return "Languages: " + ", ".join(parts)


def checks_line(report: Report) -> list[str]:
    lines = []
    for run in report.checks:
        reason = f", because {run.reason}" if run.reason and not run.reason.startswith("not ") else (f": {run.reason}" if run.reason else "")
        lines.append(f"{run.check}: {run.status.value}{reason}")
    return lines


def sources_line(finding: Finding) -> list[str]:
    return [f"{s.org}: {s.title} <{s.url}>" for s in finding.sources]
