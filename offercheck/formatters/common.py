"""Pieces every human-readable format shares: context around a quote, contact lines."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Contact, Finding, Report, ReportingContact, Span

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


def checks_line(report: Report) -> list[str]:
    lines = []
    for run in report.checks:
        reason = f", because {run.reason}" if run.reason and not run.reason.startswith("not ") else (f": {run.reason}" if run.reason else "")
        lines.append(f"{run.check}: {run.status.value}{reason}")
    return lines


def sources_line(finding: Finding) -> list[str]:
    return [f"{s.org}: {s.title} <{s.url}>" for s in finding.sources]
