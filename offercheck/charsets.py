"""Bytes of a fetched page -> text: the header's charset, a BOM, <meta charset>, or detection.

A declared charset that the bytes do not fit (a "UTF-8" page in Windows-1252) is not trusted:
the next candidate is tried and the report notes it. The last resort is Windows-1252, the
WHATWG default, which decodes any byte.
"""

from __future__ import annotations

import codecs
import re

_META = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
# WHATWG Encoding: these labels mean windows-1252 on the web.
_WEB_ALIASES = {"iso-8859-1": "windows-1252", "latin1": "windows-1252", "latin-1": "windows-1252",
                "us-ascii": "windows-1252", "ascii": "windows-1252", "iso8859-1": "windows-1252"}


def _codec(label: str) -> str:
    label = _WEB_ALIASES.get(label.strip().lower(), label.strip().lower())
    try:
        return codecs.lookup(label).name
    except LookupError:
        return ""


def meta_charset(body: bytes) -> str:
    match = _META.search(body[:4096])
    return match.group(1).decode("ascii").lower() if match else ""


def decode_body(body: bytes, header_charset: str = "", html: bool = True) -> tuple[str, str, str]:
    """(text, the charset used, a note when a declared charset was wrong or unknown)."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(name, errors="replace"), name.replace("-sig", ""), ""
    declared = [(header_charset, "the server's header")] + ([(meta_charset(body), "the page's <meta>")] if html else [])
    notes = []
    for label, where in declared:
        if not label:
            continue
        codec = _codec(label)
        if not codec:
            notes.append(f"{where} names an unknown charset {label!r}")
            continue
        try:
            return body.decode(codec), codec, "; ".join(notes)
        except UnicodeDecodeError:
            notes.append(f"{where} says {label}, but the page is not valid {label}")
    try:
        return body.decode("utf-8"), "utf-8", "; ".join(notes)
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace"), "cp1252", "; ".join(notes + ["read as Windows-1252 (guessed)"])
