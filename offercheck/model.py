"""The values that cross module boundaries: Offer -> Evidence -> Finding -> Report.

Frozen, slotted dataclasses with no I/O. One `to_dict()` per value feeds every
machine-readable format (JSON today, JSONL/CSV in batch mode).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum, IntEnum

SCHEMA_VERSION = "1.0"


class Severity(IntEnum):
    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @classmethod
    def parse(cls, name: str) -> "Severity":
        return cls[name.upper()]

    @property
    def label(self) -> str:
        return self.name.lower()


class Level(IntEnum):
    """The verdict. Never "safe": LOW means no warning signs were found."""

    LOW = 0
    MEDIUM = 1
    HIGH = 2
    CRITICAL = 3

    @classmethod
    def parse(cls, name: str) -> "Level":
        return cls[name.strip().upper()]

    @property
    def label(self) -> str:
        return self.name.lower()


class Status(Enum):
    KNOWN = "known"  # we looked and got an answer
    UNKNOWN = "unknown"  # we tried and failed; `reason` says why. Never a silent pass
    SKIPPED = "skipped"  # we did not try: --offline, nothing to look up


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open [start, end) offsets into Offer.text, in code points."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Offer:
    text: str  # newlines normalised to \n on input, before any offset is taken
    source: str  # "argument", "stdin", "offer.txt"
    url: str | None = None
    kind: str = "text"  # text | url (a fetched link) | email (an RFC 5322 message)


@dataclass(frozen=True, slots=True)
class Contact:
    kind: str  # email | phone | whatsapp | telegram | signal | wechat | line | kik | snapchat | instagram | link | domain | wallet
    value: str  # normalised value (lower-cased e-mail, E.164 phone, handle, URL)
    span: Span
    hidden: bool = False  # a masked token such as #EMAIL_ab12#: present, value hidden
    detail: tuple[tuple[str, str], ...] = ()  # extra facts: ("region", "GB"), ("valid", "yes"), ("domain", "x.com")

    def get(self, key: str, default: str = "") -> str:
        for name, value in self.detail:
            if name == key:
                return value
        return default

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "value": self.value,
            "start": self.span.start,
            "end": self.span.end,
            "hidden": self.hidden,
            **dict(self.detail),
        }


@dataclass(frozen=True, slots=True)
class HostFlag:
    """An offline fact about a host in the offer: a look-alike, a site builder, an IP literal."""

    kind: str  # lookalike | homoglyph | mixed-script | brand-in-subdomain | brand-plus-word | userinfo-trick | site-builder | ip-literal | abused-tld | punycode | shortener
    host: str
    detail: str  # one sentence, naming only the host and the brand
    brand: str
    span: Span

    def to_dict(self) -> dict:
        return {"kind": self.kind, "host": self.host, "detail": self.detail, "brand": self.brand,
                "start": self.span.start, "end": self.span.end}


@dataclass(frozen=True, slots=True)
class DomainFact:
    """What registration data says about one registrable domain in the offer."""

    domain: str  # registrable domain, ASCII (punycode)
    unicode: str
    span: Span  # its first mention in the offer
    status: Status  # KNOWN, UNKNOWN (reason says why) or SKIPPED (--offline)
    reason: str = ""
    registered: date | None = None
    age_days: int | None = None
    expires: date | None = None
    registrar: str = ""
    statuses: tuple[str, ...] = ()
    registrant_redacted: bool | None = None
    not_registered: bool = False
    source: str = ""  # rdap | whois | cache
    server: str = ""
    elapsed_ms: int = 0
    fetched_at: str = ""

    def to_dict(self) -> dict:
        return {
            "domain": self.domain,
            "unicode": self.unicode,
            "status": self.status.value,
            "reason": self.reason,
            "registered": self.registered.isoformat() if self.registered else None,
            "age_days": self.age_days,
            "expires": self.expires.isoformat() if self.expires else None,
            "registrar": self.registrar,
            "statuses": list(self.statuses),
            "registrant_redacted": self.registrant_redacted,
            "not_registered": self.not_registered,
            "source": self.source,
            "server": self.server,
            "elapsed_ms": self.elapsed_ms,
            "fetched_at": self.fetched_at,
            "start": self.span.start,
            "end": self.span.end,
        }


@dataclass(frozen=True, slots=True)
class PageLink:
    """A link in an HTML page or e-mail part: what it shows and where it really goes."""

    text: str  # the visible text, as shown
    href: str  # the absolute target
    span: Span  # the visible text in Offer.text

    def to_dict(self) -> dict:
        return {"text": self.text, "href": self.href, "start": self.span.start, "end": self.span.end}


@dataclass(frozen=True, slots=True)
class JobPosting:
    """The schema.org JobPosting a page declares about itself (JSON-LD), flattened to text."""

    title: str = ""
    organization: str = ""
    organization_url: str = ""
    salary: str = ""  # "5000-7000 USD per WEEK"
    location: str = ""  # "Dubai, AE"
    date_posted: str = ""
    valid_through: str = ""
    employment_type: str = ""

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class Hop:
    """One request of a fetch: the URL asked, what answered, and where it sent us next."""

    url: str
    status: int = 0  # HTTP status; 0 when there was no answer
    location: str = ""  # the redirect target, made absolute
    address: str = ""  # the IP address actually connected to
    refused: str = ""  # why offercheck did not make this request (address guard, scheme)

    def to_dict(self) -> dict:
        return {"url": self.url, "status": self.status, "location": self.location,
                "address": self.address, "refused": self.refused}


@dataclass(frozen=True, slots=True)
class PageFacts:
    """What fetching a link showed. status: KNOWN fetched, UNKNOWN could not, SKIPPED --offline."""

    url: str  # as given
    status: Status
    span: Span  # the given URL in Offer.text
    reason: str = ""
    final_url: str = ""
    hops: tuple[Hop, ...] = ()
    content_type: str = ""
    charset: str = ""
    title: str = ""
    not_opened: str = ""  # "the link serves a PDF (application/pdf); not opened"
    truncated: bool = False
    job: JobPosting | None = None

    def to_dict(self) -> dict:
        return {
            "url": self.url, "status": self.status.value, "reason": self.reason, "final_url": self.final_url,
            "hops": [h.to_dict() for h in self.hops], "content_type": self.content_type, "charset": self.charset,
            "title": self.title, "not_opened": self.not_opened, "truncated": self.truncated,
            "job_posting": self.job.to_dict() if self.job else None,
        }


@dataclass(frozen=True, slots=True)
class MailAddress:
    """An address header of an e-mail (From, Sender, Reply-To, Return-Path), decoded."""

    header: str  # "From"
    display_name: str
    address: str  # lower-cased addr-spec, "" when the header has none
    span: Span  # the address (or the whole value) in Offer.text

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2]

    def to_dict(self) -> dict:
        return {"header": self.header, "display_name": self.display_name, "address": self.address,
                "start": self.span.start, "end": self.span.end}


@dataclass(frozen=True, slots=True)
class AuthResult:
    """One method's verdict from an Authentication-Results header (RFC 8601)."""

    method: str  # spf | dkim | dmarc
    result: str  # pass | fail | softfail | neutral | none | temperror | permerror | policy
    span: Span

    def to_dict(self) -> dict:
        return {"method": self.method, "result": self.result, "start": self.span.start, "end": self.span.end}


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str  # as the sender named it: untrusted, never used as a file name
    content_type: str
    size: int
    span: Span  # the file name in Offer.text

    def to_dict(self) -> dict:
        return {"filename": self.filename, "content_type": self.content_type, "size": self.size,
                "start": self.span.start, "end": self.span.end}


