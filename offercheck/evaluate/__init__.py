"""`offercheck eval`: measure detection on a labelled file.

    from offercheck.evaluate import LabelledItem, evaluate, wilson
    result = evaluate(items)              # offline checks, always
    result.threshold(Level.HIGH).recall   # Rate(hits, total): .value, .interval

Modules: `metrics` (evaluate, Evaluation, Wilson intervals), `reading` (labelled CSV/JSONL through
batch mode's reader), `render` (text, JSON, PNG plot).
"""

from __future__ import annotations

from .metrics import THRESHOLDS, Evaluation, LabelledItem, Outcome, Rate, RuleStat, Threshold, evaluate, wilson

__all__ = ["THRESHOLDS", "Evaluation", "LabelledItem", "Outcome", "Rate", "RuleStat", "Threshold", "evaluate", "wilson"]
