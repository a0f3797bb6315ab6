"""Held-out detection figures: rules plus the word model scored on folds it was not trained on.

    python scripts/train_posting_model.py ../shared/data/emscad/train.csv /tmp/model.toml --held-out /tmp/held.csv
    python bench/bench_heldout.py /tmp/held.csv [--data ../shared/data]

The training script writes, per posting, the probability the model gave it while that
posting's fold (split by normalised title) was held out. This script combines it with the
rule findings exactly as the M101 check does (gate, bands and weights from data/scoring.toml)
and prints recall and false-positive rate per level.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from offercheck.api import check_text
from offercheck.checks.model import _band, model_settings, reads_like_posting
from offercheck.evaluate.metrics import wilson

TEXT_COLUMNS = ("title", "location", "company_profile", "description", "requirements", "benefits")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("held_out", type=Path)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "data")
    args = parser.parse_args()
    csv.field_size_limit(sys.maxsize)
    with open(args.data / "emscad" / "train.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    probabilities = [float(line.split(",")[0]) for line in args.held_out.read_text().split()]
    settings = model_settings()
    scores = []
    for row, probability in zip(rows, probabilities):
        text = "\n".join(row[c] for c in TEXT_COLUMNS if row.get(c))
        rules_only = check_text(text, ignore=["M101"]).score
        weight = _band(probability, settings) if reads_like_posting(text, settings) else 0
        scores.append(round(100 * (1 - (1 - rules_only / 100) * (1 - weight / 100))))
    labels = [row["fraudulent"] == "1" for row in rows]
    positives, negatives = sum(labels), len(labels) - sum(labels)
    print(f"held-out folds: {positives} fraudulent, {negatives} legitimate postings; settings {settings}")
    for name, minimum in (("medium", 25), ("high", 50), ("critical", 75)):
        tp = sum(1 for s, y in zip(scores, labels) if y and s >= minimum)
        fp = sum(1 for s, y in zip(scores, labels) if not y and s >= minimum)
        lo, hi = wilson(tp, positives)
        flo, fhi = wilson(fp, negatives)
        print(f"{name:<9} recall {tp}/{positives} = {tp / positives:.3f} [{lo:.3f}-{hi:.3f}]   "
              f"false-positive rate {fp}/{negatives} = {fp / negatives:.3f} [{flo:.3f}-{fhi:.3f}]")


if __name__ == "__main__":
    main()
