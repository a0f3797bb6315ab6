"""The e-mail check: what an e-mail's headers and attachments say. Rules in data/rules/contact/C2xx-*.toml.

C201 Reply-To (or a free-mail Return-Path) at another domain than From;
C202 a display name claiming a company or brand the sending address does not belong to;
C203 Authentication-Results showing SPF, DKIM or DMARC failure;
C204 attachments with dangerous or double extensions, macro-enabled Office files, archives.
A free-mail sender claiming a company is C101 (checks/contacts.py), which sees the From line.
Runs only when the offer is an e-mail.
"""

from __future__ import annotations

from typing import Callable, Sequence

from ..entities import companies_named
from ..lists import brands, is_disposable_mail, is_free_mail, registrable_guess
from ..model import MailAddress
from ..normalize import fold
from ..rules import Rule
from .base import CheckResult, Context, run_predicates
from .contacts import _belongs_to_company

EXECUTABLE = frozenset("exe scr com pif bat cmd js jse vbs vbe wsf wsh hta msi msp cpl jar ps1 psm1 lnk reg "
                       "iso img vhd vhdx dll application appref-ms apk dmg pkg sh".split())
MACRO_OFFICE = frozenset("docm dotm xlsm xltm xlam xlsb pptm potm ppam ppsm sldm".split())
ARCHIVES = frozenset("zip rar 7z tar gz tgz bz2 xz cab ace arj lzh z".split())
DOCUMENTS = frozenset("pdf doc docx xls xlsx ppt pptx txt rtf odt jpg jpeg png gif csv html htm".split())
FAILED = {"spf": ("fail", "softfail"), "dkim": ("fail",), "dmarc": ("fail",)}


def _owner_domains(domain: str) -> set[str]:
    registrable = registrable_guess(domain)
    for brand in brands():
        if registrable in brand.domains:
            return set(brand.domains)
    return {registrable}


def reply_to_domain_differs(context: Context):
    mail = context.evidence.mail
    senders = [a for a in mail.of("From") if a.address]
    if not senders:
        return None
    home = _owner_domains(senders[0].domain)
    others = [a for a in mail.of("Reply-To") if a.address and registrable_guess(a.domain) not in home]
    # Mailing services use their own bounce domains, so Return-Path counts only when it is free or throw-away mail.
    others += [a for a in mail.of("Return-Path") if a.address and registrable_guess(a.domain) not in home
               and (is_free_mail(a.domain) or is_disposable_mail(a.domain))]
    if not others:
        return None
    first = others[0]
    return [a.span for a in others], (
        f"Replies go to {registrable_guess(first.domain)} ({first.header}), not to {registrable_guess(senders[0].domain)}, "
        "the domain the e-mail claims to come from."
    )


def _claimed_companies(sender: MailAddress) -> tuple[str, ...]:
    name = sender.display_name
    return companies_named(name, fold(name).text) if name else ()


def display_name_claims_other_company(context: Context):
    for sender in context.evidence.mail.of("From"):
        if not sender.address or is_free_mail(sender.domain) or is_disposable_mail(sender.domain):
            continue  # free-mail senders claiming a company are C101's
        claimed = [c for c in _claimed_companies(sender) if not _belongs_to_company(sender.domain, c)]
        if claimed:
            return [sender.span], (
                f"The sender's name claims {claimed[0]}, but the address is at {registrable_guess(sender.domain)}, "
                f"which does not belong to {claimed[0]}."
            )
    return None


def authentication_failed(context: Context):
    failed = [a for a in context.evidence.mail.auth if a.result in FAILED.get(a.method, ())]
    if not failed:
        return None
    methods = ", ".join(dict.fromkeys(f"{a.method.upper()} {a.result}" for a in failed))
    return [a.span for a in failed], f"The receiving mail server recorded {methods} for this e-mail: it may not come from where it says."


def attachment_risk(filename: str) -> str:
    """Why an attachment name is dangerous, or ""."""
    parts = [p.lower() for p in filename.strip().rstrip(".").split(".")[1:]]
    if not parts:
        return ""
    last = parts[-1]
    if last in EXECUTABLE:
        if len(parts) >= 2 and parts[-2] in DOCUMENTS:
            return f"a program disguised as a .{parts[-2]} document (double extension)"
        return f"a program or script (.{last})"
    if last in MACRO_OFFICE:
        return f"an Office file with macros (.{last})"
    if last in ARCHIVES:
        return f"an archive (.{last}) that can hide a program"
    return ""


def dangerous_attachment(context: Context):
    risky = [(a, attachment_risk(a.filename)) for a in context.evidence.mail.attachments]
    risky = [(a, why) for a, why in risky if why]
    if not risky:
        return None
    first, why = risky[0]
    name = " ".join(first.filename.split())[:80]
    more = f" and {len(risky) - 1} more" if len(risky) > 1 else ""
    return [a.span for a, _ in risky], f"The attachment {name} is {why}{more}."


PREDICATES: dict[str, Callable[[Context], object]] = {
    "C201": reply_to_domain_differs,
    "C202": display_name_claims_other_company,
    "C203": authentication_failed,
    "C204": dangerous_attachment,
}


class EmailCheck:
    name = "email"
    rule_check = "contact"  # its rules live with the contact rules (data/rules/contact/C2xx)

    def applies(self, context: Context) -> bool:
        return context.evidence.mail is not None

    def run(self, context: Context, rules: Sequence[Rule]) -> CheckResult:
        return run_predicates(context, rules, PREDICATES)
