"""Speed and detection figures for `offercheck check` on the shared labelled data.

    python bench/bench_check.py [--data ../shared/data]

Prints offers per second (one core, offline) and, per level threshold, recall on fraudulent
postings and the false-positive rate on legitimate ones (EMSCAD train part), and the share
of ordinary SMS messages (UCI SMS Spam Collection, 'ham') that reach each level. The counting
and the Wilson intervals are offercheck.evaluate's, the same as `offercheck eval`. The data
is read from ../shared/data and never copied into the repository.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from functools import partial
from pathlib import Path

from offercheck.api import check_text
from offercheck.evaluate import LabelledItem, evaluate
from offercheck.evaluate.render import fmt_rate
from offercheck.model import Level

TEXT_COLUMNS = ("title", "location", "company_profile", "description", "requirements", "benefits")


def posting_text(row: dict) -> str:
    return "\n".join(f"{c}: {row[c]}" for c in TEXT_COLUMNS if row.get(c))


def run_emscad(path: Path) -> None:
    csv.field_size_limit(sys.maxsize)
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    items = [LabelledItem(str(i), posting_text(r), r["fraudulent"] == "1") for i, r in enumerate(rows, 1)]
    check_text("warm-up", country="US")
    start = time.perf_counter()
    result = evaluate(items, check=partial(check_text, country="US", offline=True))
    elapsed = time.perf_counter() - start
    size = sum(len(i.text) for i in items) / len(items)
    print(f"EMSCAD train: {len(rows)} postings (mean {size:,.0f} chars), {elapsed:.2f} s on one core: "
          f"{len(rows) / elapsed:,.0f} offers/s ({1000 * elapsed / len(rows):.2f} ms each)")
    print(f"{'level >=':<10} {'recall on fraud':>28} {'false-positive rate on legit':>32}")
    for t in result.thresholds:
        print(f"{t.level.label:<10} {fmt_rate(t.recall):>28}   {fmt_rate(t.false_positive_rate):>30}")
    print("most frequent rules (fraud hits / legit hits):")
    for r in result.rules[:15]:
        print(f"  {r.rule_id:<5} {r.on_positives.hits:>4} / {r.on_negatives.hits:<4}")


def run_sms(path: Path) -> None:
    ham = []
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            label, _, text = line.rstrip("\n").partition("\t")
            if label == "ham" and text.strip():
                ham.append(LabelledItem(str(len(ham) + 1), text, False))
    start = time.perf_counter()
    result = evaluate(ham, check=partial(check_text, country="GB", offline=True), at=Level.MEDIUM)
    elapsed = time.perf_counter() - start
    print(f"SMS ham: {len(ham)} ordinary messages, {len(ham) / elapsed:,.0f} messages/s")
    for level in (Level.MEDIUM, Level.HIGH):
        print(f"  reach {level.label:<7} or above: {fmt_rate(result.threshold(level).false_positive_rate, 4)}")
    flagged: dict[str, int] = {}
    for o in result.wrongly_flagged:
        for rule_id, _ in o.rules:
            flagged[rule_id] = flagged.get(rule_id, 0) + 1
    if flagged:
        ranked = sorted(flagged.items(), key=lambda kv: -kv[1])[:8]
        print("  rules behind them: " + ", ".join(f"{k} x{v}" for k, v in ranked))


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
