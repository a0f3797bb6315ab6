"""Read exported listings: CSV (dialect and encoding sniffed, header required) or JSONL, from a
file, a `.gz` file or standard input, one `InputRow` per record, streamed.

A record that cannot be used (bad JSON, a ragged CSV row, bytes that are not text in the
file's encoding, no text, over the size limit) becomes an `InputRow` with `error` set, so that
every input record gets exactly one output row. Only a file that cannot be read at all (missing,
binary, no header, no text column) stops the run, before the first row.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import os
import re
import sys
from dataclasses import dataclass, field
from typing import BinaryIO, Callable, Iterator, Mapping, Sequence

from ..errors import InputError, UsageError

SAMPLE_BYTES = 256 * 1024  # what the encoding, format and delimiter are guessed from
DELIMITERS = (",", ";", "\t", "|")
# Columns read as the offer's text when --text-columns is not given, in header order.
TEXT_NAMES = (
    "text", "body", "message", "content", "description", "post", "posting", "title", "subject",
    "summary", "details", "company_profile", "requirements", "benefits", "job_description",
    "offer", "offer_text", "ad_text", "message_text", "caption", "snippet",
)
URL_NAMES = ("url", "link", "href", "permalink")
SENDER_NAMES = ("sender", "from", "author", "poster", "contact")
COUNTRY_NAMES = ("country", "country_code")
ID_NAMES = ("id",)


@dataclass(frozen=True, slots=True)
class InputRow:
    row: int  # 1-based record number after the header (blank lines are not records)
    id: str  # the id column's value, else the row number
    text: str = ""
    url: str = ""
    sender: str = ""
    country: str = ""
    error: str = ""  # set: the row could not be read and is reported, not checked


@dataclass(frozen=True, slots=True)
class Columns:
    """What the user chose; None or () means "find it from the header"."""

    text: tuple[str, ...] = ()
    url: str | None = None
    sender: str | None = None
    country: str | None = None
    id: str | None = None


@dataclass
class Opened:
    """An input being read: its rows and what was guessed about it."""

    rows: Iterator[InputRow]
    format: str  # "csv" | "jsonl"
    encoding: str
    encoding_guessed: bool
    delimiter: str | None
    text_columns: tuple[str, ...]
    position: Callable[[], int | None] = field(default=lambda: None)  # bytes of the file read so far
    size: int | None = None  # bytes in the file, when it is a regular file
    close: Callable[[], None] = field(default=lambda: None)

    def __enter__(self) -> "Opened":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def normal_name(name: str) -> str:
    return re.sub(r"[\s\-.]+", "_", str(name).strip().lower())


class _Prefixed(io.RawIOBase):
    """The sample already read, then the rest of the stream: sniffing consumes nothing."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head, self._rest = memoryview(head), rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _open_binary(path: str) -> tuple[BinaryIO, BinaryIO, int | None]:
    """(decompressed stream, raw file for progress, raw size). `-` is standard input."""
    try:
        raw: BinaryIO = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
    except FileNotFoundError:
        raise InputError(f"{path} does not exist", "Check the path.") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not a file", "Give a .csv, .jsonl or .gz file.") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}", "Check the path and its permissions.") from None
    size = None
    try:
        stat = os.fstat(raw.fileno())
        size = stat.st_size if stat.st_size and os.path.isfile(path) else None
    except (OSError, ValueError, io.UnsupportedOperation):
        pass
    buffered = raw if hasattr(raw, "peek") else io.BufferedReader(raw)  # type: ignore[arg-type]
    if buffered.peek(2)[:2] == b"\x1f\x8b":  # gzip magic, whatever the name says
        return gzip.GzipFile(fileobj=buffered, mode="rb"), raw, size  # type: ignore[return-value]
    return buffered, raw, size  # type: ignore[return-value]


def sniff_encoding(sample: bytes, what: str) -> tuple[str, bool]:
    """(encoding, guessed): a BOM decides; else UTF-8 if the sample is valid UTF-8; else cp1252
    (Latin-1 plus Windows punctuation), else Latin-1, which decodes any byte."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", False
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", False
    if b"\x00" in sample[:8192]:
        raise InputError(f"{what} looks like a binary file, not text (it contains NUL bytes)",
                         "Export the listings as CSV or JSONL text, or give --encoding utf-16 if that is what it is.")
    try:
        # a last character cut off by the sample's end is fine; at the file's end it is not
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=len(sample) < SAMPLE_BYTES)
        return "utf-8", False
    except UnicodeDecodeError:
        pass
    try:
        sample.decode("cp1252")
        return "cp1252", True
    except UnicodeDecodeError:
        return "latin-1", True


def sniff_delimiter(first_line: str) -> str:
    """The candidate that splits the header line most (outside quotes); a comma on a tie."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _format_for(path: str, sample_text: str) -> str:
    name = path.lower().removesuffix(".gz")
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if name.endswith((".csv", ".tsv", ".txt", ".tab")):
        return "csv"
    return "jsonl" if sample_text.lstrip("\ufeff \t\r\n").startswith("{") else "csv"


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # what surrogateescape makes of an undecodable byte


