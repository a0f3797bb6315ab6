"""The contact-detail check: who the recruiter says they are, against how they can be reached.

Each contact rule's wording, weight and sources live in data/rules/contact/; the logic that
decides whether it applies is one small predicate per rule id here.
"""

from __future__ import annotations

import re
from typing import Callable, Sequence

from ..extract import MESSAGING_KINDS
from ..lists import brands, is_disposable_mail, is_free_mail, is_shortener, registrable_guess
from ..model import Contact, Span
from ..rules import Rule
from .base import CheckResult, Context, run_predicates

# Only an offer that is about work can lack an employer; a chat about dinner cannot.
_JOB_CONTEXT = re.compile(
    r"\b(?:job|jobs|position|vacanc(?:y|ies)|hiring|recruit\w*|salary|wages?|earn\w*|income|"
    r"part[\s-]?time|full[\s-]?time|work\s+from\s+home|employ\w*|career|model(?:l?ing)?|casting|"
    r"commission|per\s+(?:day|hour|week|month))\b"
)
_COMPANY_TOKEN = re.compile(r"[a-z0-9]{4,}")
_GENERIC_COMPANY_WORDS = frozenset(
    "group company agency international limited global services solutions recruitment staffing "
    "management consulting holdings enterprises enterprise models talent media technologies".split()
)

Predicate = Callable[[Context], "tuple[list[Span], str] | None"]


def _emails(context: Context) -> list[Contact]:
    return [c for c in context.evidence.of_kind("email") if not c.hidden]


def _company_wording(context: Context) -> str:
    return ", ".join(context.evidence.companies[:2])


def free_webmail_for_company(context: Context):
    if not context.evidence.companies:
        return None
    hits = [c for c in _emails(context) if is_free_mail(c.get("domain"))]
    if not hits:
        return None
    domain = hits[0].get("domain")
    return [h.span for h in hits], (
        f"The recruiter writes from a free {domain} address while claiming to be {_company_wording(context)}."
    )


def disposable_email(context: Context):
    hits = [c for c in _emails(context) if is_disposable_mail(c.get("domain"))]
    if not hits:
        return None
    return [h.span for h in hits], f"The e-mail address uses {hits[0].get('domain')}, a throw-away mail service."


def _belongs_to_company(domain: str, company: str) -> bool:
    registrable = registrable_guess(domain)
    for brand in brands():
        if brand.name == company:
            return registrable in brand.domains or domain in brand.domains
    label = registrable.split(".")[0].replace("-", "")
    tokens = [t for t in _COMPANY_TOKEN.findall(company.lower()) if t not in _GENERIC_COMPANY_WORDS]
    return not tokens or any(t in label or label in t.replace("-", "") for t in tokens)


def email_domain_unlike_company(context: Context):
    companies = context.evidence.companies
    if not companies:
        return None
    for contact in _emails(context):
        domain = contact.get("domain")
        if is_free_mail(domain) or is_disposable_mail(domain):
            continue
        if not any(_belongs_to_company(domain, company) for company in companies):
            return [contact.span], (
                f"The e-mail domain {registrable_guess(domain)} does not belong to {_company_wording(context)}, "
                "the company the offer names."
            )
    return None


def _official_brand_domains() -> frozenset[str]:
    return frozenset(d for brand in brands() for d in brand.domains)


def email_domain_unlike_website(context: Context):
    """The offer's own website is on one domain and the recruiter writes from another."""
    known = _official_brand_domains()  # job boards and social sites are not the employer's website
    sites = {
        registrable_guess(c.get("host"))
        for c in context.evidence.of_kind("link", "domain")
        if not c.hidden and c.get("host") and not is_shortener(c.get("host"))
    }
    sites = {s for s in sites if s not in known and "." in s and not s.replace(".", "").isdigit()}
    if not sites:
        return None
    for contact in _emails(context):
        domain = registrable_guess(contact.get("domain"))
        if is_free_mail(domain) or is_disposable_mail(domain) or domain in sites:
            continue
        return [contact.span], (
            f"The e-mail comes from {domain}, but the website the offer gives is {sorted(sites)[0]}."
        )
    return None


def messaging_app_only(context: Context):
    evidence = context.evidence
    messaging = evidence.of_kind(*MESSAGING_KINDS)
    if not messaging:
        return None
    company_mail = [c for c in evidence.of_kind("email") if c.hidden or not is_free_mail(c.get("domain"))]
    websites = [
        c for c in evidence.of_kind("link", "domain") if c.hidden or not is_shortener(c.get("host"))
    ]
    if company_mail or websites:
        return None
    apps = sorted({c.kind.capitalize() if c.kind != "whatsapp" else "WhatsApp" for c in messaging})
    return [c.span for c in messaging], (
        f"The only way to reach the recruiter is a messaging app ({', '.join(apps)}), with no company e-mail or website."
    )


def _calling_code(region: str) -> str:
    import phonenumbers

    return str(phonenumbers.country_code_for_region(region) or "")


def phone_region_mismatch(context: Context):
    places = context.evidence.places
    if not places:
        return None
    phones = [
        c
        for c in context.evidence.contacts
        if c.kind in ("phone",) + MESSAGING_KINDS and not c.hidden and c.get("calling_code") not in ("", "0")
    ]
    # Compared by calling code: +44 covers GB, GG, JE and IM; +1 covers the US and Canada.
    place_codes = {_calling_code(p) for p in places}
    if not phones or any(c.get("calling_code") in place_codes for c in phones):
        return None
    first = phones[0]
    return [first.span], (
        f"The phone number is registered in {first.get('region')}, but the offer is about "
        f"{', '.join(places[:3])}."
    )


def shortened_link(context: Context):
    hits = [c for c in context.evidence.of_kind("link", "domain") if not c.hidden and is_shortener(c.get("host"))]
    if not hits:
        return None
    return [h.span for h in hits], f"The link goes through {hits[0].get('host')}, a shortener that hides where it leads."


def crypto_wallet(context: Context):
    hits = context.evidence.of_kind("wallet")
    if not hits:
        return None
    return [h.span for h in hits], f"The offer contains a {hits[0].get('chain')} wallet address to send money to."


def no_verifiable_employer(context: Context):
    evidence = context.evidence
    if evidence.companies or not _JOB_CONTEXT.search(context.folded.text):
        return None
    if any(c.hidden for c in evidence.contacts if c.kind in ("email", "link")):
        return None  # a masked e-mail or link may well be the company's: unknown, not absent
    if any(not is_free_mail(c.get("domain")) for c in _emails(context)):
        return None
    if any(not is_shortener(c.get("host")) for c in evidence.of_kind("link", "domain")):
        return None
    return [], "The offer names no company and gives no company website or e-mail to check it against."


PREDICATES: dict[str, Predicate] = {
    "C101": free_webmail_for_company,
    "C102": disposable_email,
    "C103": email_domain_unlike_company,
    "C104": messaging_app_only,
    "C105": phone_region_mismatch,
    "C106": shortened_link,
    "C107": crypto_wallet,
    "C108": no_verifiable_employer,
    "C109": email_domain_unlike_website,
}


class ContactCheck:
    name = "contact"

    def run(self, context: Context, rules: Sequence[Rule]) -> CheckResult:
        return run_predicates(context, rules, PREDICATES)
