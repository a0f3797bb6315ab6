"""Evaluation output: a plain-text table (with optional bold headings), JSON, and a PNG plot.

Ids and quotes come from the evaluated file, so they are printed through `safety.one_line`.
"""

from __future__ import annotations

import json
from typing import TextIO

from .. import __version__
from ..safety import one_line
from .metrics import Evaluation, Outcome, Rate

EVAL_SCHEMA = "1.0"  # of the JSON below; bumped on any incompatible change


def fmt_rate(rate: Rate, digits: int = 3, missing: str = "n/a") -> str:
    """'32/364 = 0.088 [0.063-0.121]', or '0/0 = n/a (no items)'."""
    if rate.total == 0:
        return f"0/0 = {missing}"
    low, high = rate.interval  # type: ignore[misc]
    return f"{rate.hits}/{rate.total} = {rate.value:.{digits}f} [{low:.{digits}f}-{high:.{digits}f}]"


def _short(rate: Rate) -> str:
    return f"{rate.hits}/{rate.total} = {rate.value:.3f}" if rate.total else f"{rate.hits}/0 = n/a"


def _item_line(o: Outcome) -> str:
    found = "; ".join(f'{c.rule_id} "{c.quote}"' if c.quote else f"{c.rule_id} {c.name}" for c in o.top) or "no findings"
    return one_line(f"  {o.id}  {o.level.label} ({o.score})  {found}", 240)


def render_text(result: Evaluation, out: TextIO, *, header: list[str], show: int = 10, bold: bool = False) -> None:
    def title(text: str) -> str:
        return f"\x1b[1m{text}\x1b[0m" if bold else text

    lines: list[str] = [one_line(h, 500) for h in header]
    lines.append("")
    lines.append(title(f"{'level >=':<10} {'recall on positives':<30} false-positive rate on negatives"))
    for t in result.thresholds:
        lines.append(f"{t.level.label:<10} {fmt_rate(t.recall):<30} {fmt_rate(t.false_positive_rate)}")
    lines.append("")
    lines.append(title("confusion (rows: label, columns: level reached)"))
    table = result.confusion
    levels = list(next(iter(table.values())))
    lines.append(f"{'':<10}" + "".join(f"{lv:>10}" for lv in levels) + f"{'total':>10}")
    for label, row in table.items():
        lines.append(f"{label:<10}" + "".join(f"{row[lv]:>10,}" for lv in levels) + f"{sum(row.values()):>10,}")
    lines.append("")
    rules = result.rules
    lines.append(title(f"rules that fired ({len(rules)}): items hit on each label; precision = positives among the items hit"))
    if rules:
        width = min(40, max(4, *(len(r.name) for r in rules)))
        lines.append(f"  {'rule':<6} {'name':<{width}} {'on positives':<18} {'on negatives':<18} precision")
        for r in rules:
            lines.append(one_line(f"  {r.rule_id:<6} {r.name[:width]:<{width}} {_short(r.on_positives):<18} "
                                  f"{_short(r.on_negatives):<18} {fmt_rate(r.precision, 2)}", 240))
    else:
        lines.append("  none")
    for heading, outcomes in (
        (f"missed positives (below {result.at.label})", result.missed),
        (f"wrongly flagged negatives ({result.at.label} or above)", result.wrongly_flagged),
    ):
        lines.append("")
        shown = outcomes[:show]
        more = f", the {len(shown)} highest-scoring shown" if 0 < len(shown) < len(outcomes) else ""
        lines.append(title(f"{heading}: {len(outcomes):,}{more}"))
        lines.extend(_item_line(o) for o in shown)
    if result.warnings:
        lines.append("")
        lines.extend(one_line(f"warning: {w}", 500) for w in result.warnings)
    out.write("\n".join(lines) + "\n")


def to_json(result: Evaluation, meta: dict) -> str:
    from ..rules import ruleset_version

    doc = {"schema": EVAL_SCHEMA, "kind": "offercheck-eval", "tool": "offercheck", "tool_version": __version__,
           "ruleset": ruleset_version(), "offline": True, "input": meta, **result.to_dict()}
    return json.dumps(doc, ensure_ascii=False, indent=2)


class PlotUnavailable(Exception):
    pass


def save_plot(result: Evaluation, path: str, title: str) -> None:
    """Recall against false-positive rate for "score >= t", t = 0..100, with the level thresholds marked."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise PlotUnavailable() from None
    from ..scoring import scoring_config

    points = [(f.value, r.value, t) for t, r, f in result.curve()]
    fig, ax = plt.subplots(figsize=(6, 5), dpi=120)
    try:
        ax.plot([p[0] for p in points], [p[1] for p in points], marker=".", markersize=3, label="score >= t, t = 0..100")
        for level, minimum in scoring_config().thresholds:
            x, y, _ = points[minimum]
            ax.scatter([x], [y], zorder=3)
            ax.annotate(f"{level.label} (score >= {minimum})", (x, y), textcoords="offset points", xytext=(6, -12), fontsize=8)
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel(f"false-positive rate on negatives (n={result.negatives:,})")
        ax.set_ylabel(f"recall on positives (n={result.positives:,})")
        ax.set_title(one_line(title, 80), fontsize=10)
        ax.grid(True, alpha=0.3)
        ax.legend(loc="lower right", fontsize=8)
        fig.tight_layout()
        fig.savefig(path, format="png")
    finally:
        plt.close(fig)
