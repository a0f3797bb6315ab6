"""RDAP (RFC 9082/9083) domain queries: `GET {base}domain/{name}` and reading the answer.

Only the registrable domain name is sent. The answer gives the registration, last-changed and
expiry dates (events), the registrar (the vCard `fn` of the entity with role "registrar"),
the status list (RDAP words like "client hold", normalised to EPP's `clientHold`) and whether
the registrant is redacted (RFC 9537 `redacted`, or a registrant entity whose vCard or remarks
say "REDACTED FOR PRIVACY" or name a privacy service).
"""

from __future__ import annotations

import asyncio
import json
import re
from datetime import date, datetime, timezone
from typing import Any
from urllib.parse import urlsplit

from .attempt import MAX_ANSWER_BYTES, Attempt, Deadline
from .record import PRIVACY_WORDS, RAW_CAP, epp_statuses

ACCEPT = "application/rdap+json, application/json;q=0.9"


class _TooLarge(Exception):
    pass


def _event_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
        try:
            return date(int(match[1]), int(match[2]), int(match[3])) if match else None
        except ValueError:
            return None
    return moment.astimezone(timezone.utc).date() if moment.tzinfo else moment.date()


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _roles(entity: Any) -> list[str]:
    roles = entity.get("roles") if isinstance(entity, dict) else None
    return [str(r).lower() for r in roles] if isinstance(roles, list) else []


def _vcard_strings(entity: dict) -> dict[str, list[str]]:
    """{'fn': ['Example Registrar'], 'org': [...], ...}: every string in the entity's vCard."""
    out: dict[str, list[str]] = {}
    card = entity.get("vcardArray")
    if not (isinstance(card, list) and len(card) == 2 and isinstance(card[1], list)):
        return out

    def strings(value: Any) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, list):
            return [s for item in value for s in strings(item)]
        return []

    for prop in card[1]:
        if isinstance(prop, list) and len(prop) >= 4 and isinstance(prop[0], str):
            out.setdefault(prop[0].lower(), []).extend(strings(prop[3:]))
    return out


def _registrant_redacted(data: dict) -> bool | None:
    for item in _list(data.get("redacted")):
        if isinstance(item, dict):
            name = item.get("name") if isinstance(item.get("name"), dict) else {}
            text = " ".join(str(v) for v in (name.get("type"), name.get("description"), item.get("prePath"),
                                             item.get("postPath"), item.get("path")) if v)
            if "registrant" in text.lower():
                return True
    registrants = [e for e in _list(data.get("entities")) if "registrant" in _roles(e)]
    if not registrants:
        return None  # thin registries (.com, .net) never show one: that is not redaction
    entity = registrants[0]
    card = _vcard_strings(entity)
    texts = [s for values in card.values() for s in values]
    for remark in _list(entity.get("remarks")):
        if isinstance(remark, dict):
            texts.append(str(remark.get("title", "")))
            description = remark.get("description")
            if isinstance(description, list):
                texts.extend(str(line) for line in description)
    if any(PRIVACY_WORDS.search(t) for t in texts):
        return True
    return not any(s.strip() for s in card.get("fn", []))  # RFC 9537 "emptyValue"


def parse_rdap(domain: str, data: Any) -> dict[str, Any]:
    """DomainRecord fields from a decoded RDAP domain answer; ValueError if it is not one."""
    if not isinstance(data, dict):
        raise ValueError("the answer is not a JSON object")
    if data.get("objectClassName") != "domain" or "errorCode" in data:  # RFC 9083 4.7: it is required
        raise ValueError("the answer is not an RDAP domain object")
    name = data.get("ldhName")
    if isinstance(name, str) and name.lower().rstrip(".") != domain:
        raise ValueError(f"the answer is about {name!r}, not {domain!r}")
    found: dict[str, list[date]] = {}
    for event in _list(data.get("events")):
        if isinstance(event, dict):
            when = _event_date(event.get("eventDate"))
            if when:
                found.setdefault(str(event.get("eventAction", "")).lower(), []).append(when)
    registrar = ""
    for entity in _list(data.get("entities")):
        if "registrar" in _roles(entity):
            registrar = next((s.strip() for s in _vcard_strings(entity).get("fn", []) if s.strip()), "")
            break
    statuses = _list(data.get("status"))
    return {
        "registered": min(found["registration"]) if "registration" in found else None,
        "last_changed": max(found["last changed"]) if "last changed" in found else None,
        "expires": max(found["expiration"]) if "expiration" in found else None,
        "registrar": registrar,
        "statuses": epp_statuses(s for s in statuses if isinstance(s, str)),
        "registrant_redacted": _registrant_redacted(data),
    }


async def _read_capped(response) -> bytes:
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > MAX_ANSWER_BYTES:
            raise _TooLarge
    return bytes(body)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


async def query_rdap(client, base: str, domain: str, deadline: Deadline) -> Attempt:
    """One RDAP exchange. Never raises for network or format problems."""
    import httpx

    host = urlsplit(base).netloc or base
    what = f"RDAP server {host}"
    window, overall_bound = deadline.window()
    if window <= 0:
        return Attempt(ok=False, server=base, reason=deadline.ran_out(what), cacheable=False)
    try:
        async with asyncio.timeout(window):
            async with client.stream("GET", f"{base}domain/{domain}", headers={"Accept": ACCEPT}) as response:
                status = response.status_code
                retry_after = response.headers.get("retry-after", "")
                body = await _read_capped(response)
    except TimeoutError:
        return Attempt(ok=False, server=base, reason=deadline.timed_out(what, window, overall_bound),
                       fallback=not overall_bound, cacheable=not overall_bound)
    except httpx.TimeoutException:
        return Attempt(ok=False, server=base, reason=f"{what} timed out after {window:.1f} s", fallback=True)
    except _TooLarge:
        return Attempt(ok=False, server=base, reason=f"{what} sent more than {MAX_ANSWER_BYTES // 1024} KB", fallback=True)
    except (httpx.HTTPError, OSError) as exc:
        return Attempt(ok=False, server=base, reason=f"could not reach {what} ({_describe(exc)})", fallback=True)
    raw = body[: RAW_CAP * 4].decode("utf-8", errors="replace")[:RAW_CAP]
    if status == 404:
        return Attempt(ok=True, server=base, raw=raw, fields={"not_registered": True})
    if status == 429:
        wait = f", retry after {retry_after} s" if retry_after.strip().isdigit() else ""
        return Attempt(ok=False, server=base, raw=raw, reason=f"rate limited by {what} (HTTP 429{wait})")
    if status != 200:
        return Attempt(ok=False, server=base, raw=raw, reason=f"{what} answered HTTP {status}", fallback=True)
    try:
        fields = parse_rdap(domain, json.loads(body))
    except (ValueError, TypeError, AttributeError, KeyError, RecursionError) as exc:  # JSONDecodeError: ValueError
        detail = "it is not valid JSON" if isinstance(exc, json.JSONDecodeError) else str(exc)
        return Attempt(ok=False, server=base, raw=raw, reason=f"{what} sent an answer that could not be read: {detail}",
                       fallback=True)
    return Attempt(ok=True, server=base, raw=raw, fields=fields)
