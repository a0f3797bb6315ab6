"""Rich, coloured output for a terminal. Offer text only ever enters as Text(terminal_safe(...))."""

from __future__ import annotations

from typing import TextIO

from ..model import Level, Report, Severity
from ..safety import one_line, terminal_safe
from .common import languages_line, checks_line, contact_found, domain_line, contact_line, contribution, location, snippet

LEVEL_STYLE = {Level.LOW: "bold green", Level.MEDIUM: "bold yellow", Level.HIGH: "bold red", Level.CRITICAL: "bold white on red"}
SEVERITY_STYLE = {
    Severity.INFO: "dim",
    Severity.LOW: "cyan",
    Severity.MEDIUM: "yellow",
    Severity.HIGH: "red",
    Severity.CRITICAL: "bold red",
}


def _context(report: Report, finding):
    from rich.text import Text

    cut = snippet(report.offer.text, finding.span)
    line = Text("    ")
    line.append("…" if cut.start_cut else "", style="dim")
    line.append(terminal_safe(cut.before), style="dim")
    line.append(terminal_safe(cut.quote), style="bold red underline")
    line.append(terminal_safe(cut.after), style="dim")
    line.append("…" if cut.end_cut else "", style="dim")
    return line


def render(report: Report, out: TextIO, *, width: int | None = None, color: bool = True, **_options) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(
        file=out, width=width, force_terminal=color, no_color=not color, highlight=False,
        markup=False, emoji=False, soft_wrap=False,
    )
    title = Text("offercheck: ")
    title.append(f" {report.level.label.upper()} RISK ", style=LEVEL_STYLE[report.level])
    title.append(f"  score {report.score}/100", style="bold")
    console.print(title)
    console.print(Text(report.summary))
    for notice in report.notices:
        console.print(Text("! " + one_line(notice, 1000), style="yellow"))
    console.print()
    if report.findings:
        console.print(Text(f"Warning signs ({len(report.findings)}), most serious first", style="bold underline"))
        for number, finding in enumerate(report.findings, start=1):
            head = Text(f"{number:>2}. ")
            head.append(f"[{finding.severity.label.upper()}]", style=SEVERITY_STYLE[finding.severity])
            head.append(f" {finding.rule_id} {finding.name} ", style="bold")
            head.append(f"({contribution(finding)})", style="dim")
            console.print(head)
            console.print(Text("    " + terminal_safe(finding.message)))
            if finding.span is not None:
                quote = Text("    Quote: ", style="dim")
                quote.append(f"\"{one_line(finding.quote, 300)}\"", style="bold")
                quote.append(f" ({location(finding)})", style="dim")
                console.print(quote)
                console.print(_context(report, finding))
            console.print(Text("    Why: " + finding.why, style="italic"))
            for source in finding.sources:
                console.print(Text(f"    Source: {source.org}: {source.title} <{source.url}>", style="dim"))
        console.print()
    else:
        console.print(Text("No warning signs found by the checks that ran.", style="green"))
        console.print()
    console.print(Text("What to do before you reply", style="bold underline"))
    for number, step in enumerate(report.verify_steps, start=1):
        console.print(Text(f"{number:>2}. {step.text}"))
    console.print()
    console.print(Text(f"Where to report and get help ({report.reporting.country_name})", style="bold underline"))
    for notice in report.reporting.notices:
        console.print(Text(f"  ! {notice}", style="yellow"))
    for contact in report.reporting.contacts:
        style = "bold red" if contact.emergency and report.danger else ""
        console.print(Text(f"  - {one_line(contact_line(contact), 600)}", style=style))
    console.print()
    if report.evidence.contacts:
        console.print(Text("Contact details in the offer", style="bold"))
        for contact in report.evidence.contacts:
            console.print(Text("  - " + one_line(contact_found(contact), 200)))
    if report.evidence.domains:
        console.print(Text("Domains in the offer", style="bold"))
        for fact in report.evidence.domains:
            console.print(Text("  - " + one_line(domain_line(fact), 600)))
    if report.evidence.companies:
        console.print(Text("Companies named: " + one_line(", ".join(report.evidence.companies), 300)))
    if languages_line(report):
        console.print(Text(languages_line(report), style="dim"))
    console.print(Text(one_line("Checks: " + "; ".join(checks_line(report)), 2000), style="dim"))
    console.print(
        Text(f"Rule set {report.ruleset}, offercheck {report.tool_version}, {report.generated_at.isoformat()}", style="dim")
    )
