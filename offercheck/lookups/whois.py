"""WHOIS (RFC 3912, port 43): a small asyncio client, the server for each TLD, and the parser.

The server comes from --whois-server, else `data/whois/servers.toml`, else IANA's referral
(whois.iana.org answers a TLD query with a "whois:" line). Replies are read up to RAW_CAP and
parsed with python-whois; its parser fails on some TLDs and redacted fields, which becomes an
UNKNOWN with a reason, never an exception.
"""

from __future__ import annotations

import asyncio
import logging
import re
import tomllib
from contextlib import suppress
from datetime import date, datetime, timezone
from functools import lru_cache
from importlib import resources
from typing import Any

from .attempt import Attempt, Deadline
from .record import PRIVACY_WORDS, RAW_CAP, epp_statuses

LOG = logging.getLogger(__name__)

IANA_WHOIS = ("whois.iana.org", 43)
_REFERRALS: dict[str, str | None] = {}  # TLD -> server named by IANA, for this process

NOT_FOUND = re.compile(
    r"^[\s%#>]*(?:no match\b|not found\b|no data found|no entries found|no object found|domain not found"
    r"|nothing found|no matching record|the queried object does not exist|object does not exist"
    r"|this domain name has not been registered|status:\s*(?:free|available)\s*$|\S+ is free\s*$)",
    re.IGNORECASE | re.MULTILINE,
)
RATE_LIMITED = re.compile(
    r"query rate|rate limit|limit exceeded|exceeded (?:the )?(?:maximum|allowed|query)|too many (?:requests|queries)"
    r"|try again later|quota exceeded",
    re.IGNORECASE,
)
_REGISTRANT_LINE = re.compile(r"^\s*registrant(?:\s+(?:name|organi[sz]ation|email|contact))?\s*:(.*)$",
                              re.IGNORECASE | re.MULTILINE)


@lru_cache(maxsize=1)
def server_table() -> dict[str, dict[str, str]]:
    """data/whois/servers.toml: {'servers': {suffix: host}, 'queries': {host: template}, 'web_only': {tld: url}}."""
    with (resources.files("offercheck.data") / "whois" / "servers.toml").open("rb") as handle:
        data = tomllib.load(handle)
    return {part: {str(k).lower(): str(v) for k, v in data.get(part, {}).items()}
            for part in ("servers", "queries", "web_only")}


def bundled_server(domain: str) -> tuple[str | None, str]:
    """(host or None, why not) from the bundled table; (None, "") means "not listed: ask IANA"."""
    table = server_table()
    labels = domain.split(".")
    for start in range(1, len(labels)):
        suffix = ".".join(labels[start:])
        if suffix in table["servers"]:
            return table["servers"][suffix], ""
        if suffix in table["web_only"]:
            return None, f"the .{suffix} registry has no public WHOIS service (look-ups only at {table['web_only'][suffix]})"
    return None, ""


def query_text(domain: str, host: str, override: bool) -> str:
    template = "" if override else server_table()["queries"].get(host.lower(), "")
    return template.format(domain=domain) if template else domain


