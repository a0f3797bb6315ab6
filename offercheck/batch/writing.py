"""Write output rows as CSV or JSONL, one complete line per row, and read back what an earlier,
interrupted run wrote (for --resume).

JSONL is the lossless format. CSV is for spreadsheets: every cell goes through
`spreadsheet_safe` (a cell that would start a formula gains a leading `'`), and line breaks
inside cells become spaces, so that one row is always one line: a file cut short by Ctrl-C or
a crash is repaired by dropping its last, incomplete line.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter
from typing import Any, Iterator, TextIO

from ..errors import UsageError
from ..formatters.json import dumps
from ..safety import spreadsheet_safe

CSV_COLUMNS = ("row", "id", "level", "score", "danger", "findings_count", "rule_ids", "rule_names", "quotes",
               "cluster_id", "cluster_size", "error")


def format_for(path: str | None, given: str | None) -> str:
    if given:
        if given not in ("csv", "jsonl"):
            raise UsageError(f"unknown output format {given!r}", "Use --format csv or --format jsonl.")
        return given
    if path and path != "-":
        name = path.lower().removesuffix(".gz")
        if name.endswith(".csv"):
            return "csv"
        if name.endswith((".jsonl", ".ndjson", ".json")):
            return "jsonl"
        raise UsageError(f"cannot tell the output format from {path!r}", "Name it .csv or .jsonl, or give --format csv|jsonl.")
    return "jsonl"


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    return spreadsheet_safe(text.replace("\r\n", " ").replace("\r", " ").replace("\n", " "))


def csv_record(row: dict[str, Any]) -> list[str]:
    findings = row.get("findings") or []
    values = dict(row)
    values["rule_ids"] = " ".join(row.get("rule_ids") or [])
    values["rule_names"] = " ".join(f["name"] for f in findings)
    values["quotes"] = " | ".join(json.dumps(f["quote"], ensure_ascii=False) for f in findings if f["quote"])
    return [csv_cell(values.get(column)) for column in CSV_COLUMNS]


def jsonl_line(row: dict[str, Any]) -> str:
    return dumps(row, indent=None) + "\n"


def csv_line(record: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(record)
    return buffer.getvalue()


class Writer:
    """Appends rows to a text stream, one whole line per write."""

    def __init__(self, stream: TextIO, fmt: str, write_header: bool) -> None:
        self.stream, self.format = stream, fmt
        if fmt == "csv" and write_header:
            stream.write(csv_line(list(CSV_COLUMNS)))

    def write(self, row: dict[str, Any]) -> None:
        self.stream.write(jsonl_line(row) if self.format == "jsonl" else csv_line(csv_record(row)))

    def flush(self) -> None:
        self.stream.flush()


def id_key(ident: str, fmt: str) -> str:
    """An input id as it appears in the output, so that resume compares like with like."""
    return csv_cell(ident) if fmt == "csv" else ident


def _complete_lines(path: str) -> int:
    """Cut a last line that has no newline (a write cut short); return the file's new size."""
    with open(path, "rb+") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        if size == 0:
            return 0
        back = min(size, 1 << 20)
        while True:
            handle.seek(size - back)
            tail = handle.read(back)
            cut = tail.rfind(b"\n")
            if cut >= 0 or back == size:
                break
            back = min(size, back * 4)
        keep = size - back + cut + 1 if cut >= 0 else 0
        if keep != size:
            handle.truncate(keep)
        return keep


def done_ids(path: str, fmt: str) -> tuple[Counter, int, bool]:
    """(how often each id is already in the output, rows, has a header) of an earlier run's file."""
    seen: Counter = Counter()
    if not os.path.exists(path) or _complete_lines(path) == 0:
        return seen, 0, False
    rows = 0
    with open(path, encoding="utf-8", newline="") as handle:
        if fmt == "csv":
            header = next(csv.reader([handle.readline()]))
            if tuple(header) != CSV_COLUMNS:
                raise UsageError(f"--resume: {path} is not an offercheck batch CSV (its header differs)",
                                 "Resume into the file an earlier run wrote, or choose a new output file.")
            column = CSV_COLUMNS.index("id")
            for line in handle:
                seen[next(csv.reader([line]))[column]] += 1
                rows += 1
        else:
            for number, line in enumerate(handle, start=1):
                try:
                    seen[str(json.loads(line)["id"])] += 1
                except (ValueError, KeyError, TypeError):
                    raise UsageError(f"--resume: line {number} of {path} is not an offercheck batch row",
                                     "Resume into the file an earlier run wrote, or choose a new output file.") from None
                rows += 1
    return seen, rows, fmt == "csv"


def rewrite_clusters(path: str, fmt: str, assign: "Callable[[int], tuple[int | None, int]]") -> None:  # noqa: F821
    """Fill cluster_id/cluster_size of every row of a finished output file, via a temporary file
    in the same folder and an atomic rename: the file stays valid if this is interrupted."""
    folder = os.path.dirname(os.path.abspath(path))
    temp = os.path.join(folder, f".{os.path.basename(path)}.clusters-tmp")
    with open(path, encoding="utf-8", newline="") as source, open(temp, "w", encoding="utf-8", newline="") as target:
        for line in _rows_with_clusters(source, fmt, assign):
            target.write(line)
    os.replace(temp, path)


def _rows_with_clusters(source: TextIO, fmt: str, assign) -> Iterator[str]:
    if fmt == "jsonl":
        for line in source:
            row = json.loads(line)
            row["cluster_id"], row["cluster_size"] = assign(int(row["row"]))
            yield jsonl_line(row)
        return
    yield source.readline()
    id_at, size_at = CSV_COLUMNS.index("cluster_id"), CSV_COLUMNS.index("cluster_size")
    for line in source:
        record = next(csv.reader([line]))
        cluster, size = assign(int(record[0]))
        record[id_at], record[size_at] = csv_cell(cluster), csv_cell(size)
        yield csv_line(record)
