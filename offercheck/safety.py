"""The one place untrusted text is made inert for terminals, spreadsheets and Markdown.

Rich's Text() stops markup but passes ESC/OSC sequences through, so offer text is always
run through terminal_safe() before it reaches a console, in every format.
"""

from __future__ import annotations

# C0 controls (except TAB and LF) and DEL become their visible "control picture"
# (U+2400 block), one character for one, so evidence offsets stay valid.
_C0_PICTURES = {c: 0x2400 + c for c in range(0x20) if c not in (0x09, 0x0A)} | {0x7F: 0x2421}
# C1 controls (8-bit CSI 0x9B, ...), bidi overrides and isolates (trojan-source) and the
# line/paragraph separators become U+FFFD. So do lone surrogates (U+D800-U+DFFF): a command-line
# argument that is not valid UTF-8 reaches Python as surrogate escapes, which a UTF-8 stdout in
# surrogateescape mode writes back as the raw bytes (0x9B is an 8-bit CSI) and a strict one refuses.
_REPLACED = {c: 0xFFFD for c in range(0x80, 0xA0)} | {c: 0xFFFD for c in range(0xD800, 0xE000)} | {
    ord(c): 0xFFFD for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u2028\u2029"
}
_TERMINAL_TABLE = _C0_PICTURES | _REPLACED


def terminal_safe(text: str) -> str:
    """Make untrusted text inert for a terminal; same length as the input."""
    return text.translate(_TERMINAL_TABLE)


def one_line(text: str, limit: int = 200) -> str:
    """Terminal-safe, newlines shown as a space, cut to `limit` characters with an ellipsis."""
    flat = terminal_safe(text).replace("\n", " ").replace("\t", " ")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def spreadsheet_safe(cell: str) -> str:
    """Stop a spreadsheet from reading a CSV cell as a formula (CWE-1236, OWASP ASVS 1.2.10)."""
    return "'" + cell if cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")) else cell


def markdown_code(text: str) -> str:
    """Untrusted text as a Markdown code span that no backtick inside it can close."""
    safe = one_line(text, 10_000)
    longest = run = 0
    for ch in safe:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if safe.startswith("`") or safe.endswith("`") or not safe.strip() else ""
    return f"{fence}{pad}{safe}{pad}{fence}"


def markdown_text(text: str) -> str:
    """Untrusted text as inline Markdown with every markup character escaped."""
    out = []
    for ch in one_line(text, 10_000):
        if ch in "\\`*_{}[]()<>#+-.!|~":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)
