"""Cross-row links: rows that share a phone, e-mail, messaging handle, wallet or domain, or whose
texts are near-identical (MinHash bands, see work.text_keys), grouped with union-find.

Design, for flat memory: output rows are streamed, so cluster columns cannot be known when a
row is written. Each row's keys (64-bit hashes, a few per row; never its text) go to a small
SQLite file beside the output (`OUTPUT.offercheck-keys`) as the row is written, and survive
an interruption, so `--resume` keeps them. When every row is done, one pass over the keys
sorted by hash links rows (union-find over an int array indexed by row number: 8 bytes a row),
then the output file is rewritten once with `cluster_id` (the lowest row number in the
cluster) and `cluster_size`, and the keys file is deleted.
"""

from __future__ import annotations

import os
import sqlite3
from array import array
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable


class KeyStore:
    """Append-only (row, hash) pairs plus a label for contact keys, in SQLite."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS keys (hash INTEGER NOT NULL, row INTEGER NOT NULL)")
        self.db.execute("CREATE TABLE IF NOT EXISTS labels (hash INTEGER PRIMARY KEY, label TEXT NOT NULL)")
        self._keys: list[tuple[int, int]] = []
        self._labels: list[tuple[int, str]] = []

    def add(self, row: int, keys: Iterable[tuple[int, str]]) -> None:
        for value, label in keys:
            self._keys.append((value, row))
            if label:
                self._labels.append((value, label))

    def flush(self) -> None:
        with self.db:
            self.db.executemany("INSERT INTO keys VALUES (?, ?)", self._keys)
            self.db.executemany("INSERT OR IGNORE INTO labels VALUES (?, ?)", self._labels)
        self._keys.clear()
        self._labels.clear()

    def close(self) -> None:
        self.flush()
        self.db.close()

    def remove(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            try:
                os.remove(self.path + suffix)
            except FileNotFoundError:
                pass


@dataclass
class Cluster:
    cluster_id: int
    size: int
    links: list[tuple[str, int]]  # (what is shared, rows sharing it), most shared first


@dataclass
class Clusters:
    parent: array = field(default_factory=lambda: array("q"))
    size: array = field(default_factory=lambda: array("q"))
    lowest: array = field(default_factory=lambda: array("q"))
    largest: list[Cluster] = field(default_factory=list)

    def find(self, row: int) -> int:
        parent = self.parent
        root = row
        while parent[root] != root:
            root = parent[root]
        while parent[row] != root:  # path compression
            parent[row], row = root, parent[row]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        self.lowest[ra] = min(self.lowest[ra], self.lowest[rb])

    def assign(self, row: int) -> tuple[int | None, int]:
        """(cluster_id, cluster_size): (None, 1) for a row linked to no other."""
        if row >= len(self.parent):
            return None, 1
        root = self.find(row)
        return (self.lowest[root], self.size[root]) if self.size[root] > 1 else (None, 1)


def build(path: str, rows: int, top: int = 5) -> Clusters:
    """Union-find over the keys in `path` for rows 1..`rows`."""
    result = Clusters(array("q", range(rows + 1)), array("q", [1]) * (rows + 1), array("q", range(rows + 1)))
    db = sqlite3.connect(path)
    try:
        previous_hash, first = None, 0
        for value, row in db.execute("SELECT hash, row FROM keys WHERE row <= ? ORDER BY hash", (rows,)):
            if value != previous_hash:
                previous_hash, first = value, row
            elif row != first:
                result.union(first, row)
        result.largest = _largest(db, result, rows, top)
    finally:
        db.close()
    return result


def _largest(db: sqlite3.Connection, clusters: Clusters, rows: int, top: int) -> list[Cluster]:
    roots = Counter({r: clusters.size[r] for r in range(1, rows + 1) if clusters.parent[r] == r and clusters.size[r] > 1})
    chosen = dict(roots.most_common(top))
    shared: dict[int, Counter] = {root: Counter() for root in chosen}
    query = "SELECT hash, COUNT(DISTINCT row), MIN(row) FROM keys WHERE row <= ? GROUP BY hash HAVING COUNT(DISTINCT row) > 1"
    for value, count, row in db.execute(query, (rows,)):
        root = clusters.find(row)
        if root in shared:
            shared[root][value] = count
    out = []
    for root, size in chosen.items():
        links = []
        text_rows = 0
        for value, count in shared[root].most_common():
            label = db.execute("SELECT label FROM labels WHERE hash = ?", (value,)).fetchone()
            if label:
                if len(links) < 3:
                    links.append((label[0], count))
            else:
                text_rows = max(text_rows, count)
        if text_rows:
            links.append(("near-identical text", text_rows))
        out.append(Cluster(clusters.lowest[root], size, links))
    return out
