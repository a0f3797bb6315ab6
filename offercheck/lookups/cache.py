"""A persistent SQLite cache of lookup results, keyed by registrable domain.

It holds only what registries said (the DomainRecord and the raw answer), never offer text.
Answers stay fresh for 7 days, failures for 1 hour; SKIPPED records are never stored. WAL mode
and a busy timeout let several processes (batch mode) read and write at once. The folder is
created 0700 and the file 0600. A cache that cannot be used (corrupt, unwritable, locked) is
reported once per process and bypassed: a lookup never fails because of its cache.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from contextlib import suppress
from dataclasses import replace
from pathlib import Path
from typing import Iterable

from ..model import Status
from .record import DomainRecord

LOG = logging.getLogger(__name__)

FILE_NAME = "lookups.sqlite3"
FRESH_FOR = {Status.KNOWN: 7 * 24 * 3600, Status.UNKNOWN: 3600}  # seconds
BUSY_TIMEOUT_S = 5.0
_REPORTED: set[str] = set()

_SCHEMA = """
CREATE TABLE IF NOT EXISTS domain_lookups_v1 (
    domain TEXT PRIMARY KEY,   -- registrable domain, ASCII
    stored_at REAL NOT NULL,   -- unix time
    expires_at REAL NOT NULL,  -- unix time; rows past it are never served
    record TEXT NOT NULL,      -- DomainRecord.to_dict() as JSON
    raw TEXT NOT NULL          -- the registry's raw answer (capped)
);
CREATE INDEX IF NOT EXISTS domain_lookups_v1_expires ON domain_lookups_v1 (expires_at);
"""


def _now() -> float:
    """The clock; tests move it to expire entries."""
    return time.time()


def default_cache_dir() -> Path:
    try:
        import platformdirs
    except ImportError:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        return Path(base) / "offercheck"
    return Path(platformdirs.user_cache_dir("offercheck", appauthor=False))


def _report(path: Path, action: str, exc: BaseException) -> None:
    key = str(path)
    if key in _REPORTED:
        LOG.debug("lookup cache %s still unusable: %s", path, exc)
        return
    _REPORTED.add(key)
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc)):
        LOG.warning("The lookup cache at %s was busy while %s (%s); continuing without it for now.", path, action, exc)
    else:
        LOG.warning("The lookup cache at %s cannot be used (%s while %s); continuing without it. "
                    "Delete the file, or use --no-cache or --cache-dir, to stop this message.",
                    path, f"{type(exc).__name__}: {exc}", action)


def _create_private_file(path: Path) -> None:
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    os.close(os.open(path, flags, 0o600))
    info = os.stat(path)
    getuid = getattr(os, "getuid", None)  # POSIX only
    if info.st_mode & 0o077 and getuid is not None and info.st_uid == getuid():
        os.chmod(path, 0o600)


def _use_wal(db: sqlite3.Connection) -> None:
    """Switch to WAL. On a new file several processes may race to do it, and SQLite then answers
    "database is locked" at once instead of waiting for its busy timeout: retry, with back-off."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    pause = 0.005
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode = WAL").fetchone()
            return
        except sqlite3.OperationalError as exc:
            if not ("locked" in str(exc) or "busy" in str(exc)) or time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.1)


class LookupCache:
    """One connection to the cache file; use as a context manager, from one thread."""

    def __init__(self, path: Path, db: sqlite3.Connection) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = db

    @classmethod
    def open(cls, directory: str | os.PathLike | None = None) -> "LookupCache | None":
        """The cache in `directory` (default: the user cache dir), or None if it cannot be used."""
        folder = Path(directory) if directory is not None else default_cache_dir()
        path = folder / FILE_NAME
        db = None
        try:
            if not folder.is_dir():
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                os.chmod(folder, 0o700)
            _create_private_file(path)
            db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            _use_wal(db)
            db.execute("PRAGMA synchronous = NORMAL")
            db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            if db is not None:
                db.close()
            _report(path, "opening it", exc)
            return None
        return cls(path, db)

    def __enter__(self) -> "LookupCache":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _fail(self, action: str, exc: BaseException) -> None:
        _report(self.path, action, exc)
        self.close()

    def get_many(self, domains: Iterable[str]) -> dict[str, DomainRecord]:
        """Fresh entries for `domains`, as records with source="cache"."""
        wanted = sorted(set(domains))
        found: dict[str, DomainRecord] = {}
        if self._db is None or not wanted:
            return found
        now = _now()
        try:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                rows = self._db.execute(
                    f"SELECT domain, record, raw FROM domain_lookups_v1 WHERE expires_at > ? "
                    f"AND domain IN ({','.join('?' * len(chunk))})", (now, *chunk)).fetchall()
                for domain, record, raw in rows:
                    try:
                        found[domain] = replace(DomainRecord.from_dict(json.loads(record), raw), source="cache")
                    except (ValueError, KeyError, TypeError):
                        LOG.debug("ignoring an unreadable cache entry for %s", domain)
        except sqlite3.Error as exc:
            self._fail("reading it", exc)
            return {}
        return found

    def put_many(self, records: Iterable[DomainRecord]) -> int:
        """Store answers (7 days) and failures (1 hour); returns how many were stored."""
        if self._db is None:
            return 0
        now = _now()
        rows = [(r.domain, now, now + FRESH_FOR[r.status], json.dumps(r.to_dict(), ensure_ascii=False), r.raw)
                for r in records if r.status in FRESH_FOR and r.source != "cache"]
        if not rows:
            return 0
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany("INSERT OR REPLACE INTO domain_lookups_v1 VALUES (?, ?, ?, ?, ?)", rows)
                self._db.execute("DELETE FROM domain_lookups_v1 WHERE expires_at <= ?", (now,))
                self._db.execute("COMMIT")
            except BaseException:
                with suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            self._fail("writing to it", exc)
            return 0
        return len(rows)
