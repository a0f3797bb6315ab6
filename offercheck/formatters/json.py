"""One schema-versioned JSON object per report (the schema is documented in the README)."""

from __future__ import annotations

import json
from typing import TextIO

from ..model import Report

# JSON keeps non-Latin text readable (ensure_ascii=False) but escapes C0 controls itself;
# C1 controls and bidi overrides are escaped here too, so `jq` output cannot drive a terminal,
# and so are lone surrogates, which a UTF-8 stream cannot encode (or writes back as raw bytes).
_ESCAPE = {c: f"\\u{c:04x}" for c in range(0x80, 0xA0)} | {c: f"\\u{c:04x}" for c in range(0xD800, 0xE000)} | {
    ord(c): f"\\u{ord(c):04x}" for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
}


def dumps(data: object, indent: int | None = 2) -> str:
    return json.dumps(data, ensure_ascii=False, indent=indent).translate(_ESCAPE)


def render(report: Report, out: TextIO, *, include_text: bool = False, **_options) -> None:
    out.write(dumps(report.to_dict(include_text=include_text)) + "\n")
