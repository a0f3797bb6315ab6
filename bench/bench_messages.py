"""Detection on recruitment messages: the project's English message files, rules alone and with the models.

    python bench/bench_messages.py [--data ../shared/data]

Files (bench/messages*/README.md say who wrote them and how):
  independent-c.csv, pasted-e.csv even ids   never used for tuning or training: the figures that
                                             say how well the checks generalise;
  en, independent-a/-b, hard-legit-d,        rules were widened or narrowed for their misses and
  train-f, pasted-e.csv odd ids              false alarms and M102 was trained on them: tuned.
Also the ordinary SMS of the shared UCI collection (half of them were M102's negatives).
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from offercheck.api import check_text
from offercheck.evaluate.metrics import wilson

ROOT = Path(__file__).resolve().parents[1]
FILES = (  # (title, path, which rows: all, or the even-id "test" / odd-id "tuning" half)
    ("independent-c.csv (never seen)", ROOT / "bench/messages-c/independent-c.csv", "all"),
    ("pasted-e.csv even ids (never seen)", ROOT / "bench/messages-e/pasted-e.csv", "test"),
    ("pasted-e.csv odd ids (tuned)", ROOT / "bench/messages-e/pasted-e.csv", "tuning"),
    ("train-f.csv (tuned)", ROOT / "bench/messages-f/train-f.csv", "all"),
    ("hard-legit-d.csv (tuned)", ROOT / "bench/messages-d/hard-legit-d.csv", "all"),
    ("independent-b.csv (tuned)", ROOT / "bench/messages/independent-b.csv", "all"),
    ("independent-a.csv (tuned)", ROOT / "bench/messages/independent-a.csv", "all"),
    ("en.csv (tuned)", ROOT / "bench/lang/en.csv", "all"),
)


def half_of(rows: list[dict], half: str) -> list[dict]:
    if half == "all":
        return rows
    wanted = 0 if half == "test" else 1
    return [row for row in rows if int("".join(ch for ch in row["id"] if ch.isdigit())) % 2 == wanted]
LEVELS = (("medium", ("MEDIUM", "HIGH", "CRITICAL")), ("high", ("HIGH", "CRITICAL")))


def rate(hits: int, total: int) -> str:
    lo, hi = wilson(hits, total)
    return f"{hits}/{total} = {hits / total:.3f} [{lo:.2f}-{hi:.2f}]"


def measure(rows: list[dict], ignore: list[str]) -> dict[str, tuple[int, int]]:
    levels = [(row["label"] == "1", check_text(row["text"], ignore=ignore).level.name) for row in rows]
    return {
        name: (sum(1 for pos, lv in levels if pos and lv in reached), sum(1 for pos, lv in levels if not pos and lv in reached))
        for name, reached in LEVELS
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    never_seen: dict[str, list[tuple[int, int]]] = {}
    for title, path, half in FILES:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = half_of(list(csv.DictReader(handle)), half)
        positives = sum(row["label"] == "1" for row in rows)
        negatives = len(rows) - positives
        print(f"{title}: {positives} scams, {negatives} legitimate")
        for variant, ignore in (("rules only", ["M101", "M102"]), ("rules + models", [])):
            got = measure(rows, ignore)
            for level, (tp, fp) in got.items():
                print(f"  {variant:<15} {level:<7} recall {rate(tp, positives):<28} legitimate flagged {rate(fp, negatives)}")
                if "never seen" in title:
                    never_seen.setdefault(f"{variant:<15} {level:<7}", []).append((tp, fp, positives, negatives))
    print("never-seen files together:")
    for key, parts in never_seen.items():
        tp, fp, pos, neg = (sum(p[i] for p in parts) for i in range(4))
        print(f"  {key} recall {rate(tp, pos):<28} legitimate flagged {rate(fp, neg)}")
    sms = args.data / "sms" / "SMSSpamCollection"
    if sms.is_file():
        ham = [line.split("\t", 1)[1] for line in sms.read_text("utf-8").splitlines() if line.startswith("ham\t")]
        start = time.perf_counter()
        levels = [check_text(text).level.name for text in ham]
        elapsed = time.perf_counter() - start
        for level, reached in LEVELS:
            print(f"ordinary SMS reaching {level}: {rate(sum(lv in reached for lv in levels), len(ham))}")
        print(f"({len(ham) / elapsed:,.0f} messages/s on one core)")


if __name__ == "__main__":
    main()
