"""Formatters: golden outputs, JSON round-trip, and untrusted offer text made inert in every format.

Golden files
------------
tests/golden/<offer>.<format>.txt holds the exact output of formatter <format> (plain,
markdown, text) for tests/fixtures/offers/<offer>.txt (hostile, scam, benign). After an
intended change to the output, regenerate them and review the diff before committing:

    OFFERCHECK_UPDATE_GOLDEN=1 /tmp/dev/bin/python -m pytest -q tests/test_formatters.py

Stability: rule files are being added all the time, so the reports here use only L101
(upfront-fee) and the contact rules (`select=["L101", "C"]`) with country GB, and the
volatile fields (generated_at, ruleset hash, tool version) are replaced with fixed values.
The `text` format is rendered by rich with color=True, width=100; the environment
variables rich reads (TERM, COLORTERM, FORCE_COLOR, ...) are pinned so the colour codes do
not depend on the terminal the tests run in.
"""

from __future__ import annotations

import io
import json
import os
import re
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from offercheck.api import check_text
from offercheck.formatters import FORMATTERS, render
from offercheck.formatters.common import CONTEXT_CHARS
from offercheck.model import Report
from offercheck.safety import markdown_code, markdown_text, one_line, spreadsheet_safe, terminal_safe

HERE = Path(__file__).resolve().parent
OFFERS = HERE / "fixtures" / "offers"
GOLDEN = HERE / "golden"
UPDATE = os.environ.get("OFFERCHECK_UPDATE_GOLDEN") == "1"

OFFER_NAMES = ("hostile", "scam", "benign")
GOLDEN_FORMATS = ("plain", "markdown", "text")
ALL_FORMATS = (*GOLDEN_FORMATS, "json")

FIXED_TIME = datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
FIXED_RULESET = "golden000000"
FIXED_VERSION = "0.0.0+golden"

SGR = re.compile(r"\x1b\[[0-9;]*m")  # rich's colour codes: the only escape sequences allowed

# What the hostile offer must contain, each within a finding's quoted context so that it
# actually reaches the formatters.
HOSTILE_MARKERS = {
    "rich markup": "[bold red]FAKE[/]",
    "rich link markup": "[link=https://evil.example]click[/link]",
    "rich emoji code": ":smile:",
    "clear screen": "\x1b[2J",
    "OSC 8 hyperlink": "\x1b]8;;https://evil.example\x1b\\text\x1b]8;;\x1b\\",
    "OSC 52 clipboard": "\x1b]52;c;ZXZpbA==\x07",
    "bell": "\x07",
    "backspace": "\x08",
    "8-bit CSI": "\x9b31m",
    "right-to-left override": "\u202e",
    "zero-width space in a word": "regis\u200btration fee",
    "Markdown link": "[click](https://evil.example)",
    "backticks": "`code` ```",
    "HTML script": "<script>alert(1)</script>",
    "spreadsheet formula": '=HYPERLINK("https://evil.example","x")',
    "free webmail": "amazon.hr.team@gmail.com",
}
FORBIDDEN_EVERYWHERE = {"ESC": "\x1b", "8-bit CSI": "\x9b", "BEL": "\x07", "backspace": "\x08", "RLO": "\u202e"}

RICH_ENV = {"TERM": "xterm-256color"}
RICH_ENV_UNSET = ("COLORTERM", "FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES",
                  "JUPYTER_COLUMNS", "JUPYTER_LINES")


@pytest.fixture(autouse=True)
def pinned_terminal_env(monkeypatch):
    for name, value in RICH_ENV.items():
        monkeypatch.setenv(name, value)
    for name in RICH_ENV_UNSET:
        monkeypatch.delenv(name, raising=False)


def offer_text(name: str) -> str:
    return (OFFERS / f"{name}.txt").read_bytes().decode("utf-8")  # bytes: no newline translation


def make_report(name: str) -> Report:
    report = check_text(offer_text(name), country="GB", select=["L101", "C"])
    return replace(report, generated_at=FIXED_TIME, ruleset=FIXED_RULESET, tool_version=FIXED_VERSION)


def rendered(report: Report, fmt: str, **options) -> str:
    out = io.StringIO()
    if fmt == "text":
        options = {"color": True, "width": 100, **options}
    render(report, fmt, out, **options)
    return out.getvalue()


