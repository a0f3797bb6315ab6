"""`offercheck rules`, `explain ID` and `contacts CC`: the rule files and contacts, rendered."""

from __future__ import annotations

import textwrap
from typing import TextIO

from .formatters.common import contact_line
from .formatters.json import dumps
from .rules import Rule, load_rules


def rule_to_dict(rule: Rule) -> dict:
    return {
        "id": rule.id,
        "name": rule.name,
        "check": rule.check,
        "status": rule.status,
        "severity": rule.severity.label,
        "weight": rule.weight,
        "group": rule.group,
        "danger": rule.danger,
        "message": rule.message,
        "why": rule.why,
        "advice": list(rule.advice),
        "sources": [s.to_dict() for s in rule.sources],
        "triggers_on": [e.text for e in rule.examples if e.expect is not False and not e.todo],
        "does_not_trigger_on": [e.text for e in rule.examples if e.expect is False and not e.todo],
        "known_gaps": [{"text": e.text, "todo": e.todo} for e in rule.examples if e.todo],
        "file": rule.path,
    }


def render_rules(out: TextIO, check: str | None, fmt: str) -> None:
    everything = load_rules()
    rules = [r for r in everything if r.lang == "en" and (check is None or r.check == check)]
    packs: dict[str, list[str]] = {}
    for rule in everything:
        if rule.lang != "en":
            packs.setdefault(rule.id, []).append(rule.lang)
    if fmt == "json":
        out.write(dumps([rule_to_dict(r) | {"languages": ["en", *packs.get(r.id, [])]} for r in rules]) + "\n")
        return
    if fmt == "markdown":
        out.write("| id | name | severity | weight | check | languages |\n|---|---|---|---|---|---|\n")
        for r in rules:
            out.write(f"| {r.id} | {r.name} | {r.severity.label} | {r.weight} | {r.check} | {' '.join(['en', *packs.get(r.id, [])])} |\n")
        return
    out.write(f"{'ID':<6} {'NAME':<36} {'SEVERITY':<9} {'WEIGHT':>6}  {'CHECK':<9} LANGUAGES\n")
    for r in rules:
        languages = " ".join(["en", *packs.get(r.id, [])]) if r.check == "language" else "-"
        out.write(f"{r.id:<6} {r.name:<36} {r.severity.label:<9} {r.weight:>6}  {r.check:<9} {languages}\n")
    pack_rules = sum(len(v) for v in packs.values())
    out.write(f"\n{len(rules)} rules, plus {pack_rules} in language packs. `offercheck explain ID` shows one in full.\n")


def _fill(text: str, indent: str = "  ") -> str:
    # A bullet's wrapped lines hang under its text, not under a new bullet.
    return textwrap.fill(text, 88, initial_indent=indent, subsequent_indent=indent.replace("-", " "))


def render_rule(out: TextIO, rule: Rule, fmt: str) -> None:
    from .advice import advice_catalog

    data = rule_to_dict(rule)
    if fmt == "json":
        out.write(dumps(data) + "\n")
        return
    catalog = advice_catalog()
    heading = "# " if fmt == "markdown" else ""
    sub = "## " if fmt == "markdown" else ""
    lines = [
        f"{heading}{rule.name} ({rule.id})" + (f" [{rule.lang}]" if rule.lang != "en" else ""),
        "",
        f"Check: {rule.check}. Severity: {rule.severity.label}. Weight: {rule.weight}. Status: {rule.status}."
        + (" Marks possible danger: emergency contacts are shown first." if rule.danger else ""),
        "",
        f"{sub}Message",
        _fill(rule.message),
        "",
        f"{sub}Why it matters",
        _fill(rule.why),
        "",
        f"{sub}What to do",
        *[_fill(catalog[a][1], "  - ") for a in rule.advice if a in catalog],
        "",
        f"{sub}Triggers on",
        *[_fill(t, "  - ") for t in data["triggers_on"]],
        "",
        f"{sub}Does not trigger on",
        *[_fill(t, "  - ") for t in data["does_not_trigger_on"]],
    ]
    if data["known_gaps"]:
        lines += ["", f"{sub}Known gaps (not caught yet)"] + [_fill(f"{g['text']} ({g['todo']})", "  - ") for g in data["known_gaps"]]
    lines += ["", f"{sub}Sources"] + [f"  - {s.org}: {s.title} <{s.url}>" for s in rule.sources]
    lines += ["", f"Defined in data/{rule.path}"]
    out.write("\n".join(lines) + "\n")


def render_contacts(out: TextIO, country: str | None, fmt: str) -> None:
    from .reporting_contacts import reporting_for

    reporting = reporting_for(country)
    if fmt == "json":
        out.write(dumps(reporting.to_dict()) + "\n")
        return
    bullet = "- " if fmt == "markdown" else "  - "
    lines = [("# " if fmt == "markdown" else "") + f"Where to report and get help: {reporting.country_name}", ""]
    lines += [f"! {notice}" if fmt != "markdown" else f"> {notice}" for notice in reporting.notices]
    lines.append("")
    for contact in reporting.contacts:
        lines.append(_fill(f"[{contact.kind}] {contact_line(contact)}", bullet))
        if contact.notes:
            lines.append(_fill(contact.notes, "      "))
        lines.append(f"      (source: {contact.source}, {contact.source_date})")
    out.write("\n".join(lines) + "\n")
