"""Read an offer from an argument, stdin or a file, refusing what is not usable text.

Nothing is truncated silently: input over the limit is refused with the limit named.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path
from typing import BinaryIO

from .errors import InputError

DEFAULT_MAX_BYTES = 1_000_000


def _describe_size(size: int) -> str:
    return f"{size:,} bytes"


def _too_big(what: str, limit: int) -> InputError:
    return InputError(
        f"{what} is larger than the limit of {_describe_size(limit)}",
        "Check a smaller part of it, or raise the limit with --max-bytes.",
    )


def decode(data: bytes, what: str, encoding: str | None = None) -> str:
    """Bytes -> text: the given encoding, else UTF-8 (BOM allowed), else UTF-16 with a BOM."""
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}", "Use a name such as utf-8, latin-1 or cp1252.") from None
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{what} is not valid {encoding} (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                "Check the --encoding you gave.",
            ) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{what} starts with a UTF-16 byte-order mark but is not valid UTF-16 (offset {exc.start})",
                "Save it again as UTF-8 text.",
            ) from None
    if b"\x00" in data[:8192]:
        raise InputError(
            f"{what} looks like a binary file, not text (it contains NUL bytes)",
            "Copy the offer's text into a .txt file, or paste it as an argument.",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{what} is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}), nor UTF-16 with a byte-order mark",
            "Give its encoding, e.g. --encoding latin-1 or --encoding cp1252, or save it as UTF-8.",
        ) from None


def _require_text(text: str, what: str) -> str:
    if not text.strip():
        raise InputError(f"{what} is empty", "Paste the offer's text, or give a file that contains it.")
    return text


def read_stream(stream: BinaryIO, what: str, max_bytes: int, encoding: str | None = None) -> str:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_big(what, max_bytes)
    return _require_text(decode(data, what, encoding), what)


def read_file(path: str, max_bytes: int, encoding: str | None = None) -> str:
    """A text file's offer, decoded; refused when missing, a directory, too large or not text."""
    return _require_text(decode(read_file_bytes(path, max_bytes), path, encoding), path)


def read_argument(text: str, max_bytes: int, encoding: str | None = None) -> str:
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise _too_big("the offer text", max_bytes)
    if "\x00" in text:
        raise InputError("the offer text contains NUL characters", "Paste plain text.")
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        # Bytes the locale could not decode arrive as surrogate escapes: get the bytes back
        # and decode them like a file's, so bad input is refused (or --encoding applies).
        try:
            data = os.fsencode(text)
        except UnicodeEncodeError:
            raise InputError("the offer text contains invalid characters (lone surrogates)", "Paste plain text.") from None
        text = decode(data, "the offer text", encoding)
    return _require_text(text, "the offer text")


def read_file_bytes(path: str, max_bytes: int) -> bytes:
    """A file's bytes, unchanged (for e-mails and evidence bundles); the same errors as read_file."""
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{path} is a directory, not a file", "Give the path of a file with the offer in it.")
    try:
        with open(target, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"{path} does not exist", "Check the path, or paste the offer as an argument.") from None
    except PermissionError:
        raise InputError(f"cannot read {path}: permission denied", "Check the file's permissions.") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not a file", "Give the path of a file.") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}", "Check the path and try again.") from None
    if len(data) > max_bytes:
        raise _too_big(path, max_bytes)
    return data
