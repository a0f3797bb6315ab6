"""Detection per language pack, on the labelled files in bench/lang/<lang>.csv.

    python bench/bench_languages.py

Each file (id,label,text) was written for this project: realistic scams and lures (label 1)
and legitimate job ads and recruiter messages (label 0) in that language. Prints, per language,
recall at medium and high and the false-positive rate at medium and high, and recall at medium
without the pack (English rules and the word models only). These files were written by the same
people as the rules, so for the packs they show that the rules work, not how well they
generalise; the message model M102 was not trained on them (its training files are
bench/messages-<lang>/), so for M102 they are never-seen.
"""

from __future__ import annotations

import csv
from pathlib import Path

from offercheck.evaluate import LabelledItem, evaluate
from offercheck.model import Level

FOLDER = Path(__file__).resolve().parent / "lang"


def _items(path: Path) -> list[LabelledItem]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [LabelledItem(row["id"], row["text"], row["label"].strip() == "1") for row in csv.DictReader(handle)]


def _cell(rate) -> str:
    return f"{rate.hits}/{rate.total} = {rate.value:.2f}" if rate.total else "n/a"


def _english_only(items: list[LabelledItem]):
    """The same evaluation with every pack switched off: what the pack adds."""
    from offercheck.checks import language

    active = language.active_languages
    language.active_languages = lambda found: frozenset({"en"})
    try:
        return evaluate(items)
    finally:
        language.active_languages = active


def main() -> None:
    print(f"{'lang':<5} {'scams':>5} {'legit':>5}  {'recall medium':>16} {'recall high':>16}  {'FPR medium':>14} {'FPR high':>14}"
          f"  {'without the pack: recall medium':>32}")
    for path in sorted(FOLDER.glob("*.csv")):
        items = _items(path)
        result = evaluate(items)
        medium, high = result.threshold(Level.MEDIUM), result.threshold(Level.HIGH)
        baseline = _english_only(items).threshold(Level.MEDIUM)
        print(f"{path.stem:<5} {medium.recall.total:>5} {medium.false_positive_rate.total:>5}  "
              f"{_cell(medium.recall):>16} {_cell(high.recall):>16}  "
              f"{_cell(medium.false_positive_rate):>14} {_cell(high.false_positive_rate):>14}"
              f"  {_cell(baseline.recall):>32}")


if __name__ == "__main__":
    main()
