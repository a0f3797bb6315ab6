"""Speed and detection figures for `offercheck check` on the shared labelled data.

    python bench/bench_check.py [--data ../shared/data]

Prints offers per second (one core, offline) and, per level threshold, recall on fraudulent
postings and the false-positive rate on legitimate ones (EMSCAD train part), and the share
of ordinary SMS messages (UCI SMS Spam Collection, 'ham') that reach each level. The data
is read from ../shared/data and never copied into the repository.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time
from collections import Counter
from pathlib import Path

from offercheck.api import check_text
from offercheck.model import Level

TEXT_COLUMNS = ("title", "location", "company_profile", "description", "requirements", "benefits")


def wilson(hits: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval for a proportion."""
    if total == 0:
        return (0.0, 0.0)
    p = hits / total
    denom = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denom
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def posting_text(row: dict) -> str:
    return "\n".join(f"{c}: {row[c]}" for c in TEXT_COLUMNS if row.get(c))


def run_emscad(path: Path) -> None:
    csv.field_size_limit(sys.maxsize)
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    texts = [posting_text(r) for r in rows]
    labels = [r["fraudulent"] == "1" for r in rows]
    check_text("warm-up", country="US")
    start = time.perf_counter()
    reports = [check_text(t, country="US") for t in texts]
    elapsed = time.perf_counter() - start
    size = sum(len(t) for t in texts) / len(texts)
    print(f"EMSCAD train: {len(rows)} postings (mean {size:,.0f} chars), {elapsed:.2f} s on one core: "
          f"{len(rows) / elapsed:,.0f} offers/s ({1000 * elapsed / len(rows):.2f} ms each)")
    fraud_total = sum(labels)
    legit_total = len(labels) - fraud_total
    print(f"{'level >=':<10} {'recall on fraud':>28} {'false-positive rate on legit':>32}")
    for level in (Level.MEDIUM, Level.HIGH, Level.CRITICAL):
        tp = sum(1 for r, y in zip(reports, labels) if y and r.level >= level)
        fp = sum(1 for r, y in zip(reports, labels) if not y and r.level >= level)
        lo, hi = wilson(tp, fraud_total)
        flo, fhi = wilson(fp, legit_total)
        print(f"{level.label:<10} {tp:>4}/{fraud_total} = {tp / fraud_total:5.3f} [{lo:.3f}-{hi:.3f}]"
              f"   {fp:>4}/{legit_total} = {fp / legit_total:5.3f} [{flo:.3f}-{fhi:.3f}]")
    fired_fraud = Counter(f.rule_id for r, y in zip(reports, labels) if y for f in r.findings)
    fired_legit = Counter(f.rule_id for r, y in zip(reports, labels) if not y for f in r.findings)
    print("most frequent rules (fraud hits / legit hits):")
    for rule_id, _ in (fired_fraud + fired_legit).most_common(15):
        print(f"  {rule_id:<5} {fired_fraud[rule_id]:>4} / {fired_legit[rule_id]:<4}")


def run_sms(path: Path) -> None:
    ham = []
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            label, _, text = line.rstrip("\n").partition("\t")
            if label == "ham" and text.strip():
                ham.append(text)
    start = time.perf_counter()
    reports = [check_text(t, country="GB") for t in ham]
    elapsed = time.perf_counter() - start
    print(f"SMS ham: {len(ham)} ordinary messages, {len(ham) / elapsed:,.0f} messages/s")
    for level in (Level.MEDIUM, Level.HIGH):
        n = sum(1 for r in reports if r.level >= level)
        lo, hi = wilson(n, len(ham))
        print(f"  reach {level.label:<7} or above: {n}/{len(ham)} = {n / len(ham):.4f} [{lo:.4f}-{hi:.4f}]")
    flagged = Counter(f.rule_id for r in reports if r.level >= Level.MEDIUM for f in r.findings)
    if flagged:
        print("  rules behind them: " + ", ".join(f"{k} x{v}" for k, v in flagged.most_common(8)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "data")
    args = parser.parse_args()
    emscad = args.data / "emscad" / "train.csv"
    sms = args.data / "sms" / "SMSSpamCollection"
    if not emscad.exists():
        sys.exit(f"bench: {emscad} not found; pass --data DIR (the shared data folder)")
    run_emscad(emscad)
    if sms.exists():
        run_sms(sms)


if __name__ == "__main__":
    main()
