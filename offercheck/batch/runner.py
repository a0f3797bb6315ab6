"""Run a batch: read rows as a stream, check them on every core, write them in input order.

Memory stays flat: rows are read lazily, at most `3 x workers` chunks are in flight
(`Pool.imap` would read the whole input ahead into its task queue; bounded `apply_async`
windows keep ordered results without that), output and cluster keys are flushed every half
second, and clusters are computed at the end from the keys file (clusters.py).

Ctrl-C stops reading, drops the rows in flight, flushes every finished row and prints how to
resume; a second Ctrl-C stops at once (the output is still whole lines).
"""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, TextIO

from .clusters import Clusters, KeyStore, build
from .reading import Columns, InputRow, Opened, open_rows
from .work import Settings, check_row
from .writing import Writer, done_ids, format_for, id_key, rewrite_clusters

CHUNK_BYTES = 4 * 1024 * 1024  # a chunk is cut early when its texts pass this
FLUSH_SECONDS = 0.5


@dataclass
class Job:
    input: str
    output: str | None = None  # None or "-": standard output
    out_format: str | None = None
    in_format: str | None = None
    columns: Columns = Columns()
    encoding: str | None = None
    delimiter: str | None = None
    max_bytes: int = 1_000_000
    workers: int = 1
    chunk_rows: int = 16
    resume: bool = False
    progress: bool | None = None  # None: only when stderr is a terminal
    settings: Settings = Settings()
    lookup_settings: Any = None  # LookupSettings when online
    lookup_parallel: int = 4


@dataclass
class Outcome:
    rows: int = 0  # input rows seen (skipped ones included)
    written: int = 0
    skipped: int = 0  # already in the output (--resume)
    errors: int = 0
    levels: Counter = field(default_factory=Counter)
    rules: Counter = field(default_factory=Counter)
    first_errors: list[str] = field(default_factory=list)
    at_or_above: Counter = field(default_factory=Counter)  # level label -> rows
    elapsed: float = 0.0
    interrupted: bool = False
    clusters: Clusters | None = None
    clusters_partial: bool = False
    opened: Opened | None = None
    output_format: str = "jsonl"
    domains_looked_up: int | None = None


class _Stop(Exception):
    pass


def progress_wanted(option: bool | None, stream: TextIO) -> bool:
    """The live bar is for people: on only when `stream` is a terminal (or forced)."""
    if option is not None:
        return option
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# --- workers -----------------------------------------------------------------------------------

_STATE: dict[str, Any] = {}


def _init_worker(settings: Settings, service) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C does
    logging.getLogger("offercheck").setLevel(logging.CRITICAL)  # a check's error is the row's `error`
    _STATE["settings"], _STATE["lookup"] = settings, (service.lookup if service is not None else None)


def _check_chunk(rows: list[InputRow]) -> list[tuple[dict, list]]:
    return [check_row(row, _STATE["settings"], _STATE["lookup"]) for row in rows]


def _chunks(rows: Iterable[InputRow], job: Job, skip: Counter, fmt: str, outcome: Outcome,
            stop: threading.Event) -> Iterator[list[InputRow]]:
    seen: Counter = Counter()
    chunk: list[InputRow] = []
    size = 0
    for row in rows:
        if stop.is_set():
            break
        outcome.rows = max(outcome.rows, row.row)
        if skip:
            key = id_key(row.id, fmt)
            seen[key] += 1
            if seen[key] <= skip[key]:
                outcome.skipped += 1
                continue
        chunk.append(row)
        size += len(row.text)
        if len(chunk) >= job.chunk_rows or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _results(chunks: Iterator[list[InputRow]], job: Job, service, stop: threading.Event) -> Iterator[list]:
    if job.workers <= 1:
        lookup = service.lookup if service is not None else None
        for chunk in chunks:
            yield [check_row(row, job.settings, lookup) for row in chunk]
        return
    import multiprocessing

    with multiprocessing.get_context().Pool(job.workers, initializer=_init_worker, initargs=(job.settings, service)) as pool:
        pending: deque = deque()
        window = 3 * job.workers
        for chunk in chunks:
            pending.append(pool.apply_async(_check_chunk, (chunk,)))
            while len(pending) >= window:
                yield _wait(pending.popleft(), stop)
        while pending:
            yield _wait(pending.popleft(), stop)


def _wait(result, stop: threading.Event):
    from multiprocessing import TimeoutError as Timeout

    while True:
        try:
            return result.get(0.2)
        except Timeout:
            if stop.is_set():
                raise _Stop from None


