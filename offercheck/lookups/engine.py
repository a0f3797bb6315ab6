"""`lookup_domains()`: cache first, then RDAP with a WHOIS fallback, concurrently, under one deadline.

Runs on asyncio so that the overall deadline can cut any exchange short wherever it is
(connecting, reading headers, or a server dripping one byte a second). Only the registrable
domain name is ever sent; with `offline=True` no socket, event loop or cache file is opened.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack
from dataclasses import replace
from typing import Iterable
from urllib.parse import urlsplit

from .. import __version__
from ..model import Status
from .attempt import Attempt, Deadline
from .bootstrap import load_bootstrap
from .cache import LookupCache
from .domains import registrable_domain, tld_of
from .rdap import query_rdap
from .record import DomainRecord, LookupSettings, split_host_port, utc_now_iso
from .whois import bundled_server, iana_referral, query_whois

LOG = logging.getLogger(__name__)

OFFLINE_REASON = "--offline: no lookups made"
USER_AGENT = f"offercheck/{__version__}"
POOL_SIZE = 16


def lookup_domains(domains: Iterable[str], settings: LookupSettings) -> dict[str, DomainRecord]:
    """One record per distinct input (keyed by the input as given). Never raises for network
    or parse problems: those are UNKNOWN records with a reason."""
    names: dict[str, tuple[str, str] | None] = {}
    for given in domains:
        if given not in names:
            names[given] = registrable_domain(given)
    unique = {pair[0]: pair[1] for pair in names.values() if pair}
    if settings.offline:
        records = {a: DomainRecord(a, u, Status.SKIPPED, reason=OFFLINE_REASON) for a, u in unique.items()}
    else:
        records = _online(unique, settings) if unique else {}
    out: dict[str, DomainRecord] = {}
    for given, pair in names.items():
        if pair is None:
            text = str(given).strip().lower()
            out[given] = DomainRecord(text, text, Status.SKIPPED, reason=f"{given!r} is not a registrable domain name")
        else:
            out[given] = records[pair[0]]
    return out


def _online(unique: dict[str, str], settings: LookupSettings) -> dict[str, DomainRecord]:
    cache = LookupCache.open(settings.cache_dir) if settings.use_cache else None
    try:
        records = cache.get_many(unique) if cache else {}
        for domain, record in records.items():
            if record.status is Status.UNKNOWN:
                records[domain] = replace(record, reason=f"{record.reason} (remembered from {record.fetched_at}; "
                                                         f"failed lookups are retried after an hour)")
        misses = {a: u for a, u in unique.items() if a not in records}
        if misses:
            fresh, uncacheable = _run(_lookup_all(misses, settings))
            records.update(fresh)
            if cache:
                cache.put_many(r for a, r in fresh.items() if a not in uncacheable)
    finally:
        if cache:
            cache.close()
    return records


def _run(coroutine):
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="offercheck-lookups") as pool:
        return pool.submit(asyncio.run, coroutine).result()  # called from async code: use a loop of our own


def _is_loopback_url(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Batch:
    """What every lookup of one batch shares: settings, deadline, HTTP clients, concurrency limit."""

    def __init__(self, settings: LookupSettings, clients: list) -> None:
        self.settings = settings
        self.clients = clients
        self.deadline = Deadline(settings.timeout, settings.per_lookup_timeout)
        self.slots = asyncio.Semaphore(settings.max_concurrency)
        self.bootstrap = load_bootstrap()
        base = settings.rdap_url
        self.rdap_override = (base if base.endswith("/") else base + "/") if base else None
        self.whois_override = split_host_port(settings.whois_server) if settings.whois_server else None
        self.uncacheable: set[str] = set()

    async def lookup(self, index: int, domain: str, unicode: str) -> DomainRecord:
        started = time.monotonic()
        try:
            async with asyncio.timeout(max(self.deadline.remaining(), 0.0)):
                await self.slots.acquire()
        except TimeoutError:
            self.uncacheable.add(domain)
            return DomainRecord(domain, unicode, Status.UNKNOWN, fetched_at=utc_now_iso(),
                                reason=f"not looked up: the overall lookup deadline of {self.settings.timeout:g} s "
                                       f"ran out before its turn")
        try:
            attempt, source, note = await self._exchanges(domain, self.clients[index % len(self.clients)])
        except Exception as exc:  # a bug must not sink the check: report it as unknown
            LOG.warning("internal error while looking up %s", domain, exc_info=True)
            attempt, source, note = Attempt(ok=False, server="", reason=f"internal error ({type(exc).__name__})",
                                            cacheable=False), "", ""
        finally:
            self.slots.release()
        if not attempt.cacheable:
            self.uncacheable.add(domain)
        fields = dict(attempt.fields)
        if attempt.ok and not fields.get("not_registered") and fields.get("registered") is None:
            note = "; ".join(filter(None, [note, f"the {source.upper()} answer gives no registration date"]))
        return DomainRecord(
            domain=domain, unicode=unicode, status=Status.KNOWN if attempt.ok else Status.UNKNOWN,
            reason=note if attempt.ok else attempt.reason, source=source, server=attempt.server,
            elapsed_ms=round((time.monotonic() - started) * 1000), fetched_at=utc_now_iso(), raw=attempt.raw,
            **fields,
        )

    async def _exchanges(self, domain: str, client) -> tuple[Attempt, str, str]:
        """(final attempt, "rdap" | "whois", note for a KNOWN answer)."""
        rdap_failure = None
        if self.bootstrap.base_for(domain):
            attempt = await query_rdap(client, self.rdap_override or self.bootstrap.base_for(domain),
                                       domain, self.deadline)
            if attempt.ok or not attempt.fallback:
                return attempt, "rdap", ""
            rdap_failure = attempt
        tld = tld_of(domain)
        host, port, why, cacheable = None, 43, "", True
        if self.whois_override:
            host, port = self.whois_override
        else:
            host, why = bundled_server(domain)
            if host is None and not why:
                host, why, cacheable = await iana_referral(tld, self.deadline)
        if host is None:
            if rdap_failure:
                rdap_failure.reason = f"{rdap_failure.reason}; {why}"
                rdap_failure.cacheable = rdap_failure.cacheable and cacheable
                return rdap_failure, "rdap", ""
            return Attempt(ok=False, server="", reason=why, cacheable=cacheable), "whois", ""
        attempt = await query_whois(domain, host, port, self.deadline, override=self.whois_override is not None)
        if rdap_failure is None:
            return attempt, "whois", ""
        if attempt.ok:
            return attempt, "whois", f"answered by WHOIS because {rdap_failure.reason}"
        attempt.reason = f"{rdap_failure.reason}; {attempt.reason}"
        attempt.cacheable = attempt.cacheable and rdap_failure.cacheable
        return attempt, "whois", ""


async def _lookup_all(misses: dict[str, str], settings: LookupSettings):
    import httpx

    # httpcore scans every connection of a pool for every request (O(requests x connections)),
    # which costs more CPU than the network at 64 connections: use pools of at most 16.
    shards = -(-settings.max_concurrency // POOL_SIZE)
    per_pool = -(-settings.max_concurrency // shards)
    trust_env = not (settings.rdap_url and _is_loopback_url(settings.rdap_url))  # no proxy for a local mirror
    async with AsyncExitStack() as stack:
        clients = [await stack.enter_async_context(httpx.AsyncClient(
            timeout=httpx.Timeout(settings.per_lookup_timeout),
            limits=httpx.Limits(max_connections=per_pool, max_keepalive_connections=per_pool),
            headers={"User-Agent": USER_AGENT},
            follow_redirects=True,
            max_redirects=3,
            trust_env=trust_env,
        )) for _ in range(shards)]
        batch = _Batch(settings, clients)
        records = await asyncio.gather(*(batch.lookup(i, a, u) for i, (a, u) in enumerate(misses.items())))
    await asyncio.sleep(0)  # let closed transports finish closing before the loop goes away
    return {r.domain: r for r in records}, batch.uncacheable
