"""A socket-level guard for tests that open links: any connect or name lookup that is not
loopback is refused and remembered, so even a broken address guard cannot reach off the machine.

    from netguard import loopback_only  # noqa: F401  (an autouse fixture)
"""

from __future__ import annotations

import ipaddress
import socket

import pytest


def _loopback(host) -> bool:
    if host is None:
        return True
    try:
        return ipaddress.ip_address(str(host).strip("[]").split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    refused: list[object] = []
    real_connect, real_connect_ex, real_getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo

    def check(address):
        if isinstance(address, tuple) and not _loopback(address[0]):
            refused.append(address)
            raise OSError(f"test guard: refused to connect to {address!r}")

    def connect(self, address):
        check(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        check(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if not _loopback(name):
            refused.append(name)
            raise socket.gaierror(socket.EAI_NONAME, f"test guard: refused to resolve {name!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield refused
    assert refused == [], f"a test tried to reach a non-loopback address: {refused}"