def host_port_label(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


async def exchange(host: str, port: int, query: str, deadline: Deadline) -> tuple[str | None, Attempt | None]:
    """Send one query line, read the reply to EOF (at most RAW_CAP bytes): (text, None) or (None, failure)."""
    server = host_port_label(host, port)
    what = f"WHOIS server {server}"
    window, overall_bound = deadline.window()
    if window <= 0:
        return None, Attempt(ok=False, server=server, reason=deadline.ran_out(what), cacheable=False)
    writer = None
    clean = False
    try:
        async with asyncio.timeout(window):
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(query.encode("ascii") + b"\r\n")
            await writer.drain()
            data = bytearray()
            while len(data) < RAW_CAP:
                chunk = await reader.read(min(65536, RAW_CAP - len(data)))
                if not chunk:
                    break
                data += chunk
        clean = True
    except TimeoutError:
        return None, Attempt(ok=False, server=server, reason=deadline.timed_out(what, window, overall_bound),
                             cacheable=not overall_bound)
    except (OSError, UnicodeError, asyncio.IncompleteReadError) as exc:
        return None, Attempt(ok=False, server=server, reason=f"could not reach {what} ({type(exc).__name__}: {exc})")
    finally:
        if writer is not None:
            if clean:
                writer.close()
            else:
                writer.transport.abort()
            with suppress(Exception):
                await asyncio.wait_for(writer.wait_closed(), 1.0)
    return bytes(data).decode("utf-8", errors="replace"), None


async def iana_referral(tld: str, deadline: Deadline) -> tuple[str | None, str, bool]:
    """(WHOIS host for `tld` or None, why not, cacheable), asking whois.iana.org once per process."""
    if tld in _REFERRALS:
        server = _REFERRALS[tld]
        return server, "" if server else f"no RDAP or WHOIS server known for .{tld}", True
    text, failure = await exchange(*IANA_WHOIS, tld, deadline)
    if failure is not None:
        return None, f"could not ask IANA for the WHOIS server of .{tld}: {failure.reason}", failure.cacheable
    match = re.search(r"^(?:whois|refer):[ \t]*([A-Za-z0-9.-]+)[ \t]*$", text or "", re.MULTILINE)
    _REFERRALS[tld] = match[1].lower() if match else None
    return _REFERRALS[tld], "" if match else f"no RDAP or WHOIS server known for .{tld}", True


def _dates(value: Any) -> list[date]:
    values = value if isinstance(value, list) else [value]
    return [(v.astimezone(timezone.utc) if v.tzinfo else v).date() for v in values if isinstance(v, datetime)]


def _registrant_redacted(text: str) -> bool | None:
    values = [v.strip() for v in _REGISTRANT_LINE.findall(text)]
    if any(PRIVACY_WORDS.search(v) for v in values):
        return True
    return False if any(values) else None


def _facts(entry: Any) -> dict[str, Any]:
    """The fields we use from a python-whois entry (a dict subclass whose values may be lists)."""
    get = entry.get if entry is not None else (lambda _key: None)
    registrar = get("registrar")
    registrar = (registrar[0] if isinstance(registrar, list) and registrar else registrar) or ""
    status = get("status") or []
    return {
        "created": _dates(get("creation_date")),
        "changed": _dates(get("updated_date")),
        "expires": _dates(get("expiration_date")),
        "registrar": str(registrar).strip(),
        "statuses": epp_statuses(status if isinstance(status, list) else [status]),
        "name": get("domain_name"),
    }


def _python_whois(domain: str, text: str) -> dict[str, Any] | None:
    """python-whois's TLD parser, gaps filled by its generic one (registries change formats);
    None if neither could read the reply. Raises WhoisDomainNotFoundError."""
    from whois.exceptions import WhoisDomainNotFoundError
    from whois.parser import WhoisEntry

    facts: dict[str, Any] = {}
    for parse in (WhoisEntry.load, WhoisEntry):
        try:
            found = _facts(parse(domain, text))
        except WhoisDomainNotFoundError:
            raise
        except Exception as exc:  # python-whois raises many kinds on odd replies
            LOG.debug("python-whois (%s) could not parse the reply for %s: %r", getattr(parse, "__name__", parse),
                      domain, exc)
            continue
        for key, value in found.items():
            if value and not facts.get(key):
                facts[key] = value
        if facts.get("created") and facts.get("expires") and facts.get("registrar"):
            break
    return facts if any(facts.values()) else None


def parse_whois(domain: str, text: str, server: str) -> Attempt:
    """Read a WHOIS reply with python-whois. Not found -> ok + not_registered; unreadable -> UNKNOWN."""
    from whois.exceptions import WhoisDomainNotFoundError

    raw = text[:RAW_CAP]
    what = f"WHOIS server {server}"
    if not text.strip():
        return Attempt(ok=False, server=server, reason=f"{what} sent an empty answer")
    if NOT_FOUND.search(text):
        return Attempt(ok=True, server=server, raw=raw, fields={"not_registered": True})
    try:
        facts = _python_whois(domain, text)
    except WhoisDomainNotFoundError:
        return Attempt(ok=True, server=server, raw=raw, fields={"not_registered": True})
    if facts is None:
        if RATE_LIMITED.search(text):
            return Attempt(ok=False, server=server, raw=raw, reason=f"rate limited by {what}")
        return Attempt(ok=False, server=server, raw=raw, reason=f"WHOIS answer from {server} could not be parsed")
    created, changed, expires = facts.get("created"), facts.get("changed"), facts.get("expires")
    return Attempt(ok=True, server=server, raw=raw, fields={
        "registered": min(created) if created else None,
        "last_changed": max(changed) if changed else None,
        "expires": max(expires) if expires else None,
        "registrar": facts.get("registrar", ""),
        "statuses": facts.get("statuses", ()),
        "registrant_redacted": _registrant_redacted(text),
    })


async def query_whois(domain: str, host: str, port: int, deadline: Deadline, override: bool) -> Attempt:
    text, failure = await exchange(host, port, query_text(domain, host, override), deadline)
    if failure is not None:
        return failure
    return parse_whois(domain, text or "", host_port_label(host, port))
