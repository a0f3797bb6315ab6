"""Plain text: what a pipe, a log file or a screen reader gets. No colour, no markup."""

from __future__ import annotations

import textwrap
from typing import TextIO

from ..model import Report
from ..safety import one_line, terminal_safe
from .common import languages_line, checks_line, contact_found, domain_line, contact_line, contribution, location, snippet, sources_line

WIDTH = 88


def _wrap(text: str, indent: str, subsequent: str | None = None) -> str:
    later = indent if subsequent is None else subsequent
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=later, break_on_hyphens=False, break_long_words=False)


def lines(report: Report) -> list[str]:
    out = [
        f"offercheck: {report.level.label.upper()} risk (score {report.score}/100)",
        _wrap(report.summary, ""),
        *[_wrap(one_line(notice, 1000), "! ", "  ") for notice in report.notices],
        "",
    ]
    if report.findings:
        out.append(f"Warning signs ({len(report.findings)}), most serious first:")
        for number, finding in enumerate(report.findings, start=1):
            out.append(
                f"{number:>2}. [{finding.severity.label.upper()}] {finding.rule_id} {finding.name} ({contribution(finding)})"
            )
            out.append(_wrap(terminal_safe(finding.message), "    "))
            if finding.span is not None:
                cut = snippet(report.offer.text, finding.span)
                context = (
                    ("…" if cut.start_cut else "") + cut.before + "»" + cut.quote + "«" + cut.after + ("…" if cut.end_cut else "")
                )
                out.append(f"    Quote: \"{one_line(finding.quote, 300)}\" ({location(finding)})")
                out.append(f"    In context: {one_line(context, 400)}")
            out.append(_wrap("Why it matters: " + finding.why, "    "))
            for source in sources_line(finding):
                out.append(f"    Source: {one_line(source, 400)}")
        out.append("")
    else:
        out.append("No warning signs found by the checks that ran.")
        out.append("")
    out.append("What to do before you reply:")
    for number, step in enumerate(report.verify_steps, start=1):
        out.append(_wrap(step.text, f"{number:>2}. ", "    "))
    out.append("")
    out.append(f"Where to report and get help ({report.reporting.country_name}):")
    for notice in report.reporting.notices:
        out.append(_wrap(notice, "  ! ", "    "))
    for contact in report.reporting.contacts:
        out.append(_wrap(one_line(contact_line(contact), 600), "  - ", "    "))
    out.append("")
    if report.evidence.contacts:
        out.append("Contact details in the offer:")
        for contact in report.evidence.contacts:
            out.append("  - " + one_line(contact_found(contact), 200))
    if report.evidence.domains:
        out.append("Domains in the offer:")
        for fact in report.evidence.domains:
            out.append(_wrap(one_line(domain_line(fact), 600), "  - ", "    "))
    if report.evidence.companies:
        out.append("Companies named: " + one_line(", ".join(report.evidence.companies), 300))
    if languages_line(report):
        out.append(_wrap(languages_line(report), "", "  "))
    out.append(_wrap(one_line("Checks: " + "; ".join(checks_line(report)), 2000), "", "  "))
    out.append(f"Rule set {report.ruleset}, offercheck {report.tool_version}, {report.generated_at.isoformat()}")
    return out


def render(report: Report, out: TextIO, **_options) -> None:
    out.write("\n".join(lines(report)) + "\n")