# --- golden files ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", GOLDEN_FORMATS)
@pytest.mark.parametrize("name", OFFER_NAMES)
def test_golden_output(name, fmt):
    output = rendered(make_report(name), fmt)
    path = GOLDEN / f"{name}.{fmt}.txt"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(output.encode("utf-8"))
        return
    assert path.is_file(), f"missing golden file {path}; create it with OFFERCHECK_UPDATE_GOLDEN=1"
    expected = path.read_bytes().decode("utf-8")
    assert output == expected, (
        f"{fmt} output for {name} differs from {path.name}; if the change is intended, "
        "regenerate with OFFERCHECK_UPDATE_GOLDEN=1 and review the diff"
    )


def test_golden_reports_are_what_the_files_claim():
    """Guards the goldens' meaning: the scam is flagged, the benign offer is not."""
    levels = {name: make_report(name).level.label for name in OFFER_NAMES}
    assert levels["benign"] == "low", f"expected the benign offer to be low risk, got {levels['benign']}"
    assert levels["scam"] in ("high", "critical"), f"expected the scam to be high or critical, got {levels['scam']}"
    assert levels["hostile"] in ("high", "critical"), f"expected the hostile offer to be flagged, got {levels['hostile']}"


def test_every_format_is_registered():
    assert set(FORMATTERS) == set(ALL_FORMATS), f"expected formatters {ALL_FORMATS}, got {sorted(FORMATTERS)}"


# --- the hostile offer: what it contains ----------------------------------------------------------


@pytest.mark.parametrize(("what", "marker"), HOSTILE_MARKERS.items(), ids=list(HOSTILE_MARKERS))
def test_hostile_fixture_reaches_the_formatters(what, marker):
    text = offer_text("hostile")
    assert marker in text, f"the hostile fixture must contain the {what} {marker!r}"
    report = make_report("hostile")
    start = text.index(marker)
    shown = any(
        f.span is not None and f.span.start - CONTEXT_CHARS <= start and start + len(marker) <= f.span.end + CONTEXT_CHARS
        for f in report.findings
    )
    assert shown, f"the {what} {marker!r} must lie within some finding's quoted context, or no formatter ever sees it"


def test_hostile_findings_quote_hostile_text():
    report = make_report("hostile")
    quotes = {f.rule_id: f.quote for f in report.findings}
    assert quotes.get("L101") == "regis\u200btration fee", f"expected L101 to quote the zero-width-spaced fee, got {quotes}"
    assert quotes.get("C101") == "amazon.hr.team@gmail.com", f"expected C101 to quote the gmail address, got {quotes}"
    fee = next(f for f in report.findings if f.rule_id == "L101")
    real = report.offer.text.index("registration fee")
    assert any(s.start == real for s in fee.more_spans), f"expected the plain 'registration fee' as a further L101 hit, got {fee.more_spans}"


# --- the hostile offer: inert in every format ---------------------------------------------------


@pytest.mark.parametrize("fmt", ALL_FORMATS)
@pytest.mark.parametrize(("what", "char"), FORBIDDEN_EVERYWHERE.items(), ids=list(FORBIDDEN_EVERYWHERE))
def test_no_raw_controls_in_any_format(fmt, what, char):
    output = rendered(make_report("hostile"), fmt, include_text=True)
    if fmt == "text" and char == "\x1b":
        output = SGR.sub("", output)
    assert char not in output, f"{fmt} output must not contain a raw {what} ({char!r}); first at {output.find(char)}"


def test_text_format_has_only_colour_escapes():
    output = rendered(make_report("hostile"), "text")
    assert SGR.search(output), "expected rich's colour codes with color=True"
    assert "\x1b]8" not in output, "no OSC 8 hyperlink may reach the terminal"
    escapes = re.findall(r"\x1b.{0,6}", SGR.sub("", output))
    assert not escapes, f"only SGR colour sequences may remain, found {escapes}"


