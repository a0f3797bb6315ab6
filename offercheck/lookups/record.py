"""The values of the lookup layer: one `DomainRecord` per domain, and the `LookupSettings`.

Frozen, slotted dataclasses with no I/O. A record is three-state like every check result
(`Status`): KNOWN (the registry answered, "not registered" included), UNKNOWN (we tried and
failed, `reason` says why) and SKIPPED (--offline). An UNKNOWN is never scored as a pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timezone
from typing import Any, Mapping

from ..errors import UsageError
from ..model import Status

RAW_CAP = 256 * 1024  # characters of raw answer kept for the evidence bundle

# words that mark a registrant as hidden: "REDACTED FOR PRIVACY", "Withheld for Privacy ehf", "Domains By Proxy"
PRIVACY_WORDS = re.compile(
    r"redact|privacy|private|withheld|not disclosed|non-public|data protected|gdpr|proxy|masked|statutory",
    re.IGNORECASE,
)

# RFC 8056 maps EPP's "ok" to RDAP's "active"; the other RDAP words camel-case to EPP.
_RDAP_TO_EPP = {"active": "ok"}


def utc_now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def epp_status(value: str) -> str:
    """'client hold' (RDAP), 'clientHold https://icann.org/epp#clientHold' (WHOIS) -> 'clientHold'."""
    words = [w for w in re.split(r"[\s_]+", value.strip()) if w and not w.lower().startswith(("http:", "https:"))]
    words = [w.strip(".,;:") for w in words if not w.startswith("(")]  # drop "(ACTIVE)"-style notes
    words = [w for w in words if w]
    if not words:
        return ""
    if len(words) == 1:
        word = words[0]
        word = word.lower() if word.isupper() or word.istitle() else word[:1].lower() + word[1:]
    else:
        word = words[0].lower() + "".join(w[:1].upper() + w[1:].lower() for w in words[1:])
    return _RDAP_TO_EPP.get(word, word)


def epp_statuses(values) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        status = epp_status(str(value))
        if status:
            seen.setdefault(status, None)
    return tuple(seen)


def _date_or_none(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


@dataclass(frozen=True, slots=True)
class DomainRecord:
    domain: str  # registrable domain, ASCII (punycode) form, lower-case
    unicode: str  # Unicode form (same as domain when not an IDN)
    status: Status
    reason: str = ""  # why UNKNOWN/SKIPPED; on KNOWN, a note (WHOIS after RDAP failed, no date published)
    registered: date | None = None
    last_changed: date | None = None
    expires: date | None = None
    registrar: str = ""
    statuses: tuple[str, ...] = ()  # EPP statuses, camelCase: clientHold, serverHold, pendingDelete
    registrant_redacted: bool | None = None
    not_registered: bool = False  # KNOWN, and the registry says there is no such domain
    source: str = ""  # "rdap" | "whois" | "cache"
    server: str = ""  # RDAP base URL or WHOIS host:port asked
    elapsed_ms: int = 0
    fetched_at: str = ""  # UTC ISO timestamp of the original lookup
    raw: str = ""  # raw answer text, capped at RAW_CAP, for a caseworker's evidence bundle

    def age_days(self, today: date) -> int | None:
        if self.registered is None:
            return None
        return (today - self.registered).days

    def to_dict(self) -> dict:
        """JSON-safe; every field but `raw`."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name == "raw":
                continue
            value = getattr(self, f.name)
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, Status):
                value = value.value
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], raw: str = "") -> "DomainRecord":
        """The inverse of `to_dict` (the cache's format)."""
        return cls(
            domain=str(data["domain"]),
            unicode=str(data.get("unicode") or data["domain"]),
            status=Status(data["status"]),
            reason=str(data.get("reason", "")),
            registered=_date_or_none(data.get("registered")),
            last_changed=_date_or_none(data.get("last_changed")),
            expires=_date_or_none(data.get("expires")),
            registrar=str(data.get("registrar", "")),
            statuses=tuple(str(s) for s in data.get("statuses", ())),
            registrant_redacted=data.get("registrant_redacted"),
            not_registered=bool(data.get("not_registered", False)),
            source=str(data.get("source", "")),
            server=str(data.get("server", "")),
            elapsed_ms=int(data.get("elapsed_ms", 0)),
            fetched_at=str(data.get("fetched_at", "")),
            raw=raw,
        )

    def with_raw(self, raw: str) -> "DomainRecord":
        return replace(self, raw=raw[:RAW_CAP])


_WHOIS_SERVER = re.compile(r"^(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<host>[A-Za-z0-9._-]+))(?::(?P<port>\d{1,5}))?$")


def split_host_port(value: str, default_port: int = 43) -> tuple[str, int]:
    """'whois.example:4343' -> ('whois.example', 4343); '[::1]:43' -> ('::1', 43)."""
    match = _WHOIS_SERVER.match(value.strip())
    if not match or not (0 < int(match["port"] or default_port) < 65536):
        raise UsageError(f"Not a WHOIS server: {value!r}", "Give HOST or HOST:PORT, for example whois.example.org:43.")
    return (match["v6"] or match["host"]), int(match["port"] or default_port)


@dataclass(frozen=True, slots=True)
class LookupSettings:
    offline: bool = False
    timeout: float = 10.0  # overall deadline for the whole batch of lookups in one check
    per_lookup_timeout: float = 5.0  # for each exchange with one server (RDAP, then maybe WHOIS)
    rdap_url: str | None = None  # every RDAP query goes to this base URL (OFFERCHECK_RDAP_URL)
    whois_server: str | None = None  # "host[:port]" for every WHOIS query (OFFERCHECK_WHOIS_SERVER)
    cache_dir: str | None = None  # OFFERCHECK_CACHE_DIR; default: the platform's user cache dir
    use_cache: bool = True
    max_concurrency: int = 16

    def __post_init__(self) -> None:
        if not self.timeout > 0 or not self.per_lookup_timeout > 0:
            raise UsageError("Lookup timeouts must be more than 0 seconds.", "For example --timeout 10.")
        if self.max_concurrency < 1:
            raise UsageError("max_concurrency must be at least 1.")
        if self.rdap_url is not None and not re.match(r"^https?://[^/?#\s]+", self.rdap_url):
            raise UsageError(
                f"Not an RDAP base URL: {self.rdap_url!r}", "Give an http(s) URL, for example https://rdap.example.org/"
            )
        if self.whois_server is not None:
            split_host_port(self.whois_server)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str], **overrides: Any) -> "LookupSettings":
        """OFFERCHECK_RDAP_URL, OFFERCHECK_WHOIS_SERVER, OFFERCHECK_CACHE_DIR; then `overrides`
        (command-line options), where a value of None means "not given" and changes nothing."""
        values: dict[str, Any] = {}
        for name, variable in (
            ("rdap_url", "OFFERCHECK_RDAP_URL"),
            ("whois_server", "OFFERCHECK_WHOIS_SERVER"),
            ("cache_dir", "OFFERCHECK_CACHE_DIR"),
        ):
            value = environ.get(variable, "").strip()
            if value:
                values[name] = value
        known = {f.name for f in fields(cls)}
        for name, value in overrides.items():
            if name not in known:
                raise TypeError(f"LookupSettings has no setting {name!r}")
            if value is not None:
                values[name] = value
        return cls(**values)
