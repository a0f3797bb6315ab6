"""Batch mode: check exported listings by the thousand and the million.

    offercheck batch listings.csv -o checked.csv
    rows = offercheck.check_rows([{"id": "1", "text": "..."}])

Modules: `reading` (CSV/JSONL/stdin/.gz in, one `InputRow` per record), `work` (one row ->
one output row, in any process), `writing` (CSV/JSONL out, resume), `clusters` (rows that
share a contact or near-identical text), `lookup_service` (each domain looked up once per
run), `runner` (streaming, workers, progress, Ctrl-C, summary).
"""

from __future__ import annotations

__all__ = ["check_rows"]


def __getattr__(name: str):
    if name == "check_rows":
        from .work import check_rows

        return check_rows
    raise AttributeError(f"module 'offercheck.batch' has no attribute {name!r}")
