"""Shared test set-up. No test may send a packet past loopback.

Every test runs under a socket-level guard: a connect or name lookup for anything but
loopback is refused and remembered, and the test fails, so even a broken address guard or a
forgotten --offline cannot reach off the machine.

Every lookup a test forgets to point at its own local server goes to 127.0.0.1 port 9
(discard; nothing listens), so it fails at once as "unknown" instead of reaching the
internet, and the lookup cache lives in a temporary folder.
"""

import ipaddress
import socket

import pytest

DEAD_LOOPBACK_RDAP = "http://127.0.0.1:9/"
DEAD_LOOPBACK_WHOIS = "127.0.0.1:9"


@pytest.fixture(autouse=True)
def _lookups_stay_on_loopback(monkeypatch, tmp_path_factory):
    monkeypatch.setenv("OFFERCHECK_RDAP_URL", DEAD_LOOPBACK_RDAP)
    monkeypatch.setenv("OFFERCHECK_WHOIS_SERVER", DEAD_LOOPBACK_WHOIS)
    monkeypatch.setenv("OFFERCHECK_CACHE_DIR", str(tmp_path_factory.mktemp("lookup-cache")))


def _loopback(host) -> bool:
    if host in (None, "localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host).strip("[]").split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Refuse (and remember) any connect or name lookup that is not loopback."""
    refused: list[object] = []
    real_connect, real_connect_ex, real_getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo

    def check(address):
        host = address[0] if isinstance(address, tuple) else None
        if isinstance(address, tuple) and not _loopback(host):
            refused.append(address)
            raise OSError(f"test guard: refused to connect to {address!r}")

    def connect(self, address):
        check(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        check(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if not _loopback(host.decode() if isinstance(host, bytes) else host):
            refused.append(host)
            raise socket.gaierror(socket.EAI_NONAME, f"test guard: refused to resolve {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield refused
    assert refused == [], f"a test tried to reach a non-loopback address: {refused}"