@pytest.mark.parametrize("fmt", ["plain", "text"])
def test_markup_stays_literal_in_terminal_formats(fmt):
    output = SGR.sub("", rendered(make_report("hostile"), fmt))
    for literal in ("[link=https://evil.example]click[/link]", "[bold red]FAKE[/]", ":smile:"):
        assert literal in output, f"{fmt} output must show {literal!r} literally (visible, not interpreted)"
    assert "\N{SMILING FACE WITH SMILING EYES}" not in output and "\U0001f604" not in output, "emoji codes must not be replaced"
    assert "\u241b" in output, "an ESC in the offer must show as the visible control picture ␛"


def _markdown_tokens(source: str):
    markdown_it = pytest.importorskip("markdown_it")
    tokens = markdown_it.MarkdownIt("commonmark").parse(source)
    for token in tokens:
        yield token
        yield from token.children or ()


def test_markdown_never_makes_offer_text_live():
    output = rendered(make_report("hostile"), "markdown")
    text_tokens = []
    for token in _markdown_tokens(output):
        assert token.type not in ("html_inline", "html_block"), f"offer text became raw HTML: {token.content!r}"
        if token.type == "link_open":
            href = token.attrGet("href") or ""
            assert "evil.example" not in href, f"the evil link became a live Markdown link: {href!r}"
        if token.type == "text":
            text_tokens.append(token.content)
        if token.type == "image":
            pytest.fail(f"offer text became an image: {token.attrGet('src')!r}")
    plain_text = "".join(text_tokens)
    assert "evil.example" not in plain_text, "the evil URL may appear only inside code spans"
    assert "<script>" not in plain_text, "the script tag may appear only inside code spans"
    code = [t.content for t in _markdown_tokens(output) if t.type == "code_inline"]
    assert any("[click](https://evil.example)" in c for c in code), "expected the Markdown link shown verbatim in a code span"


# --- JSON ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", OFFER_NAMES)
def test_json_round_trip(name):
    report = make_report(name)
    output = rendered(report, "json", include_text=True)
    data = json.loads(output)
    assert data == report.to_dict(include_text=True), "json.loads of the output must give back report.to_dict()"
    text = offer_text(name)
    assert data["text"] == text, "with include_text the JSON must carry the offer text unchanged"
    for finding in data["findings"]:
        if finding["start"] is not None:
            assert finding["quote"] == text[finding["start"] : finding["end"]], (
                f"{finding['rule_id']}: quote {finding['quote']!r} is not text[{finding['start']}:{finding['end']}]"
            )


def test_json_escapes_c1_bidi_and_surrogates():
    report = make_report("hostile")
    output = rendered(report, "json", include_text=True)
    for escaped in ("\\u001b", "\\u009b", "\\u202e", "\\u0007", "\\b"):
        assert escaped in output, f"expected {escaped} (escaped) in the JSON text"
    lone = replace(report, offer=replace(report.offer, text="fee \udc9b end"))
    output = rendered(lone, "json", include_text=True)
    assert "\\udc9b" in output, "a lone surrogate must be written as the escape \\udc9b"
    output.encode("utf-8")  # must not raise: nothing a UTF-8 stream cannot write
    assert json.loads(output)["text"] == "fee \udc9b end", "the escaped surrogate must round-trip"


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_lone_surrogates_are_encodable_in_every_format(fmt):
    text = "Pay the registration fee \udc9b31m \ud800 now"
    report = check_text(text, country="GB", select=["L101", "C"])
    output = rendered(report, fmt, include_text=True)
    try:
        output.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise AssertionError(f"{fmt} output holds a lone surrogate a UTF-8 stream cannot write: {exc}") from None


# --- safety.py -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("plain words", "plain words", id="plain"),
        pytest.param("Café 日本 😀", "Café 日本 😀", id="non-latin"),
        pytest.param("tab\tand\nnewline", "tab\tand\nnewline", id="tab-newline-kept"),
        pytest.param("\x1b[2J", "\u241b[2J", id="esc"),
        pytest.param("\x07", "\u2407", id="bel"),
        pytest.param("\x08", "\u2408", id="backspace"),
        pytest.param("\r", "\u240d", id="cr"),
        pytest.param("\x00", "\u2400", id="nul"),
        pytest.param("\x7f", "\u2421", id="del"),
        pytest.param("\x9b31m", "\ufffd31m", id="8-bit-csi"),
        pytest.param("\x85", "\ufffd", id="nel"),
        pytest.param("a\u202eb\u2066c", "a\ufffdb\ufffdc", id="bidi"),
        pytest.param("\u2028\u2029", "\ufffd\ufffd", id="line-separators"),
        pytest.param("x\udc9by", "x\ufffdy", id="lone-surrogate"),
    ],
)
def test_terminal_safe(text, expected):
    assert terminal_safe(text) == expected, f"terminal_safe({text!r}) should be {expected!r}, got {terminal_safe(text)!r}"
    assert len(terminal_safe(text)) == len(text), "terminal_safe must keep the length, so offsets stay valid"


