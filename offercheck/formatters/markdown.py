"""Markdown, for case notes and tickets. Offer text only ever appears inside code spans."""

from __future__ import annotations

from typing import TextIO

from ..model import Report
from ..safety import markdown_code, markdown_text
from .common import languages_line, contact_found, domain_line, contact_line, contribution, location, snippet


def lines(report: Report) -> list[str]:
    out = [
        f"# offercheck: {report.level.label.upper()} risk (score {report.score}/100)",
        "",
        report.summary,
        "",
        *[f"> {markdown_text(notice)}" for notice in report.notices],
    ]
    if report.notices:
        out.append("")
    if report.findings:
        out += [f"## Warning signs ({len(report.findings)})", ""]
        for finding in report.findings:
            out.append(f"### {finding.rule_id} {finding.name} — {finding.severity.label} ({contribution(finding)})")
            out.append("")
            out.append(markdown_text(finding.message))
            out.append("")
            if finding.span is not None:
                cut = snippet(report.offer.text, finding.span)
                out.append(f"- **Quote:** {markdown_code(finding.quote)} ({location(finding)})")
                out.append(f"- **In context:** {markdown_code(cut.before + cut.quote + cut.after)}")
            out.append(f"- **Why it matters:** {finding.why}")
            for source in finding.sources:
                out.append(f"- **Source:** {source.org}, [{markdown_text(source.title)}](<{source.url}>)")
            out.append("")
    else:
        out += ["No warning signs found by the checks that ran.", ""]
    out += ["## What to do before you reply", ""]
    out += [f"{n}. {step.text}" for n, step in enumerate(report.verify_steps, start=1)]
    out += ["", f"## Where to report and get help ({report.reporting.country_name})", ""]
    out += [f"> {notice}" for notice in report.reporting.notices]
    out.append("")
    out += [f"- {contact_line(c)}" for c in report.reporting.contacts]
    out.append("")
    if report.evidence.contacts:
        out += ["## Contact details in the offer", ""]
        out += [f"- {markdown_code(contact_found(c))}" for c in report.evidence.contacts]
        out.append("")
    if report.evidence.domains:
        out += ["## Domains in the offer", ""]
        out += [f"- {markdown_code(domain_line(d))}" for d in report.evidence.domains]
        out.append("")
    if languages_line(report):
        out += [languages_line(report), ""]
    out += ["## Checks", ""]
    for run in report.checks:  # reasons can name the offer's domains: code spans keep them inert
        reason = f": {markdown_code(run.reason)}" if run.reason else ""
        out.append(f"- {run.check}: {run.status.value}{reason}")
    out += ["", f"_Rule set {report.ruleset}, offercheck {report.tool_version}, {report.generated_at.isoformat()}_"]
    return out


def render(report: Report, out: TextIO, **_options) -> None:
    out.write("\n".join(lines(report)) + "\n")
