"""`offercheck eval`: recall, false-positive rate, confusion and rule statistics on a labelled file.

Registered at the end of cli.py with `app.command("eval")(eval_command)`; everything heavy is
imported inside the command.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Optional

import typer


def eval_command(
    labelled: Annotated[str, typer.Argument(metavar="LABELLED", help="A labelled .csv, .tsv or .jsonl file (optionally .gz).")],
    label_column: Annotated[str, typer.Option("--label-column", "--label-field", help="Column (or JSON field) holding each row's label.")],
    positive: Annotated[Optional[list[str]], typer.Option("--positive", help="Label value(s) that mark a scam; repeat or comma-separate. Default: 1, true, yes, fraud, fraudulent, scam, spam (any case). Every other value is negative; rows with an empty label are skipped.")] = None,
    text_columns: Annotated[Optional[str], typer.Option("--text-columns", "--text-field", help="Columns holding the text, comma-separated; several are joined under their names. Default: text, body, message, description, title, ... when present.")] = None,
    id_column: Annotated[Optional[str], typer.Option("--id-column", "--id-field", help="Column with each row's id (default: id when present, else the row number).")] = None,
    output_format: Annotated[Optional[str], typer.Option("--format", help="text, plain or json. Default: text on a terminal, else plain.")] = None,
    plot: Annotated[Optional[str], typer.Option("--plot", help="Also write a PNG of recall against false-positive rate across score thresholds 0-100 (needs matplotlib: pip install 'offercheck[plot]').")] = None,
    show: Annotated[int, typer.Option("--show", min=0, help="How many missed and wrongly flagged items the text output lists (JSON lists all).")] = 10,
    at: Annotated[str, typer.Option("--at", help="The level that separates 'missed' (below) from 'flagged' (at or above) in those lists: medium, high or critical.")] = "high",
    country: Annotated[Optional[str], typer.Option("--country", "-c", help="Phone region for numbers without a country code (ISO code). Default: none, whatever the environment says, so runs are reproducible.")] = None,
    encoding: Annotated[Optional[str], typer.Option("--encoding", help="The file's encoding (default: BOM, else UTF-8, else cp1252/Latin-1, guessed).")] = None,
    delimiter: Annotated[Optional[str], typer.Option("--delimiter", help="CSV delimiter (default: sniffed among , ; tab |; tab for .tsv).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or skipped-row notes on stderr (warnings still appear).")] = False,
    traceback: Annotated[bool, typer.Option("--traceback", help="Show the traceback of an internal error.")] = False,
) -> None:
    """Measure detection on a labelled file: per level, recall on scams and false-positive rate on
    legitimate items (95% Wilson intervals), a confusion table, per-rule hit rates and precision,
    and the items missed and wrongly flagged. Checks always run offline.

    \b
    Examples:
      offercheck eval labelled.csv --label-column fraudulent --text-columns title,description
      offercheck eval messages.jsonl --label-column label --positive scam --format json
      offercheck eval labelled.csv --label-column is_scam --plot recall.png

    \b
    A file with only one class is measured as far as it can be (recall or false-positive
    rate shows as n/a, null in JSON) with a warning on stderr.
    Exit status: 0 measured; 2 usage or unreadable input (missing or empty file, no such
    label column, no text column, no labelled row, matplotlib missing for --plot);
    1 internal error; 130 interrupted.
    """
    from .cli import _default_format, _resolve_country, _run
    from .errors import ExitStatus, UsageError

    def action() -> int:
        from functools import partial

        from .api import check_text
        from .evaluate import evaluate
        from .evaluate.reading import read_labelled
        from .evaluate.render import PlotUnavailable, render_text, save_plot, to_json
        from .model import Level
        from .safety import one_line

        fmt = output_format or _default_format().value
        if fmt not in ("text", "plain", "json"):
            raise UsageError(f"--format {fmt!r} is not text, plain or json", "Use --format text, plain or json.")
        if at not in ("medium", "high", "critical"):
            raise UsageError(f"--at {at!r} is not a level", "Use medium, high or critical.")
        if delimiter is not None and len(delimiter.replace("\\t", "\t")) != 1:
            raise UsageError("--delimiter must be one character", "For example --delimiter ';' or --delimiter '\\t'.")
        if plot is not None:
            try:
                import matplotlib  # noqa: F401
            except ImportError:
                raise UsageError("--plot needs matplotlib, which is not installed",
                                 "Install it with: pip install 'offercheck[plot]' (or pip install matplotlib), or leave out --plot.") from None
        chosen_country = _resolve_country(country) if country is not None else None
        columns = tuple(c.strip() for c in (text_columns or "").split(",") if c.strip())
        data = read_labelled(labelled, label_column=label_column, positive=positive, text_columns=columns,
                             id_column=id_column, encoding=encoding,
                             delimiter=delimiter.replace("\\t", "\t") if delimiter else None)
        if not data.items:
            raise UsageError(f"{labelled}: none of its {len(data.skipped):,} rows has both a label and text",
                             f"First problem: {data.skipped[0].reason}" if data.skipped else "")
        note = (lambda line: None) if quiet else (lambda line: sys.stderr.write(one_line(line, 500) + "\n"))
        for s in data.skipped[:5]:
            note(f"offercheck: skipped {s.reason}")
        if len(data.skipped) > 5:
            note(f"offercheck: skipped {len(data.skipped) - 5:,} more rows")
        progress = None
        if not quiet and sys.stderr.isatty() and len(data.items) >= 200:
            total = len(data.items)

            def progress(done: int) -> None:
                if done % 50 == 0 or done == total:
                    sys.stderr.write(f"\roffercheck: checked {done:,}/{total:,}")
                    if done == total:
                        sys.stderr.write("\r\x1b[K")
                    sys.stderr.flush()

        result = evaluate(data.items, check=partial(check_text, country=chosen_country, offline=True),
                          at=Level.parse(at), progress=progress)
        for warning in result.warnings:
            sys.stderr.write(one_line(f"offercheck: warning: {warning}", 500) + "\n")
        name = os.path.basename(labelled) or labelled
        labels = ", ".join(f"{k!r} x{v:,}" for k, v in sorted(data.label_counts.items(), key=lambda kv: -kv[1])[:8])
        if fmt == "json":
            meta = {"file": name, "format": data.format, "encoding": data.encoding,
                    "label_column": data.label_column, "positive_values": list(data.positive_values),
                    "label_values": data.label_counts, "text_columns": list(data.text_columns),
                    "country": chosen_country, "rows_skipped": len(data.skipped),
                    "skipped": [{"row": s.row, "id": s.id, "reason": s.reason} for s in data.skipped]}
            sys.stdout.write(to_json(result, meta) + "\n")
        else:
            header = [
                f"offercheck eval: {name}: {len(data.items):,} items, {result.positives:,} positive and "
                f"{result.negatives:,} negative (checks offline)",
                f"label {data.label_column!r}: {labels}; positive = {', '.join(data.positive_values)}",
                f"text from: {', '.join(data.text_columns)}"
                + (f"; {len(data.skipped):,} row{'s' if len(data.skipped) != 1 else ''} skipped (no label or no text)" if data.skipped else ""),
            ]
            render_text(result, sys.stdout, header=header, show=show,
                        bold=fmt == "text" and os.environ.get("NO_COLOR") is None)
        if plot is not None:
            try:
                save_plot(result, plot, f"offercheck eval: {name}")
            except PlotUnavailable:
                raise UsageError("--plot needs matplotlib, which is not installed",
                                 "Install it with: pip install 'offercheck[plot]'.") from None
            except OSError as exc:
                raise UsageError(f"cannot write the plot {plot}: {exc.strerror or exc}", "Check the path.") from None
            if not quiet:
                sys.stderr.write(one_line(f"offercheck: plot written to {plot}", 500) + "\n")
        sys.stdout.flush()
        return ExitStatus.SUCCESS

    raise typer.Exit(_run(action, traceback))
