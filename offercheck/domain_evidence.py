"""Domain evidence: which registrable domains an offer uses, what they imitate, how old they are.

Offline facts (look-alikes, site builders, IP links) always run. Registration lookups run
only when online, and then send nothing but the registrable domain name.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Callable, Iterable, Sequence

from .lists import brands, is_free_mail, is_shortener, registrable_guess
from .model import Contact, DomainFact, HostFlag, Span, Status

Lookup = Callable[[list[str]], dict]  # registrable ASCII domains -> DomainRecord

OFFLINE_REASON = "--offline: no lookups made"
_WEB_KINDS = ("link", "domain")


def _hosts(contacts: Iterable[Contact]) -> list[tuple[str, Span, Contact]]:
    """(host, span, contact) for every e-mail domain, link and bare domain shown in the offer."""
    out = []
    for contact in contacts:
        if contact.hidden:
            continue
        if contact.kind == "email":
            out.append((contact.get("domain"), contact.span, contact))
        elif contact.kind in _WEB_KINDS and contact.get("host"):
            out.append((contact.get("host"), contact.span, contact))
    return out


def host_flags(contacts: Sequence[Contact], companies: Sequence[str]) -> tuple[HostFlag, ...]:
    from .lookalike import analyse_url

    flags: list[HostFlag] = []
    seen: set[tuple[str, str]] = set()
    official = _official_domains()
    for host, span, contact in _hosts(contacts):
        if contact.kind == "email" and (is_free_mail(host) or registrable_guess(host) in official):
            continue  # gmail.com or amazon.com as a mail domain imitates nothing
        target = contact.value if contact.kind in _WEB_KINDS else host
        for fact in analyse_url(target, companies=companies):
            if fact.kind == "shortener" or (fact.kind, fact.host) in seen:
                continue  # shorteners are the contact rule C106's
            seen.add((fact.kind, fact.host))
            flags.append(HostFlag(fact.kind, fact.host, fact.detail, fact.brand, span))
    return tuple(flags)


def _official_domains() -> frozenset[str]:
    return frozenset(d for brand in brands() for d in brand.domains)


def _should_look_up(registrable: str) -> bool:
    """Free webmail, shorteners and brands' own domains say nothing about this employer's age."""
    return not (is_free_mail(registrable) or is_shortener(registrable) or registrable in _official_domains())


def domains_in(contacts: Sequence[Contact], *, precise: bool) -> list[tuple[str, str, Span]]:
    """(ascii registrable, unicode, first span) of every domain worth looking up, in order."""
    found: dict[str, tuple[str, str, Span]] = {}
    for host, span, _contact in _hosts(contacts):
        if not _should_look_up(registrable_guess(host)):
            continue  # decided without tldextract: gmail.com, bit.ly, amazon.com
        if precise:
            from .lookups import registrable_domain

            pair = registrable_domain(host)
            if pair is None:
                continue
            ascii_name, unicode_name = pair
        else:
            ascii_name = unicode_name = registrable_guess(host)
            if "." not in ascii_name or ascii_name.replace(".", "").isdigit():
                continue
        if _should_look_up(ascii_name) and ascii_name not in found:
            found[ascii_name] = (ascii_name, unicode_name, span)
    return list(found.values())


def _fact(record, unicode_name: str, span: Span, today: date) -> DomainFact:
    registered = getattr(record, "registered", None)
    return DomainFact(
        domain=record.domain,
        unicode=unicode_name or record.unicode,
        span=span,
        status=record.status,
        reason=record.reason,
        registered=registered,
        age_days=(today - registered).days if registered else None,
        expires=record.expires,
        registrar=record.registrar,
        statuses=tuple(record.statuses),
        registrant_redacted=record.registrant_redacted,
        not_registered=record.not_registered,
        source=record.source,
        server=record.server,
        elapsed_ms=record.elapsed_ms,
        fetched_at=record.fetched_at,
    )


def domain_facts(contacts: Sequence[Contact], lookup: Lookup | None, today: date | None = None) -> tuple[DomainFact, ...]:
    """Registration facts per domain; SKIPPED for every domain when `lookup` is None (offline)."""
    if lookup is None:
        return tuple(
            DomainFact(a, u, span, Status.SKIPPED, OFFLINE_REASON) for a, u, span in domains_in(contacts, precise=False)
        )
    today = today or datetime.now(timezone.utc).date()
    wanted = domains_in(contacts, precise=True)
    if not wanted:
        return ()
    records = lookup([a for a, _u, _s in wanted])
    facts = []
    for ascii_name, unicode_name, span in wanted:
        record = records.get(ascii_name)
        if record is None:
            facts.append(DomainFact(ascii_name, unicode_name, span, Status.UNKNOWN, "the lookup returned no answer"))
        else:
            facts.append(_fact(record, unicode_name, span, today))
    return tuple(facts)


def age_check_run(facts: Sequence[DomainFact], offline: bool) -> tuple[Status, str]:
    """The status line of the registration lookups, for the report's list of checks."""
    if not facts:
        return Status.SKIPPED, "no domain in the offer to look up"
    if offline:
        return Status.SKIPPED, f"{OFFLINE_REASON}; ages of {', '.join(f.unicode for f in facts[:5])} not known"
    unknown = [f for f in facts if f.status is Status.UNKNOWN]
    # a registry that answered but publishes no creation date (DENIC for .de) leaves the age unknown too
    undated = [f for f in facts if f.status is Status.KNOWN and not f.not_registered and f.registered is None]
    if unknown or undated:
        reasons = [f"age of {f.unicode} unknown, because {f.reason}" for f in unknown]
        reasons += [f"age of {f.unicode} unknown, because the registry gives no registration date" for f in undated]
        return Status.UNKNOWN, "; ".join(reasons)
    return Status.KNOWN, ""
