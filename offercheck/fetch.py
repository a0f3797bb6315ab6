"""Open a link from an offer, safely: `fetch_page(url, FetchOptions()) -> FetchResult`.

- only http and https; at most `max_redirects` redirects, each one re-validated;
- every connection goes through the address guard (addresses.py) on the address resolved and
  on the peer actually connected to, so a redirect to 169.254.169.254 or 10.0.0.1 is refused
  before any packet is sent to it;
- connect and read deadlines per step, and one overall deadline for everything (a server that
  drips a byte a second is cut off when it runs out);
- the body is streamed and capped at `max_bytes`, counted after decompression too, so a gzip
  bomb stops at the cap; only HTML, XHTML and plain text are read;
- no cookies kept, no JavaScript run, nothing else (images, scripts, frames) loaded.

Never raises for network trouble: a page that could not be fetched is a FetchResult with
status UNKNOWN and the reason. httpx is imported only here, and only when a link is opened.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

from . import __version__
from .addresses import AddressPolicy, AddressRefused, Resolver, ip_literal, system_resolver
from .model import Exchange, Hop, Status

DEFAULT_MAX_BYTES = 2_000_000
READABLE_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}
OFFLINE_REASON = "--offline: the page was not fetched"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_FILE_KINDS = {
    "application/pdf": "a PDF",
    "application/zip": "a ZIP file",
    "application/x-zip-compressed": "a ZIP file",
    "application/x-rar-compressed": "a RAR archive",
    "application/vnd.rar": "a RAR archive",
    "application/x-7z-compressed": "a 7-Zip archive",
    "application/msword": "a Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "a Word document",
    "application/vnd.ms-word.document.macroenabled.12": "a macro-enabled Word document",
    "application/x-msdownload": "a Windows program",
    "application/x-msdos-program": "a Windows program",
    "application/vnd.android.package-archive": "an Android app (APK)",
    "application/json": "JSON data",
    "application/octet-stream": "a file",
}
_SNIFF = ((b"%PDF-", "application/pdf"), (b"PK\x03\x04", "application/zip"), (b"MZ", "application/x-msdownload"),
          (b"Rar!", "application/vnd.rar"))


@dataclass(frozen=True, slots=True)
class FetchOptions:
    timeout: float = 10.0  # overall deadline for the whole fetch, redirects included
    connect_timeout: float = 5.0
    read_timeout: float = 5.0  # between two bytes
    max_redirects: int = 5
    max_bytes: int = DEFAULT_MAX_BYTES  # of the body, compressed or not
    allow_loopback: bool = False
    allow_private: bool = False
    resolver: Resolver | None = None  # (host, port) -> addresses; default: the system resolver

    @property
    def policy(self) -> AddressPolicy:
        return AddressPolicy(self.allow_loopback, self.allow_private)


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str  # as given
    status: Status  # KNOWN: a page answered; UNKNOWN: could not (reason); SKIPPED: offline
    reason: str = ""
    final_url: str = ""
    hops: tuple[Hop, ...] = ()
    exchanges: tuple[Exchange, ...] = ()
    content_type: str = ""  # the final answer's media type
    kind: str = ""  # html | text | "" (not read)
    body: bytes = b""
    header_charset: str = ""
    not_opened: str = ""  # "the link serves a PDF (application/pdf); not opened"
    truncated: bool = False


def skipped(url: str, reason: str = OFFLINE_REASON) -> FetchResult:
    return FetchResult(url, Status.SKIPPED, reason)


def is_web_url(text: str) -> bool:
    """True for a single http(s) URL with a host, and nothing else."""
    text = text.strip()
    if not text or any(c.isspace() for c in text):
        return False
    parts = urlsplit(text)
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def fetch_page(url: str, options: FetchOptions | None = None) -> FetchResult:
    """Fetch `url` under `options`; never raises for network problems (see the module doc)."""
    options = options or FetchOptions()
    if not is_web_url(url):
        return FetchResult(url, Status.UNKNOWN, "only http and https links are opened", hops=(Hop(url, refused="not an http(s) link"),))
    return _run(_fetch(url, options))


def _run(coroutine):
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="offercheck-fetch") as pool:
        return pool.submit(asyncio.run, coroutine).result()  # called from async code: a loop of our own


@dataclass
class _Progress:
    """What the fetch has done so far; kept outside the deadline so a timeout still reports it."""

    hops: list[Hop] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)
    result: FetchResult | None = None


async def _fetch(url: str, options: FetchOptions) -> FetchResult:
    progress = _Progress()
    try:
        async with asyncio.timeout(options.timeout):
            await _follow(url, options, progress)
    except TimeoutError:
        return _failed(url, progress, f"the page did not finish loading within {options.timeout:g} s (the overall deadline)")
    except Exception as exc:  # a bug must not sink the check: the page is reported as unknown
        return _failed(url, progress, f"internal error while fetching ({type(exc).__name__})")
    return progress.result or _failed(url, progress, "no answer")


def _failed(url: str, progress: _Progress, reason: str) -> FetchResult:
    final = progress.hops[-1].url if progress.hops else url
    return FetchResult(url, Status.UNKNOWN, reason, final_url=final, hops=tuple(progress.hops),
                       exchanges=tuple(progress.exchanges))


def _client(options: FetchOptions):
    import httpx

    from .guarded_transport import GuardedTransport

    return httpx.AsyncClient(
        transport=GuardedTransport(options.policy, options.resolver or system_resolver, options.connect_timeout),
        timeout=httpx.Timeout(options.read_timeout, connect=options.connect_timeout),
        follow_redirects=False,  # each hop is validated here
        trust_env=False,  # no proxy from the environment: the guard must see the real peer
        cookies=_NoCookies(),
        headers={
            "User-Agent": f"offercheck/{__version__} (checks job offers for scams; fetches this page once)",
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
            "Accept-Encoding": "gzip, deflate",  # only what the standard library decodes under the cap
        },
    )


def _NoCookies():
    """A cookie jar that accepts none: nothing a page sets is sent back on the next hop."""
    from http.cookiejar import CookieJar, CookiePolicy

    import httpx

    class Refuse(CookiePolicy):
        netscape, rfc2965, hide_cookie2 = True, False, False

        def set_ok(self, cookie, request) -> bool:
            return False

        def return_ok(self, cookie, request) -> bool:
            return False

        def domain_return_ok(self, domain, request) -> bool:
            return False

        def path_return_ok(self, path, request) -> bool:
            return False

    return httpx.Cookies(CookieJar(policy=Refuse()))


async def _follow(url: str, options: FetchOptions, progress: _Progress) -> None:
    import httpx

    seen: set[str] = set()
    current = url
    async with _client(options) as client:
        for _ in range(options.max_redirects + 1):
            target = _without_userinfo(current)
            if target in seen:
                progress.hops.append(Hop(current, refused="redirect loop"))
                progress.result = _failed(url, progress, f"redirect loop: {current} was visited before")
                return
            seen.add(target)
            client.cookies.clear()  # and, should a cookie ever be stored, it is dropped before the next hop
            try:
                step = await _one_hop(client, target, options, progress)
            except AddressRefused as exc:
                which = "the redirect to" if progress.hops else "the link"
                progress.hops.append(Hop(current, refused=str(exc)))
                progress.result = _failed(url, progress, f"{which} {current[:200]} was refused before connecting: {exc}")
                return
            except httpx.TimeoutException:
                progress.hops.append(Hop(current))
                progress.result = _failed(url, progress, f"{_host(current)} did not answer in time")
                return
            except (httpx.HTTPError, OSError, ValueError) as exc:
                progress.hops.append(Hop(current))
                progress.result = _failed(url, progress, f"could not connect to {_host(current)}: {_short_error(exc)}")
                return
            if step is None:
                return
            if not is_web_url(step):
                progress.hops.append(Hop(step, refused="not an http(s) link"))
                progress.result = _failed(url, progress, f"redirected to {step[:200]}, which is not an http(s) link; not followed")
                return
            current = step
        progress.result = _failed(url, progress, f"more than {options.max_redirects} redirects; stopped")


async def _one_hop(client, target: str, options: FetchOptions, progress: _Progress) -> str | None:
    """Make one request. Returns the next URL for a redirect, or None when progress.result is set."""
    started = time.monotonic()
    started_at = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    request = client.build_request("GET", target)
    response = await client.send(request, stream=True)
    try:
        address = _peer(response)
        headers = tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw)
        location = response.headers.get("location", "")
        if response.status_code in _REDIRECTS and location:
            next_url = urljoin(target, location.strip())
            progress.hops.append(Hop(target, response.status_code, next_url, address))
            progress.exchanges.append(Exchange(target, response.status_code, headers, b"", address, started_at,
                                               _ms(started)))
            return next_url
        progress.hops.append(Hop(target, response.status_code, "", address))
        media, charset = _media_type(response.headers.get("content-type", ""))
        chunks = response.aiter_raw()  # a stream can be iterated once: sniffing and reading share it
        first = b""
        if media in ("", "application/octet-stream"):
            first, media = await _sniff(response, chunks, media)
        if media not in READABLE_TYPES:
            what = _FILE_KINDS.get(media, f"a file of type {media}" if media else "a file of unknown type")
            if media.startswith("image/"):
                what = "an image"
            progress.exchanges.append(Exchange(target, response.status_code, headers, b"", address, started_at, _ms(started)))
            progress.result = FetchResult(
                progress.hops[0].url, Status.KNOWN, final_url=target, hops=tuple(progress.hops),
                exchanges=tuple(progress.exchanges), content_type=media,
                not_opened=f"the link serves {what} ({media or 'no content type'}); not opened",
            )
            return None
        body, truncated = await _read_capped(response, chunks, options.max_bytes, first)
        progress.exchanges.append(Exchange(target, response.status_code, headers, body, address, started_at,
                                           _ms(started), truncated))
        ok = 200 <= response.status_code < 300
        progress.result = FetchResult(
            progress.hops[0].url, Status.KNOWN if ok else Status.UNKNOWN,
            "" if ok else f"the server answered {response.status_code} {response.reason_phrase}".rstrip(),
            final_url=target, hops=tuple(progress.hops), exchanges=tuple(progress.exchanges), content_type=media,
            kind=READABLE_TYPES[media], body=body, header_charset=charset, truncated=truncated,
        )
        return None
    finally:
        await response.aclose()


class _Decoder:
    """Content-Encoding decoding with a bound on the output of every step (zlib's max_length)."""

    def __init__(self, encoding: str) -> None:
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            self._zlib = None
        elif encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj()
        else:
            raise ValueError(f"the page is compressed with {encoding!r}, which offercheck does not read")
        self._deflate_raw_tried = encoding != "deflate"

    def decode(self, chunk: bytes, room: int) -> tuple[bytes, bool]:
        """(at most `room` decoded bytes, whether more output was waiting)."""
        if self._zlib is None:
            return chunk[:room], len(chunk) > room
        try:
            out = self._zlib.decompress(chunk, room)
        except zlib.error:
            if self._deflate_raw_tried:
                raise ValueError("the compressed page is corrupt") from None
            # Some servers send raw deflate (no zlib header) as "deflate": try that once.
            self._deflate_raw_tried = True
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._zlib.decompress(chunk, room)
        return out, bool(self._zlib.unconsumed_tail)


async def _read_capped(response, chunks, cap: int, first: bytes) -> tuple[bytes, bool]:
    """The decoded body, at most `cap` bytes; stops reading as soon as either the bytes received or
    the bytes decoded pass the cap (so a gzip bomb never inflates past it)."""
    decoder = _Decoder(response.headers.get("content-encoding", ""))
    body = bytearray()
    received = 0
    pending = [first] if first else []
    while True:
        if pending:
            chunk = pending.pop()
        else:
            try:
                chunk = await anext(chunks)
            except StopAsyncIteration:
                break
        received += len(chunk)
        out, more = decoder.decode(chunk, cap - len(body) + 1)
        body += out
        if len(body) > cap or more or received > cap:
            return bytes(body[:cap]), True
    return bytes(body), False


async def _sniff(response, chunks, declared: str) -> tuple[bytes, str]:
    """No content type (or octet-stream): look at the first bytes, as browsers do."""
    try:
        first = await anext(chunks)
    except StopAsyncIteration:
        return b"", declared
    try:  # a decoder of its own, so the body's decoder still starts at the first byte
        head, _more = _Decoder(response.headers.get("content-encoding", "")).decode(first, 512)
    except (ValueError, zlib.error):
        return first, declared
    for magic, media in _SNIFF:
        if head.startswith(magic):
            return first, media
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<p", b"<div", b"<title")):
        return first, "text/html"
    if b"\x00" not in head:
        return first, "text/plain"
    return first, declared


def _media_type(value: str) -> tuple[str, str]:
    media, _, params = value.partition(";")
    charset = ""
    for param in params.split(";"):
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset":
            charset = val.strip().strip("'\"").lower()
    return media.strip().lower(), charset


def _peer(response) -> str:
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    return str(peer[0]) if peer else ""


def _without_userinfo(url: str) -> str:
    """user:password@ in a link is never sent (and is a look-alike trick the domain check reports)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


def _host(url: str) -> str:
    return urlsplit(url).hostname or url[:100]


def _short_error(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


def _ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


__all__ = ["FetchOptions", "FetchResult", "fetch_page", "is_web_url", "ip_literal", "skipped"]
