"""Real servers on 127.0.0.1, port 0, for the tests and the benches: never mocks.

`HTTPTestServer` answers RDAP JSON (`.rdap(domain, data)`) and any other page (`.route(path, ...)`),
with injectable latency, delays and byte-by-byte dripping. `WhoisTestServer` is a TCP WHOIS
server (RFC 3912: one query line in, text out, close). Both count what they were asked, so a
test can prove that a cached lookup sent nothing. Use them as context managers:

    with HTTPTestServer() as rdap, WhoisTestServer() as whois:
        rdap.rdap("example.com", {...}); whois.answer("example.io", "Domain Name: ...")
        settings = LookupSettings(rdap_url=rdap.url, whois_server=whois.address)
"""

from __future__ import annotations

import json
import socket
import socketserver
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    content_type: str = "application/rdap+json"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds of silence before the first byte
    drip: float = 0.0  # > 0: send the whole response (status line included) one byte per `drip` seconds

    def data(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    headers: dict[str, str]


class _Base:
    """Start/stop, a stop event that wakes sleeping handlers, and a thread-safe log."""

    latency: float

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._server: socketserver.BaseServer | None = None
        self._thread: threading.Thread | None = None

    def _make_server(self) -> socketserver.BaseServer:
        raise NotImplementedError

    def start(self):
        self._server = self._make_server()
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def _sleep(self, seconds: float) -> bool:
        """Sleep unless the server is stopping; False when it is."""
        return not self._stop.wait(seconds) if seconds > 0 else not self._stop.is_set()

    def _drip(self, connection: socket.socket, data: bytes, interval: float) -> None:
        for index in range(len(data)):
            if not self._sleep(interval):
                return
            try:
                connection.sendall(data[index : index + 1])
            except OSError:  # the client gave up: what a deadline test wants
                return


class _QuietHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default 5 drops SYNs when a bench opens 64 connections at once

    def handle_error(self, request, client_address) -> None:
        pass  # a client that hangs up mid-answer is expected in these tests


class HTTPTestServer(_Base):
    def __init__(self, latency: float = 0.0) -> None:
        super().__init__(latency)
        self.routes: dict[str, Reply | Callable[[str], Reply | None]] = {}
        self.fallback: Callable[[str], Reply | None] | None = None  # for paths with no route
        self.seen: list[Seen] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def route(self, path: str, reply: Reply | Callable[[str], Reply | None] | None = None, **kwargs: Any) -> None:
        self.routes[path] = reply if reply is not None else Reply(**kwargs)

    def rdap(self, domain: str, data: Any, **kwargs: Any) -> None:
        """Answer GET /domain/<domain>: a dict/list is sent as JSON, str/bytes as they are, an int as that status."""
        if isinstance(data, int):
            kwargs.setdefault("status", data)
            data = {"errorCode": data, "title": HTTPStatus(data).phrase}
        body = json.dumps(data) if isinstance(data, (dict, list)) else data
        self.route(f"/domain/{domain}", Reply(body=body, **kwargs))

    def count(self, path: str | None = None) -> int:
        with self._lock:
            return sum(1 for s in self.seen if path is None or s.path == path)

    def _make_server(self) -> socketserver.BaseServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args) -> None:
                pass

            def do_GET(self) -> None:
                with owner._lock:
                    owner.seen.append(Seen("GET", self.path, {k.lower(): v for k, v in self.headers.items()}))
                reply = owner.routes.get(self.path)
                if callable(reply):
                    reply = reply(self.path)
                if reply is None and owner.fallback is not None:
                    reply = owner.fallback(self.path)
                if reply is None:
                    reply = Reply(status=404, body=json.dumps({"errorCode": 404, "title": "Not Found"}))
                if not owner._sleep(owner.latency + reply.delay):
                    self.close_connection = True
                    return
                body = reply.data()
                phrase = HTTPStatus(reply.status).phrase if reply.status in HTTPStatus._value2member_map_ else "Status"
                head = [f"HTTP/1.1 {reply.status} {phrase}", f"Content-Type: {reply.content_type}",
                        f"Content-Length: {len(body)}", *(f"{k}: {v}" for k, v in reply.headers.items())]
                data = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
                if reply.drip > 0:
                    self.close_connection = True
                    owner._drip(self.connection, data, reply.drip)
                    return
                try:
                    self.wfile.write(data)
                    self.wfile.flush()
                except OSError:
                    self.close_connection = True

        return _QuietHTTPServer(("127.0.0.1", 0), Handler)


@dataclass
class WhoisReply:
    text: str | bytes = ""
    delay: float = 0.0
    drip: float = 0.0
    hang_up: bool = False  # close without a word

    def data(self) -> bytes:
        return self.text.encode("utf-8") if isinstance(self.text, str) else self.text


class _QuietTCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def handle_error(self, request, client_address) -> None:
        pass


class WhoisTestServer(_Base):
    def __init__(self, latency: float = 0.0) -> None:
        super().__init__(latency)
        self.answers: dict[str, WhoisReply | Callable[[str], WhoisReply | None]] = {}
        self.fallback: Callable[[str], WhoisReply | None] | None = None
        self.queries: list[str] = []  # every query line, exactly as received (without CRLF)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def answer(self, domain: str, reply: WhoisReply | str | bytes, **kwargs: Any) -> None:
        """Answer queries whose last word is `domain` (so "-T dn,ace x.de" finds "x.de" too)."""
        self.answers[domain.lower()] = reply if isinstance(reply, WhoisReply) else WhoisReply(text=reply, **kwargs)

    def count(self, domain: str | None = None) -> int:
        with self._lock:
            return sum(1 for q in self.queries if domain is None or q.split()[-1:] == [domain])

    def _make_server(self) -> socketserver.BaseServer:
        owner = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                self.request.settimeout(5)
                line = b""
                while not line.endswith(b"\n") and len(line) < 4096:
                    try:
                        chunk = self.request.recv(1024)
                    except OSError:
                        return
                    if not chunk:
                        break
                    line += chunk
                query = line.decode("utf-8", errors="replace").strip()
                with owner._lock:
                    owner.queries.append(query)
                key = (query.split() or [""])[-1].lower()
                reply = owner.answers.get(key)
                if callable(reply):
                    reply = reply(query)
                if reply is None and owner.fallback is not None:
                    reply = owner.fallback(query)
                if reply is None:
                    reply = WhoisReply(f'No match for "{key.upper()}".\r\n>>> Last update of whois database: '
                                       f"2026-11-23T12:00:00Z <<<\r\n")
                if not owner._sleep(owner.latency + reply.delay) or reply.hang_up:
                    return
                if reply.drip > 0:
                    owner._drip(self.request, reply.data(), reply.drip)
                    return
                try:
                    self.request.sendall(reply.data())
                except OSError:
                    pass

        return _QuietTCPServer(("127.0.0.1", 0), Handler)
