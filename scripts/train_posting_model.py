"""Train, cross-validate and export the small word model behind rule M101.

    python scripts/train_posting_model.py ../shared/data/emscad/train.csv data/model/posting-words.json

A logistic regression over word and word-pair presence, trained on the shared EMSCAD part.
Only the learned weights are written (no text from the dataset beyond single words and
word pairs). Cross-validation is split by normalised title, so no posting template sits on
both sides, and the script prints what the held-out folds gave, rules alone against rules
plus the model. Needs numpy (a development tool only; the shipped model is plain data).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from offercheck.wordmodel import features, save_model  # noqa: E402  (the same tokeniser at run time)

TEXT_COLUMNS = ("title", "location", "company_profile", "description", "requirements", "benefits")
FOLDS = 5
# Genuine posting-like texts from today (offer summaries, job-board ads, scheme notices) from the
# project's message files: extra negatives, so that 2012 wording is not all "genuine" looks like.
# Only those the M101 gate would judge are used, never their scams.
EXTRA_NEGATIVE_FILES = (
    "bench/lang/en.csv",
    "bench/messages/independent-a.csv",
    "bench/messages/independent-b.csv",
    "bench/messages-d/hard-legit-d.csv",
    "bench/messages-f/train-f.csv",
    "bench/messages-g/hard-legit-g.csv",
)


def extra_negatives(names: tuple[str, ...]) -> list[str]:
    from offercheck.checks.model import model_settings, reads_like_posting

    root = Path(__file__).resolve().parents[1]
    out = []
    for name in names:
        with open(root / name, newline="", encoding="utf-8") as handle:
            out += [r["text"] for r in csv.DictReader(handle) if r["label"] == "0" and reads_like_posting(r["text"], model_settings())]
    return out


def load(path: Path) -> tuple[list[str], np.ndarray, list[str]]:
    csv.field_size_limit(sys.maxsize)
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    texts = ["\n".join(r[c] for c in TEXT_COLUMNS if r.get(c)) for r in rows]
    labels = np.array([r["fraudulent"] == "1" for r in rows], dtype=float)
    groups = [re.sub(r"[^a-z]+", " ", r["title"].lower()).strip() for r in rows]
    return texts, labels, groups


def folds_by_group(groups: list[str], k: int) -> list[int]:
    """Assign each normalised title to a fold (largest groups first, to the emptiest fold)."""
    sizes = Counter(groups)
    load_per_fold = [0] * k
    fold_of: dict[str, int] = {}
    for group, size in sorted(sizes.items(), key=lambda item: (-item[1], item[0])):
        target = min(range(k), key=lambda f: (load_per_fold[f], f))
        fold_of[group] = target
        load_per_fold[target] += size
    return [fold_of[g] for g in groups]


def vocabulary(docs: list[set[str]], min_df: int) -> list[str]:
    df = Counter(f for doc in docs for f in doc)
    return sorted(f for f, n in df.items() if n >= min_df)


def matrix(docs: list[set[str]], vocab: list[str]) -> np.ndarray:
    index = {f: i for i, f in enumerate(vocab)}
    x = np.zeros((len(docs), len(vocab)))
    for row, doc in enumerate(docs):
        for f in doc:
            if f in index:
                x[row, index[f]] = 1.0
    return x


def train(x: np.ndarray, y: np.ndarray, l2: float, steps: int = 400, rate: float = 0.5) -> tuple[np.ndarray, float]:
    """Full-batch gradient descent on the L2-regularised logistic loss (balanced classes)."""
    w = np.zeros(x.shape[1])
    b = 0.0
    class_weight = np.where(y == 1, 0.5 / max(y.mean(), 1e-9), 0.5 / max(1 - y.mean(), 1e-9))
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        g = (p - y) * class_weight
        w -= rate * (x.T @ g / len(y) + l2 * w)
        b -= rate * g.mean()
    return w, b


def rates(p: np.ndarray, y: np.ndarray, threshold: float) -> tuple[float, float]:
    flagged = p >= threshold
    return flagged[y == 1].mean(), flagged[y == 0].mean()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--l2", type=float, default=0.001)
    parser.add_argument("--min-df", type=int, default=2)
    parser.add_argument("--keep", type=int, default=4000, help="features kept in the shipped model")
    parser.add_argument("--held-out", type=Path, help="write the held-out probability and label of every posting here")
    parser.add_argument("--without", action="append", default=[], help="leave this extra-negative file out (to measure on it)")
    args = parser.parse_args()

    texts, y, groups = load(args.data)
    docs = [features(t) for t in texts]
    extra = [features(t) for t in extra_negatives(tuple(n for n in EXTRA_NEGATIVE_FILES if n not in args.without))]
    extra_y = np.zeros(len(extra))
    fold = np.array(folds_by_group(groups, FOLDS))
    held_out = np.zeros(len(y))
    for k in range(FOLDS):
        train_rows = fold != k
        fold_docs = [d for d, t in zip(docs, train_rows) if t] + extra
        vocab = vocabulary(fold_docs, args.min_df)
        w, b = train(matrix(fold_docs, vocab), np.concatenate([y[train_rows], extra_y]), args.l2)
        held_out[~train_rows] = 1 / (1 + np.exp(-(matrix([d for d, t in zip(docs, ~train_rows) if t], vocab) @ w + b)))
    print(f"{len(y)} postings, {int(y.sum())} fraudulent, {FOLDS} folds split by normalised title; "
          f"{len(extra)} genuine posting-like texts from the message files as extra negatives")
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        recall, fpr = rates(held_out, y, threshold)
        print(f"  held-out p >= {threshold:.1f}: recall {recall:.3f}  false-positive rate {fpr:.3f}")

    vocab = vocabulary(docs + extra, args.min_df)
    w, b = train(matrix(docs + extra, vocab), np.concatenate([y, extra_y]), args.l2)
    order = np.argsort(-np.abs(w))[: args.keep]
    kept = sorted(((vocab[i], float(w[i])) for i in order), key=lambda t: -abs(t[1]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    save_model(
        args.out,
        [
            "Word model behind rule M101 (wording-like-fraudulent-postings).",
            f"Generated by scripts/train_posting_model.py from the EMSCAD training part ({len(y)} postings, "
            f"{int(y.sum())} fraudulent); logistic regression on word and word-pair presence, L2 = {args.l2}, "
            f"min document frequency {args.min_df}.",
            "Only weights are stored. Do not edit by hand: retrain.",
        ],
        b,
        kept,
    )
    print(f"wrote {len(kept)} weights to {args.out}")
    if args.held_out:  # for calibrating M101's thresholds on folds the model did not see
        args.held_out.write_text("\n".join(f"{p:.6f},{int(label)}" for p, label in zip(held_out, y)) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
