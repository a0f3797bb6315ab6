"""Each registrable domain looked up at most once per run, with bounded concurrency.

`LookupService.lookup(domains)` is the `Lookup` that `api.check` takes. It remembers every
answer of the run (without its raw text), makes a domain that another row is already looking
up wait for that answer instead of asking again, and lets at most `parallel` lookup batches
run at once (each batch is `lookup_domains`, itself bounded by `max_concurrency` and backed by
the SQLite cache, so answers are also kept across runs). With several worker processes one
service runs in a manager process and every worker calls it through a proxy.
"""

from __future__ import annotations

import signal
import threading
from collections import OrderedDict
from dataclasses import replace
from multiprocessing.managers import BaseManager

from ..model import Status

MAX_REMEMBERED = 200_000  # records kept in memory; older ones come back from the SQLite cache


class LookupService:
    def __init__(self, settings, parallel: int = 4) -> None:
        self.settings = settings
        self._records: OrderedDict[str, object] = OrderedDict()
        self._pending: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self._gate = threading.BoundedSemaphore(max(1, parallel))
        self._asked = 0

    def lookup(self, domains: list[str]) -> dict:
        from ..lookups import DomainRecord, lookup_domains

        mine, waits = [], []
        with self._lock:
            for domain in dict.fromkeys(domains):
                if domain in self._records:
                    continue
                if domain in self._pending:
                    waits.append(self._pending[domain])
                else:
                    self._pending[domain] = threading.Event()
                    mine.append(domain)
        if mine:
            found: dict = {}
            try:
                with self._gate:
                    found = lookup_domains(mine, self.settings)
            finally:
                with self._lock:
                    self._asked += len(mine)
                    for domain in mine:
                        record = found.get(domain) or DomainRecord(domain, domain, Status.UNKNOWN, reason="lookup failed")
                        self._records[domain] = replace(record, raw="")
                        self._pending.pop(domain).set()
                    while len(self._records) > MAX_REMEMBERED:
                        self._records.popitem(last=False)
        for event in waits:
            event.wait(self.settings.timeout + 30)
        with self._lock:
            return {d: self._records[d] for d in domains if d in self._records}

    def stats(self) -> dict:
        with self._lock:
            return {"domains": self._asked}


class _Manager(BaseManager):
    pass


_Manager.register("LookupService", LookupService, exposed=("lookup", "stats"))


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C does


def shared_service(settings, parallel: int):
    """(manager, proxy): a LookupService in its own process, callable from every worker."""
    manager = _Manager()
    manager.start(initializer=_ignore_sigint)
    return manager, manager.LookupService(settings, parallel)
