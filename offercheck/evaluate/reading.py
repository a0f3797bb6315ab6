"""Labelled rows from a CSV/TSV or JSONL file, read by batch mode's reader.

Batch mode's `open_rows` does the sniffing (encoding, delimiter, format), the text-column
detection and the joining of several text columns. The label is read by a second pass over the
same file with the label column as the only "text" column: both passes number records alike, so
each label meets its text by record number. A file is therefore read twice (never standard input).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..batch.reading import Columns, normal_name, open_rows
from ..errors import InputError, UsageError
from .metrics import LabelledItem

# Label values that mean "a scam" when --positive is not given (compared case-insensitively).
DEFAULT_POSITIVE = ("1", "true", "yes", "fraud", "fraudulent", "scam", "spam")


@dataclass(frozen=True)
class Skipped:
    row: int
    id: str
    reason: str


@dataclass(frozen=True)
class Labelled:
    items: tuple[LabelledItem, ...]
    skipped: tuple[Skipped, ...]
    format: str
    encoding: str
    text_columns: tuple[str, ...]
    label_column: str
    positive_values: tuple[str, ...]
    label_counts: dict[str, int]  # each label value as written (first spelling), and how many rows have it


def label_value(raw: str) -> str:
    """A label cell as compared: stripped, lower-cased; JSON 1.0 is 1 (JSON true arrives as 'true')."""
    value = raw.strip().lower()
    if value.endswith(".0") and value[:-2].lstrip("-").isdigit():
        value = value[:-2]
    return value


def positive_set(positive: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    if positive is None:
        return DEFAULT_POSITIVE
    values = [positive] if isinstance(positive, str) else list(positive)
    chosen = tuple(dict.fromkeys(label_value(v) for value in values for v in value.split(",") if v.strip()))
    if not chosen:
        raise UsageError("--positive is empty", "Give the label value that marks a scam, e.g. --positive 1 or --positive fraud.")
    return chosen


def read_labelled(
    path: str,
    *,
    label_column: str,
    positive: str | list[str] | tuple[str, ...] | None = None,
    text_columns: tuple[str, ...] = (),
    id_column: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_bytes: int = 1_000_000,
) -> Labelled:
    """Read every row; rows without a label or without text are skipped and listed, never guessed."""
    if path == "-":
        raise UsageError("eval cannot read standard input", "Save the labelled rows to a .csv or .jsonl file and give its path.")
    if not label_column.strip():
        raise UsageError("--label-column is empty", "Name the column that holds each row's label, e.g. --label-column fraudulent.")
    if os.path.isfile(path) and os.path.getsize(path) == 0:
        raise InputError(f"{path} is empty", "Give a CSV or JSONL file with a header (CSV) and labelled rows.")
    positives = positive_set(positive)
    if text_columns and any(normal_name(c) == normal_name(label_column) for c in text_columns):
        raise UsageError(f"the label column {label_column!r} is also a text column",
                         "The label would give the answer away; leave it out of --text-columns.")

    labels: dict[int, str] = {}
    skipped: dict[int, Skipped] = {}
    try:
        opened = open_rows(path, columns=Columns(text=(label_column,), id=id_column), encoding=encoding,
                           delimiter=delimiter, max_bytes=max_bytes)
    except UsageError as exc:
        raise _label_column_error(exc, label_column) from None
    with opened as first:
        found_label = first.text_columns[0]
        for row in first.rows:
            if row.error:
                reason = row.error if "no text in" not in row.error else f"row {row.row}: no label in {found_label}"
                skipped[row.row] = Skipped(row.row, row.id, reason)
            else:
                labels[row.row] = row.text
    with open_rows(path, columns=Columns(text=tuple(text_columns), id=id_column), encoding=encoding,
                   delimiter=delimiter, max_bytes=max_bytes) as second:
        used = second.text_columns
        if any(normal_name(c) == normal_name(found_label) for c in used):
            raise UsageError(f"the label column {found_label!r} was taken as a text column",
                             "Name the text columns with --text-columns, leaving the label out.")
        items: list[LabelledItem] = []
        spelled: dict[str, str] = {}
        counts: dict[str, int] = {}
        for row in second.rows:
            if row.row in skipped:
                continue
            if row.error:
                skipped[row.row] = Skipped(row.row, row.id, row.error)
                continue
            raw = labels.get(row.row)
            if raw is None:  # cannot happen: both passes number records alike
                skipped[row.row] = Skipped(row.row, row.id, f"row {row.row}: no label read")
                continue
            value = label_value(raw)
            shown = spelled.setdefault(value, raw.strip())
            counts[shown] = counts.get(shown, 0) + 1
            items.append(LabelledItem(row.id, row.text, value in positives))
        fmt, chosen_encoding = second.format, second.encoding
    if not items and not skipped:
        raise InputError(f"{path} has no rows", "Give a file with labelled rows after its header line.")
    return Labelled(tuple(items), tuple(sorted(skipped.values(), key=lambda s: s.row)), fmt, chosen_encoding,
                    tuple(used), found_label, positives, counts)


def _label_column_error(exc: UsageError, label_column: str) -> UsageError:
    """Batch mode names its own option; here the missing column is the label's."""
    message = exc.message
    for option in ("--text-columns: ", "--text-field: "):
        if message.startswith(option + "no column"):
            return UsageError(f"--label-column: {message[len(option):]}",
                              "Name the column that holds each row's label, as written in the header line.")
    return exc