@dataclass(frozen=True, slots=True)
class MailFacts:
    """What an e-mail's headers and structure say, beside its words."""

    addresses: tuple[MailAddress, ...] = ()
    auth: tuple[AuthResult, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    subject: str = ""
    date: str = ""
    parts: tuple[str, ...] = ()  # content types of the parts that were read: text/plain, text/html

    def of(self, header: str) -> tuple[MailAddress, ...]:
        return tuple(a for a in self.addresses if a.header.lower() == header.lower())

    def to_dict(self) -> dict:
        return {"addresses": [a.to_dict() for a in self.addresses], "auth": [a.to_dict() for a in self.auth],
                "attachments": [a.to_dict() for a in self.attachments], "subject": self.subject,
                "date": self.date, "parts": list(self.parts)}


@dataclass(frozen=True, slots=True)
class Evidence:
    """Facts gathered once per offer; checks read them, lookups fill them."""

    contacts: tuple[Contact, ...] = ()
    companies: tuple[str, ...] = ()  # company or brand names the offer claims
    places: tuple[str, ...] = ()  # ISO country codes of places the offer names
    host_flags: tuple[HostFlag, ...] = ()
    domains: tuple[DomainFact, ...] = ()
    languages: tuple[tuple[str, float], ...] = ()  # (ISO 639-1 code, share of the letters), largest first
    page: PageFacts | None = None  # a link that was (or could not be) fetched
    mail: MailFacts | None = None  # the offer came as an e-mail
    links: tuple[PageLink, ...] = ()  # links in HTML (page or e-mail part): visible text and target

    def of_kind(self, *kinds: str) -> tuple[Contact, ...]:
        return tuple(c for c in self.contacts if c.kind in kinds)


@dataclass(frozen=True, slots=True)
class Source:
    org: str  # "FTC", "ILO", "Polaris", "IOM"
    title: str
    url: str

    def to_dict(self) -> dict:
        return {"org": self.org, "title": self.title, "url": self.url}


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str  # "L201"
    name: str  # "upfront-fee"
    severity: Severity
    weight: int  # from the rule file; scoring.py combines these
    message: str  # one sentence about this offer
    why: str
    span: Span | None  # None when the finding concerns the offer as a whole
    quote: str  # the exact words at `span`, so formatters never slice text
    advice: tuple[str, ...]  # advice ids (data/advice.toml)
    sources: tuple[Source, ...]
    check: str = ""  # stamped by the runner
    group: str = ""  # findings of one group are one warning sign, not several
    danger: bool = False  # suggests someone may already be controlled: emergency contacts first
    more_spans: tuple[Span, ...] = ()  # further hits of the same rule (shown, never scored twice)
    contribution: int = 0  # points this finding added to the score (scoring.py fills it)
    scored_with: str = ""  # rule id of the stronger finding of the same group it was counted with
    preview: bool = False  # from a preview rule: reported, never scored

    def to_dict(self) -> dict:
        return {
            "rule_id": self.rule_id,
            "name": self.name,
            "check": self.check,
            "severity": self.severity.label,
            "weight": self.weight,
            "contribution": self.contribution,
            "scored_with": self.scored_with,
            "preview": self.preview,
            "message": self.message,
            "why": self.why,
            "quote": self.quote,
            "start": self.span.start if self.span else None,
            "end": self.span.end if self.span else None,
            "more_hits": [{"start": s.start, "end": s.end} for s in self.more_spans],
            "danger": self.danger,
            "advice": list(self.advice),
            "sources": [s.to_dict() for s in self.sources],
        }


@dataclass(frozen=True, slots=True)
class CheckRun:
    check: str
    status: Status
    reason: str = ""

    def to_dict(self) -> dict:
        return {"check": self.check, "status": self.status.value, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Step:
    """One verification step, already worded for the reader."""

    id: str
    text: str

    def to_dict(self) -> dict:
        return {"id": self.id, "text": self.text}


@dataclass(frozen=True, slots=True)
class ReportingContact:
    id: str
    country: str
    organisation: str
    kind: str  # trafficking-hotline | fraud-report | police-emergency | platform-report | support
    phone: str = ""
    sms: str = ""
    url: str = ""
    email: str = ""
    hours: str = ""
    notes: str = ""
    source: str = ""
    source_date: str = ""
    emergency: bool = False

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "country": self.country,
            "organisation": self.organisation,
            "kind": self.kind,
            "phone": self.phone,
            "sms": self.sms,
            "url": self.url,
            "email": self.email,
            "hours": self.hours,
            "notes": self.notes,
            "source": self.source,
            "source_date": self.source_date,
            "emergency": self.emergency,
        }


@dataclass(frozen=True, slots=True)
class Reporting:
    country: str  # "GB", or "INTL" when no country was chosen
    country_name: str
    contacts: tuple[ReportingContact, ...]
    notices: tuple[str, ...] = ()  # "No country chosen: ..." and the impersonation warning

    def to_dict(self) -> dict:
        return {
            "country": self.country,
            "country_name": self.country_name,
            "contacts": [c.to_dict() for c in self.contacts],
            "notices": list(self.notices),
        }


@dataclass(frozen=True, slots=True)
class Exchange:
    """One HTTP exchange exactly as received, for the evidence bundle (never in JSON output)."""

    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes  # decoded from Content-Encoding, capped
    address: str
    started_at: str  # UTC ISO timestamp
    elapsed_ms: int
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class Artifacts:
    """What a caseworker's evidence bundle keeps beside the report: raw input, pages, lookups."""

    original: bytes = b""  # the input exactly as received
    exchanges: tuple[Exchange, ...] = ()
    lookups: tuple[object, ...] = ()  # offercheck.lookups.DomainRecord, each with its raw answer


@dataclass(frozen=True, slots=True)
class Report:
    offer: Offer
    findings: tuple[Finding, ...]
    checks: tuple[CheckRun, ...]  # what ran, what was unknown, and why
    score: int  # 0-100
    level: Level
    summary: str  # one plain sentence
    verify_steps: tuple[Step, ...]
    reporting: Reporting
    evidence: Evidence
    ruleset: str  # version + hash of the rule files
    tool_version: str
    offline: bool
    generated_at: datetime
    danger: bool = False
    notices: tuple[str, ...] = field(default=())
    artifacts: Artifacts | None = field(default=None, compare=False, repr=False)
    language: str = "en"  # the language the report's rule messages and advice are worded in

    def to_dict(self, include_text: bool = False) -> dict:
        out = {
            "schema": SCHEMA_VERSION,
            "tool": "offercheck",
            "tool_version": self.tool_version,
            "ruleset": self.ruleset,
            "generated_at": self.generated_at.isoformat(),
            "source": self.offer.source,
            "level": self.level.label,
            "score": self.score,
            "summary": self.summary,
            "danger": self.danger,
            "offline": self.offline,
            "findings": [f.to_dict() for f in self.findings],
            "checks": [c.to_dict() for c in self.checks],
            "contacts_found": [c.to_dict() for c in self.evidence.contacts],
            "domains": [d.to_dict() for d in self.evidence.domains],
            "host_flags": [h.to_dict() for h in self.evidence.host_flags],
            "companies_named": list(self.evidence.companies),
            "verify_steps": [s.to_dict() for s in self.verify_steps],
            "reporting": self.reporting.to_dict(),
            "languages": [{"code": c, "share": share} for c, share in self.evidence.languages],
            "report_language": self.language,
            "notices": list(self.notices),
            "text_length": len(self.offer.text),
        }
        if self.evidence.page is not None:
            out["page"] = self.evidence.page.to_dict()
        if self.evidence.mail is not None:
            out["email"] = self.evidence.mail.to_dict()
        if self.evidence.links:
            out["links"] = [link.to_dict() for link in self.evidence.links]
        if include_text:
            out["text"] = self.offer.text
        return out