def test_terminal_safe_over_every_code_point():
    every = "".join(map(chr, range(0x110000)))
    safe = terminal_safe(every)
    assert len(safe) == len(every), "terminal_safe must map one character to one character"
    bad = [f"U+{ord(c):04X}" for c in set(safe) if (ord(c) < 0x20 and c not in "\t\n") or 0x7F <= ord(c) < 0xA0
           or 0xD800 <= ord(c) < 0xE000 or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"]
    assert not bad, f"terminal_safe let through {sorted(bad)[:10]}"


def test_one_line():
    assert one_line("a\nb\tc", 10) == "a b c", "newlines and tabs must become spaces"
    assert one_line("x" * 20, 10) == "x" * 9 + "…", "long text must be cut with an ellipsis to the limit"
    assert len(one_line("x" * 20, 10)) == 10, "the cut text must be exactly the limit long"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        pytest.param("=HYPERLINK(\"https://evil.example\",\"x\")", "'=HYPERLINK(\"https://evil.example\",\"x\")", id="equals"),
        pytest.param("+1+1", "'+1+1", id="plus"),
        pytest.param("-2+3", "'-2+3", id="minus"),
        pytest.param("@SUM(A1)", "'@SUM(A1)", id="at"),
        pytest.param("\t=1", "'\t=1", id="tab"),
        pytest.param("\r=1", "'\r=1", id="cr"),
        pytest.param("\n=1", "'\n=1", id="lf"),
        pytest.param("%0A", "'%0A", id="percent"),
        pytest.param("|cmd", "'|cmd", id="pipe"),
        pytest.param("registration fee", "registration fee", id="plain"),
        pytest.param("a=b", "a=b", id="equals-inside"),
        pytest.param("", "", id="empty"),
    ],
)
def test_spreadsheet_safe(cell, expected):
    assert spreadsheet_safe(cell) == expected, f"spreadsheet_safe({cell!r}) should be {expected!r}, got {spreadsheet_safe(cell)!r}"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("plain", id="plain"),
        pytest.param("a`b", id="one-backtick"),
        pytest.param("x``y```z", id="runs"),
        pytest.param("`start", id="leading"),
        pytest.param("end`", id="trailing"),
        pytest.param("``", id="only-backticks"),
        pytest.param("` [click](https://evil.example) `", id="link-between-backticks"),
        pytest.param("<script>alert(1)</script>", id="html"),
        pytest.param("line\nbreak", id="newline"),
    ],
)
def test_markdown_code_cannot_be_closed(text):
    source = markdown_code(text)
    tokens = [t for t in _markdown_tokens(source) if t.type not in ("paragraph_open", "paragraph_close", "inline")]
    assert [t.type for t in tokens] == ["code_inline"], f"{source!r} must be one code span, got {[t.type for t in tokens]}"
    assert tokens[0].content.strip(" ") == one_line(text, 10_000).strip(" "), (
        f"the code span must hold the text itself, got {tokens[0].content!r}"
    )


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[click](https://evil.example)", id="link"),
        pytest.param("**bold** _em_ `code`", id="emphasis"),
        pytest.param("<script>alert(1)</script>", id="html"),
        pytest.param("# heading", id="heading"),
        pytest.param("![img](https://evil.example/x.png)", id="image"),
    ],
)
def test_markdown_text_is_inert(text):
    tokens = [t for t in _markdown_tokens(markdown_text(text)) if t.type not in ("paragraph_open", "paragraph_close", "inline")]
    assert [t.type for t in tokens] == ["text"], f"{text!r} must stay plain text, got {[t.type for t in tokens]}"
    assert tokens[0].content == text, f"the escaped text must read as the original, got {tokens[0].content!r}"
