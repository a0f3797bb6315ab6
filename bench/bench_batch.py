"""Speed and memory of `offercheck batch`.

    python bench/bench_batch.py [--rows 100000] [--workers 1 4] [--network-rows 2000] [--latency 0.05]

Offline: ../shared/data/emscad/train.csv (772 postings, read-only) repeated to `--rows` rows in a
temporary CSV (deleted afterwards; nothing is written into the repository), checked with
`offercheck batch --offline` for each `--workers` value: wall time, rows/s in total and per
worker, and peak memory: the largest single process (getrusage maxrss) and the whole process
tree (parent + workers, sampled from /proc every 0.1 s).

Network: `--network-rows` rows that name `--domains` distinct domains, against the local RDAP and
WHOIS servers of bench/bench_lookups.py with `--latency` seconds of injected latency, cold cache
then warm cache; prints the requests the servers received (each domain at most once per run).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EMSCAD = ROOT.parent / "shared" / "data" / "emscad" / "train.csv"
TEXT_COLUMNS = "title,company_profile,description,requirements,benefits"
sys.path.insert(0, str(ROOT / "bench"))


def make_input(rows: int, path: Path) -> int:
    """EMSCAD postings repeated to `rows` rows with a unique id; returns the bytes written."""
    with open(EMSCAD, encoding="utf-8", newline="") as handle:
        postings = [{k: r[k] for k in TEXT_COLUMNS.split(",")} for r in csv.DictReader(handle)]
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, ["bench_id", *TEXT_COLUMNS.split(",")])
        writer.writeheader()
        for i in range(rows):
            writer.writerow({"bench_id": f"b{i}", **postings[i % len(postings)]})
    return path.stat().st_size


def _tree_rss(pid: int) -> int:
    """Resident bytes of `pid` and all its descendants (Linux /proc)."""
    total, todo = 0, [pid]
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * page
            with open(f"/proc/{current}/task/{current}/children") as handle:
                todo += [int(c) for c in handle.read().split()]
        except (OSError, ValueError):
            continue
    return total


def measure(command: list[str], env: dict | None = None) -> tuple[float, int, int, str]:
    """(wall seconds, peak tree RSS bytes, largest process maxrss bytes, stderr) of one run."""
    wrapper = [sys.executable, __file__, "--measure", "--", *command]
    started = time.perf_counter()
    process = subprocess.Popen(wrapper, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    peak = [0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], _tree_rss(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    sampler.join()
    maxrss = int(stdout.strip().splitlines()[-1]) * 1024 if stdout.strip() else 0
    return elapsed, peak[0], maxrss, stderr


def _run_measured(command: list[str]) -> int:
    """--measure: run `command`, print the largest maxrss (KiB) among it and its descendants."""
    code = subprocess.call(command)
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return code


def offline(rows: int, workers: list[int]) -> None:
    with tempfile.TemporaryDirectory(prefix="offercheck-bench-batch-") as temp:
        source = Path(temp) / "postings.csv"
        size = make_input(rows, source)
        print(f"offline: EMSCAD train repeated to {rows:,} rows ({size / 1e6:,.0f} MB), text from {TEXT_COLUMNS}")
        print(f"{'workers':>7} {'wall':>9} {'rows/s':>9} {'per worker':>11} {'tree peak':>10} {'largest proc':>13}")
        for count in workers:
            out = Path(temp) / f"out-{count}.jsonl"
            command = [sys.executable, "-m", "offercheck", "batch", str(source), "-o", str(out), "--offline",
                       "--text-columns", TEXT_COLUMNS, "--id-column", "bench_id", "--workers", str(count), "--no-progress"]
            elapsed, tree, largest, stderr = measure(command)
            written = sum(1 for _ in open(out, encoding="utf-8"))
            if written != rows:
                print(f"  warning: {written:,} rows written for {rows:,}: {stderr[-500:]}")
            rate = rows / elapsed
            print(f"{count:>7} {elapsed:8.1f}s {rate:9,.0f} {rate / count:11,.0f} {tree / 2**20:8,.0f}MB {largest / 2**20:11,.0f}MB")
        print("summary of the last run:")
        print("  " + "\n  ".join(stderr.strip().splitlines()[:6]))


def network(rows: int, distinct: int, latency: float, workers: int) -> None:
    from bench_lookups import Servers, domains

    names = domains(distinct)
    servers = Servers(latency)
    try:
        with tempfile.TemporaryDirectory(prefix="offercheck-bench-batch-") as temp:
            source = Path(temp) / "rows.csv"
            with open(source, "w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(["id", "text"])
                for i in range(rows):
                    writer.writerow([f"n{i}", f"Apply now at https://{names[i % distinct]}/jobs/{i} or write to hr@{names[(i * 7) % distinct]}"])
            env = dict(os.environ, OFFERCHECK_RDAP_URL=servers.rdap_url, OFFERCHECK_WHOIS_SERVER=servers.whois_address,
                       OFFERCHECK_CACHE_DIR=str(Path(temp) / "cache"))
            env.pop("OFFERCHECK_OFFLINE", None)
            print(f"network: {rows:,} rows naming {distinct:,} distinct domains, local RDAP/WHOIS with "
                  f"{latency * 1000:.0f} ms latency, {workers} workers")
            for label in ("cold cache", "warm cache"):
                before = servers.requests()
                command = [sys.executable, "-m", "offercheck", "batch", str(source), "-o", str(Path(temp) / "out.jsonl"),
                           "--workers", str(workers), "--no-progress", "--timeout", "60"]
                elapsed, tree, _largest, stderr = measure(command, env)
                asked = servers.requests() - before
                looked = next((line for line in stderr.splitlines() if line.startswith("domains looked up")), "")
                print(f"  {label}: {elapsed:6.1f} s, {rows / elapsed:,.0f} rows/s, {asked:,} requests to the servers, "
                      f"tree peak {tree / 2**20:,.0f} MB; {looked}")
    finally:
        servers.close()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:2] == ["--measure", "--"]:
        return _run_measured(argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workers", type=int, nargs="+", default=sorted({1, os.cpu_count() or 1}))
    parser.add_argument("--network-rows", type=int, default=2000, help="0 skips the network run")
    parser.add_argument("--domains", type=int, default=500, help="distinct domains in the network run")
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args(argv)
    if args.rows:
        offline(args.rows, args.workers)
    if args.network_rows:
        network(args.network_rows, min(args.domains, args.network_rows), args.latency, max(args.workers))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
