"""Speed of the registration lookups (offercheck.lookups) against local servers.

    python bench/bench_lookups.py [--count 1000] [--latency 0.05] [--concurrency 16 64]

Starts an RDAP server and a WHOIS server on 127.0.0.1 (tests/servers.py) that answer every
domain after `--latency` seconds, then looks up `--count` distinct domains (about 80 % under
TLDs with RDAP, 20 % under TLDs that only have WHOIS) and prints wall time and lookups per
second: sequential (max_concurrency=1) against concurrent, with a cold and then a warm cache
(a fresh temporary cache directory per cold run). The servers run in a child process, as
real ones would, so that their threads do not take the lookups' CPU. Nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from servers import HTTPTestServer, Reply, WhoisReply, WhoisTestServer  # noqa: E402

from offercheck.lookups import LookupSettings, lookup_domains  # noqa: E402
from offercheck.model import Status  # noqa: E402

RDAP_TLDS = ("com", "net", "org", "xyz", "top", "online", "site", "info", "co.uk", "shop")
WHOIS_TLDS = ("io", "de", "co", "me", "eu")


def domains(count: int) -> list[str]:
    names = []
    for i in range(count):
        tlds = WHOIS_TLDS if i % 5 == 4 else RDAP_TLDS
        names.append(f"bench-offer-{i:05d}.{tlds[i % len(tlds)]}")
    return names


def rdap_answer(path: str) -> Reply:
    name = path.rsplit("/", 1)[-1]
    return Reply(body=json.dumps({
        "objectClassName": "domain", "ldhName": name, "status": ["client transfer prohibited"],
        "events": [{"eventAction": "registration", "eventDate": "2026-10-01T12:00:00Z"},
                   {"eventAction": "expiration", "eventDate": "2027-10-01T12:00:00Z"}],
        "entities": [{"objectClassName": "entity", "roles": ["registrar"],
                      "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Bench Registrar"]]]}],
    }))


def whois_answer(query: str) -> WhoisReply:
    name = query.split()[-1]
    return WhoisReply(f"Domain Name: {name.upper()}\r\nCreation Date: 2026-10-01T12:00:00Z\r\n"
                      f"Registry Expiry Date: 2027-10-01T12:00:00Z\r\nRegistrar: Bench Registrar\r\n"
                      f"Domain Status: clientTransferProhibited https://icann.org/epp#clientTransferProhibited\r\n")


class Servers:
    """The RDAP and WHOIS servers, in a child process so that their threads do not compete with
    the lookups for this interpreter's GIL. Line protocol on its stdin: "count" -> "RDAP WHOIS"."""

    def __init__(self, latency: float) -> None:
        self.child = subprocess.Popen([sys.executable, __file__, "--serve", str(latency)], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, text=True)
        self.rdap_url, self.whois_address = self.child.stdout.readline().split()

    def requests(self) -> int:
        self.child.stdin.write("count\n")
        self.child.stdin.flush()
        return sum(int(n) for n in self.child.stdout.readline().split())

    def close(self) -> None:
        self.child.stdin.close()
        try:
            self.child.wait(10)
        except subprocess.TimeoutExpired:
            self.child.kill()
            self.child.wait()


def serve(latency: float) -> int:
    with HTTPTestServer(latency=latency) as rdap, WhoisTestServer(latency=latency) as whois:
        rdap.fallback, whois.fallback = rdap_answer, whois_answer
        print(rdap.url, whois.address, flush=True)
        for line in sys.stdin:
            if line.strip() == "count":
                print(rdap.count(), len(whois.queries), flush=True)
    return 0


def run(label: str, names: list[str], settings: LookupSettings, servers: Servers) -> None:
    asked_before = servers.requests()
    started = time.perf_counter()
    records = lookup_domains(names, settings)
    elapsed = time.perf_counter() - started
    asked = servers.requests() - asked_before
    sources = Counter(r.source for r in records.values())
    known = sum(r.status is Status.KNOWN for r in records.values())
    if known != len(names):
        bad = next(r for r in records.values() if r.status is not Status.KNOWN)
        print(f"  warning: {len(names) - known} not known, e.g. {bad.domain}: {bad.reason}")
    print(f"{label:<30} {elapsed:8.2f} s {len(names) / elapsed:10,.0f} lookups/s {asked:6d} requests   "
          f"{dict(sorted(sources.items()))}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds each server waits before answering")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--skip-sequential", action="store_true", help="the sequential run takes count x latency")
    parser.add_argument("--serve", type=float, metavar="LATENCY", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve is not None:
        return serve(args.serve)
    names = domains(args.count)
    print(f"{args.count:,} distinct domains ({sum(n.endswith(WHOIS_TLDS) for n in names)} of them by WHOIS), "
          f"local RDAP and WHOIS servers with {args.latency * 1000:.0f} ms latency")
    servers = Servers(args.latency)
    try:
        with tempfile.TemporaryDirectory(prefix="offercheck-bench-") as temp:
            def settings(concurrency: int, cache: str | None) -> LookupSettings:
                return LookupSettings(rdap_url=servers.rdap_url, whois_server=servers.whois_address,
                                      cache_dir=str(Path(temp) / cache) if cache else None, use_cache=cache is not None,
                                      timeout=600.0, per_lookup_timeout=10.0, max_concurrency=concurrency)

            print(f"{'run':<30} {'wall':>10} {'rate':>20} {'sent':>14}")
            if not args.skip_sequential:
                run("sequential, cold cache", names, settings(1, "sequential"), servers)
                run("sequential, warm cache", names, settings(1, "sequential"), servers)
            for concurrency in args.concurrency:
                cache = f"concurrent-{concurrency}"
                run(f"concurrent ({concurrency}), cold cache", names, settings(concurrency, cache), servers)
                run(f"concurrent ({concurrency}), warm cache", names, settings(concurrency, cache), servers)
            run(f"concurrent ({args.concurrency[0]}), no cache", names, settings(args.concurrency[0], None), servers)
    finally:
        servers.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