def _bad_bytes(value: str, encoding: str) -> str:
    """'' or why a cell decoded with surrogateescape is not valid text in `encoding`."""
    if value.isascii():
        return ""
    found = _ESCAPED_BYTE.search(value)
    if found is None:
        return ""
    return (f"not valid {encoding} (byte 0x{ord(found.group()) - 0xDC00:02x} at character {found.start()} of a cell); "
            "give the file's encoding with --encoding, e.g. --encoding latin-1")


class _Resolver:
    """Which keys of a record hold the text, URL, sender, country and id."""

    def __init__(self, keys: Sequence[str], columns: Columns, fmt: str) -> None:
        self.by_normal: dict[str, str] = {}
        for key in keys:
            self.by_normal.setdefault(normal_name(key), key)
        self.keys = list(keys)
        option = "--text-columns" if fmt == "csv" else "--text-field"
        if columns.text:
            self.text = tuple(self._require(name, option) for name in columns.text)
        else:
            wanted = set(TEXT_NAMES)
            self.text = tuple(k for k in keys if normal_name(k) in wanted)
            if not self.text:
                shown = ", ".join(repr(k) for k in list(keys)[:20]) or "none"
                raise UsageError(f"no text column found (columns: {shown})",
                                 f"Name the columns that hold the offer's text with {option}, e.g. {option} description,title. "
                                 "A CSV file needs a header line.")
        self.url = self._pick(columns.url, URL_NAMES, "--url-column")
        self.sender = self._pick(columns.sender, SENDER_NAMES, "--sender-column")
        self.country = self._pick(columns.country, COUNTRY_NAMES, "--country-column")
        self.id = self._pick(columns.id, ID_NAMES, "--id-column")

    def _require(self, name: str, option: str) -> str:
        found = self.by_normal.get(normal_name(name))
        if found is None:
            shown = ", ".join(repr(k) for k in self.keys[:20]) or "none"
            raise UsageError(f"{option}: no column {name!r} (columns: {shown})", "Check the spelling against the header line.")
        return found

    def _pick(self, given: str | None, names: Sequence[str], option: str) -> str | None:
        if given:
            return self._require(given, option)
        return next((self.by_normal[n] for n in names if n in self.by_normal), None)

    def row(self, number: int, record: Mapping[str, object], max_bytes: int, encoding: str) -> InputRow:
        def cell(key: str | None) -> str:
            if key is None:
                return ""
            value = record.get(key)
            if value is None:
                return ""
            return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

        ident = cell(self.id).strip() or str(number)
        parts = [(key, cell(key)) for key in self.text]
        parts = [(key, value) for key, value in parts if value.strip()]
        if len(self.text) == 1:
            text = parts[0][1] if parts else ""
        else:  # several columns: each under its name, so a quote can be placed
            text = "\n\n".join(f"{key}:\n{value}" for key, value in parts)
        url, sender, country = cell(self.url).strip(), cell(self.sender).strip(), cell(self.country).strip()
        error = next((e for e in (_bad_bytes(v, encoding) for v in (text, url, sender, country, ident)) if e), "")
        if error:
            return InputRow(number, _bad_bytes(ident, encoding) and str(number) or ident, error=f"row {number}: {error}")
        if not text.strip():
            return InputRow(number, ident, error=f"row {number}: no text in {', '.join(self.text)}")
        size = len(text) if len(text) * 4 <= max_bytes else len(text.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            return InputRow(number, ident, error=f"row {number}: text of {size:,} bytes is larger than the limit of "
                                                 f"{max_bytes:,} bytes (raise it with --max-bytes)")
        return InputRow(number, ident, text, url, sender, country)


def _csv_rows(text: io.TextIOBase, delimiter: str, columns: Columns, max_bytes: int, encoding: str,
              what: str) -> tuple[Iterator[InputRow], tuple[str, ...]]:
    csv.field_size_limit(max(16 * 1024 * 1024, 4 * max_bytes))  # a 5 MB cell is read, then refused as a row
    reader = csv.reader(text, delimiter=delimiter, quotechar='"', doublequote=True, skipinitialspace=False, strict=False)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{what} is empty", "A CSV file needs a header line and at least one row.") from None
    except csv.Error as exc:
        raise InputError(f"{what}: cannot read the header line: {exc}", "A CSV file needs a header line.") from None
    header = [h.strip() or f"column {i + 1}" for i, h in enumerate(header)]
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    resolver = _Resolver(header, columns, "csv")

    def rows() -> Iterator[InputRow]:
        number = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                number += 1
                yield InputRow(number, str(number), error=f"row {number}: not readable as CSV: {exc}")
                continue
            if not cells:
                continue  # a blank line is not a record
            number += 1
            if len(cells) > len(header):
                extra = cells[len(header):]
                if any(c.strip() for c in extra):
                    ident = dict(zip(header, cells)).get(resolver.id or "", "").strip() if resolver.id else ""
                    yield InputRow(number, ident or str(number),
                                   error=f"row {number} has {len(cells)} fields but the header has {len(header)}; "
                                         "a delimiter or quote inside a cell is probably not quoted")
                    continue
            yield resolver.row(number, dict(zip(header, cells)), max_bytes, encoding)

    return rows(), resolver.text


def _jsonl_rows(text: io.TextIOBase, columns: Columns, max_bytes: int, encoding: str,
                what: str) -> tuple[Iterator[InputRow], tuple[str, ...]]:
    cap = max(16 * 1024 * 1024, 4 * max_bytes)

    def lines() -> Iterator[str]:
        while True:
            line = text.readline(cap)
            if not line:
                return
            if len(line) >= cap and not line.endswith("\n"):
                while (more := text.readline(cap)) and not more.endswith("\n"):
                    pass  # skip the rest of a giant line without holding it
                yield "\x00too-long"
                continue
            if line.strip():
                yield line

    source = lines()
    first_lines: list[str] = []
    resolver = None
    for line in source:  # the first object's keys decide the columns
        first_lines.append(line)
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            resolver = _Resolver(list(record), columns, "jsonl")
            break
        if len(first_lines) > 100:
            break
    if resolver is None:
        raise InputError(f"{what} has no JSON object in its first lines", "JSONL is one JSON object per line.")

    def rows() -> Iterator[InputRow]:
        number = 0
        for line in first_lines:
            number += 1
            yield _one(number, line)
        for line in source:
            number += 1
            yield _one(number, line)

    def _one(number: int, line: str) -> InputRow:
        if line == "\x00too-long":
            return InputRow(number, str(number), error=f"row {number}: line longer than {cap:,} characters")
        try:
            record = json.loads(line)
        except ValueError as exc:
            problem = _bad_bytes(line, encoding) or f"not valid JSON ({exc})"
            return InputRow(number, str(number), error=f"row {number}: {problem}")
        if not isinstance(record, dict):
            return InputRow(number, str(number), error=f"row {number}: a JSON {type(record).__name__}, not an object")
        return resolver.row(number, record, max_bytes, encoding)

    return rows(), resolver.text


def open_rows(path: str, *, columns: Columns = Columns(), fmt: str | None = None, encoding: str | None = None,
              delimiter: str | None = None, max_bytes: int = 1_000_000) -> Opened:
    """Open `path` (`-` for stdin) and stream its rows. Raises InputError/UsageError only for a
    file that cannot be read at all."""
    what = "standard input" if path == "-" else path
    stream, raw, size = _open_binary(path)
    try:
        return _open_stream(path, what, stream, raw, size, columns, fmt, encoding, delimiter, max_bytes)
    except BaseException:
        if raw is not sys.stdin.buffer:
            raw.close()
        raise


def _open_stream(path: str, what: str, stream: BinaryIO, raw: BinaryIO, size: int | None, columns: Columns,
                 fmt: str | None, encoding: str | None, delimiter: str | None, max_bytes: int) -> Opened:
    try:
        sample = stream.read(SAMPLE_BYTES)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"cannot read {what}: {exc}", "Check that the file is complete.") from None
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise UsageError(f"unknown encoding {encoding!r}", "Use a name such as utf-8, latin-1 or cp1252.") from None
        chosen, guessed = encoding, False
    else:
        chosen, guessed = sniff_encoding(sample, what)
    text = io.TextIOWrapper(io.BufferedReader(_Prefixed(sample, stream), 1 << 16), encoding=chosen,
                            errors="surrogateescape", newline="")
    sample_text = sample[:65536].decode(chosen, errors="replace")
    fmt = fmt or _format_for(path, sample_text)
    if fmt == "csv":
        if delimiter is None:
            delimiter = "\t" if path.lower().removesuffix(".gz").endswith((".tsv", ".tab")) else \
                sniff_delimiter(sample_text.lstrip("\ufeff").split("\n", 1)[0])
        rows, text_columns = _csv_rows(text, delimiter, columns, max_bytes, chosen, what)
    elif fmt == "jsonl":
        rows, text_columns = _jsonl_rows(text, columns, max_bytes, chosen, what)
    else:
        raise UsageError(f"unknown input format {fmt!r}", "Use csv or jsonl.")

    def position() -> int | None:
        try:
            return raw.tell() if size else None
        except (OSError, ValueError):
            return None

    def close() -> None:
        if raw is not sys.stdin.buffer:
            raw.close()

    return Opened(rows, fmt, chosen, guessed, delimiter if fmt == "csv" else None, text_columns, position, size, close)