# --- the run ---------------------------------------------------------------------------------------


class _Progress:
    def __init__(self, enabled: bool, opened: Opened) -> None:
        self.bar = None
        self.opened = opened
        self.started = time.perf_counter()
        if not enabled:
            return
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(
            TextColumn("{task.fields[rows]:>10,} rows"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
            TextColumn("{task.fields[rate]:>7,.0f} rows/s"), TimeRemainingColumn(),
            TextColumn("{task.fields[errors]:,} errors"), console=Console(stderr=True), transient=True,
        )
        self.task = self.bar.add_task("batch", total=opened.size, rows=0, rate=0.0, errors=0)
        self.bar.start()

    def update(self, outcome: Outcome) -> None:
        if self.bar is None:
            return
        elapsed = max(time.perf_counter() - self.started, 1e-6)
        self.bar.update(self.task, completed=self.opened.position() or 0, rows=outcome.written + outcome.skipped,
                        rate=outcome.written / elapsed, errors=outcome.errors)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _record(outcome: Outcome, row: dict) -> None:
    outcome.written += 1
    if row.get("error"):
        outcome.errors += 1
        if len(outcome.first_errors) < 3:
            outcome.first_errors.append(row["error"])
    if row.get("level"):
        outcome.levels[row["level"]] += 1
        outcome.rules.update(dict.fromkeys(row.get("rule_ids") or (), 1))


def _install_sigint(stop: threading.Event) -> Callable[[], None]:
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.getsignal(signal.SIGINT)

    def handler(_signum, _frame) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    signal.signal(signal.SIGINT, handler)
    return lambda: signal.signal(signal.SIGINT, previous)


def run(job: Job, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> Outcome:
    """Run `job`; raises InputError/UsageError before the first row for an unusable input."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    to_stdout = job.output in (None, "-")
    if to_stdout and job.resume:
        from ..errors import UsageError

        raise UsageError("--resume needs an output file", "Give the file the earlier run wrote with -o.")
    fmt = format_for(None if to_stdout else job.output, job.out_format)
    opened = open_rows(job.input, columns=job.columns, fmt=job.in_format, encoding=job.encoding,
                       delimiter=job.delimiter, max_bytes=job.max_bytes)
    outcome = Outcome(opened=opened, output_format=fmt)
    spool_dir = tempfile.mkdtemp(prefix="offercheck-batch-") if to_stdout else None
    path = os.path.join(spool_dir, f"out.{fmt}") if spool_dir else job.output
    keys_path = f"{path}.offercheck-keys"
    skip: Counter = Counter()
    done_rows, has_header = 0, False
    want_clusters = job.settings.clusters
    if job.resume:
        skip, done_rows, has_header = done_ids(path, fmt)
        if done_rows > 0 and not os.path.exists(keys_path):
            want_clusters = False  # the earlier run finished (or lost its keys): keep its cluster columns
            outcome.clusters_partial = True
    else:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(keys_path + suffix):
                os.remove(keys_path + suffix)
    try:
        stream = open(path, "a" if job.resume else "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        from ..errors import UsageError

        opened.close()
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}", "Check the output folder exists and is writable.") from None
    keys = KeyStore(keys_path) if want_clusters else None
    writer = Writer(stream, fmt, write_header=not has_header)
    stop = threading.Event()
    restore_sigint = _install_sigint(stop)
    service, manager = _lookup_service(job)
    progress = _Progress(progress_wanted(job.progress, stderr), opened)
    started = time.perf_counter()
    level_order = ("low", "medium", "high", "critical")
    lines: list[str] = []
    last_flush = time.monotonic()

    def flush() -> None:
        if keys is not None:
            keys.flush()  # keys first: a row in the output always has its keys
        writer.stream.write("".join(lines))
        writer.flush()
        lines.clear()

    previous_level = logging.getLogger("offercheck").level
    logging.getLogger("offercheck").setLevel(logging.CRITICAL)
    try:
        for results in _results(_chunks(opened.rows, job, skip, fmt, outcome, stop), job, service, stop):
            for row, row_keys in results:
                lines.append(_line(writer, row))
                if keys is not None:
                    keys.add(row["row"], row_keys)
                _record(outcome, row)
                if row.get("level"):
                    for label in level_order[: level_order.index(row["level"]) + 1]:
                        outcome.at_or_above[label] += 1
            if time.monotonic() - last_flush >= FLUSH_SECONDS:
                flush()
                progress.update(outcome)
                last_flush = time.monotonic()
            if stop.is_set():
                break
    except (_Stop, KeyboardInterrupt):
        stop.set()
    finally:
        flush()
        logging.getLogger("offercheck").setLevel(previous_level)
        progress.close()
        restore_sigint()
        stream.close()
        opened.close()
        if keys is not None:
            keys.close()
        if service is not None:
            try:
                outcome.domains_looked_up = service.stats()["domains"]
            except Exception:  # noqa: BLE001 - the manager may be gone after Ctrl-C
                pass
        if manager is not None:
            manager.shutdown()
    outcome.interrupted = stop.is_set()
    if not outcome.interrupted and keys is not None:
        outcome.clusters = build(keys_path, outcome.rows)
        rewrite_clusters(path, fmt, outcome.clusters.assign)
        keys.remove()
    outcome.elapsed = time.perf_counter() - started
    if spool_dir:
        with open(path, encoding="utf-8", newline="") as handle:  # whole rows, interrupted or not
            shutil.copyfileobj(handle, stdout)
        stdout.flush()
        shutil.rmtree(spool_dir, ignore_errors=True)
    return outcome


def _line(writer: Writer, row: dict) -> str:
    from .writing import csv_line, csv_record, jsonl_line

    return jsonl_line(row) if writer.format == "jsonl" else csv_line(csv_record(row))


def _lookup_service(job: Job):
    """(service, manager): None when offline; in-process for one worker, else a shared one."""
    if job.lookup_settings is None:
        return None, None
    from .lookup_service import LookupService, shared_service

    if job.workers <= 1:
        return LookupService(job.lookup_settings, job.lookup_parallel), None
    manager, proxy = shared_service(job.lookup_settings, job.lookup_parallel)
    return proxy, manager


def resume_hint(job: Job) -> str:
    return (f"offercheck batch {shlex.quote(job.input)} -o {shlex.quote(job.output or '')} --resume"
            " (with the same options as before)")


def summary(outcome: Outcome, job: Job) -> list[str]:
    """The end-of-run summary, one line each (callers make them terminal-safe)."""
    rate = outcome.written / outcome.elapsed if outcome.elapsed else 0.0
    levels = ", ".join(f"{outcome.levels[name]:,} {name}" for name in ("low", "medium", "high", "critical"))
    lines = [f"offercheck batch: {outcome.written:,} rows checked in {outcome.elapsed:.1f} s "
             f"({rate:,.0f} rows/s, {job.workers} worker{'s' if job.workers != 1 else ''}): {levels}; "
             f"{outcome.errors:,} error{'s' if outcome.errors != 1 else ''}"]
    if outcome.skipped:
        lines.append(f"resumed: {outcome.skipped:,} rows were already in the output and were skipped")
    opened = outcome.opened
    if opened is not None:
        how = f"{opened.format}, {opened.encoding}{' (guessed; set it with --encoding)' if opened.encoding_guessed else ''}"
        if opened.delimiter:
            how += ", delimiter " + {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}.get(opened.delimiter, repr(opened.delimiter))
        lines.append(f"input: {how}; text from {', '.join(opened.text_columns)}")
    if outcome.rules:
        top = ", ".join(f"{rule} x{count:,}" for rule, count in outcome.rules.most_common(8))
        lines.append(f"most frequent rules (rows): {top}")
    for message in outcome.first_errors:
        lines.append(f"error: {message}")
    if outcome.errors > len(outcome.first_errors):
        lines.append(f"... and {outcome.errors - len(outcome.first_errors):,} more rows with an error (see the error column)")
    if outcome.domains_looked_up is not None:
        lines.append(f"domains looked up: {outcome.domains_looked_up:,} distinct (each once; cached across runs)")
    if outcome.clusters is not None:
        linked = [c for c in outcome.clusters.largest]
        if linked:
            lines.append("largest clusters (rows linked by shared contacts or near-identical text):")
            for cluster in linked:
                shared = "; ".join(f"{what} ({count} rows)" for what, count in cluster.links)
                lines.append(f"  cluster {cluster.cluster_id}: {cluster.size:,} rows: {shared}")
        else:
            lines.append("clusters: no rows share a contact, a domain or near-identical text")
    if outcome.clusters_partial:
        lines.append("note: cluster columns not recomputed: the earlier run's keys file is gone (it is removed when a run completes)")
    return lines
