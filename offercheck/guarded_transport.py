"""An httpx transport whose every TCP connection passes the address guard first.

The host name is resolved here (by the resolver given: the system's, or a test's stub), every
address is checked with AddressPolicy, and the connection is made to the checked IP itself,
so a DNS answer cannot change between the check and the connection. The URL keeps its host
name, so the Host header and TLS server name (SNI) are the link's own. After connecting, the
peer address is checked again. Imported only when a link is fetched (it imports httpx).
"""

from __future__ import annotations

import asyncio
import typing

import httpcore
import httpx

from .addresses import AddressPolicy, AddressRefused, Resolver, ip_literal


class GuardedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, policy: AddressPolicy, resolver: Resolver, connect_timeout: float) -> None:
        self.policy = policy
        self.resolver = resolver
        self.connect_timeout = connect_timeout
        self.inner = httpcore.AnyIOBackend()

    async def _addresses(self, host: str, port: int) -> list[str]:
        literal = ip_literal(host)
        if literal is not None:
            return [literal]
        try:
            async with asyncio.timeout(self.connect_timeout):
                found = await asyncio.to_thread(self.resolver, host, port)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"resolving {host} took longer than {self.connect_timeout:g} s") from None
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror or exc}") from None
        return [str(a) for a in found]

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = self.policy.check(host, await self._addresses(host, port))  # raises AddressRefused
        failure: Exception | None = None
        for address in addresses:
            try:
                stream = await self.inner.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                                      socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            peer = stream.get_extra_info("server_addr")
            why = self.policy.refusal(str(peer[0])) if peer else "of unknown address"
            if why:
                await stream.aclose()
                raise AddressRefused(host, str(peer[0]) if peer else "?", why)
            return stream
        raise failure or httpcore.ConnectError(f"no address of {host} could be reached")

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):  # pragma: no cover
        raise AddressRefused(path, path, "a local socket")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport with its connection pool rebuilt on GuardedBackend.

    httpx (0.28) takes no network backend argument, so the pool it made is replaced; the
    guard tests fail loudly if a future httpx stops using `_pool`.
    """

    def __init__(self, policy: AddressPolicy, resolver: Resolver, connect_timeout: float) -> None:
        super().__init__(trust_env=False, retries=0)
        ssl_context = httpx.create_ssl_context(trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=4,
            http1=True,
            http2=False,
            retries=0,
            network_backend=GuardedBackend(policy, resolver, connect_timeout),
        )
