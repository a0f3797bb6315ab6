"""The command line: input handling, exit statuses, options, sub-commands and error paths.

Commands run in-process through typer's CliRunner (stdout and stderr are captured
separately: `result.stdout`, `result.stderr`), plus a few real `python -m offercheck`
subprocesses for what only a fresh interpreter shows (the console entry point, import
cost, undecodable bytes in argv).

Findings change while rule files are being added, so the assertions here are about what
one rule (L101 upfront-fee) or one kind of rule (C, contact) does, never about counts.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import offercheck
from offercheck.cli import app
from offercheck.model import SCHEMA_VERSION, Level
from offercheck.reporting_contacts import HOW_TO_CHOOSE, NO_COUNTRY_NOTICE

REPO = Path(__file__).resolve().parents[1]
OFFERS = Path(__file__).resolve().parent / "fixtures" / "offers"
EXAMPLE = REPO / "data" / "examples" / "whatsapp-task-scam.txt"
SCAM = OFFERS / "scam.txt"
BENIGN = OFFERS / "benign.txt"

FEE_OFFER = "Hi dear, you are selected. Pay the registration fee of 150 USD today."
CAFE_OFFER = "Café job in Paris: pay the registration fee of 150 EUR first."

# Country and colour come from the environment: start every command without them.
CLEAN_ENV: dict[str, str | None] = {
    "OFFERCHECK_COUNTRY": None,
    "LC_ALL": None,
    "LC_MESSAGES": None,
    "LANG": None,
    "NO_COLOR": None,
}

RUNNER = CliRunner()


def run(args: list[str], *, input: str | bytes | None = None, env: dict[str, str | None] | None = None, **kwargs):
    return RUNNER.invoke(app, args, input=input, env={**CLEAN_ENV, **(env or {})}, **kwargs)


def run_json(args: list[str], **kwargs) -> dict:
    result = run([*args, "--format", "json"], **kwargs)
    assert result.exit_code == 0, f"expected exit 0 for {args}, got {result.exit_code}; stderr: {result.stderr!r}"
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError as exc:  # pragma: no cover - the message is the point
        raise AssertionError(f"--format json printed something that is not JSON ({exc}): {result.stdout[:300]!r}") from None


def flat(text: str) -> str:
    """Output with its line wrapping undone, for phrases that may wrap."""
    return " ".join(text.split())


def rule_ids(data: dict) -> list[str]:
    return [f["rule_id"] for f in data["findings"]]


def subprocess_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


# --- input files ------------------------------------------------------------------------


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """A directory of awkward input files, named for what is awkward about them."""
    (tmp_path / "offer.txt").write_text(CAFE_OFFER, encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes(CAFE_OFFER.encode("latin-1"))
    (tmp_path / "utf16.txt").write_bytes(CAFE_OFFER.encode("utf-16"))  # with a BOM
    (tmp_path / "utf8bom.txt").write_bytes(codecs.BOM_UTF8 + CAFE_OFFER.encode("utf-8"))
    (tmp_path / "crlf.txt").write_bytes(b"Hello.\r\nPay the registration fee.\r\nBye.\r\n")
    (tmp_path / "binary.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\t\n  ", encoding="utf-8")
    (tmp_path / "big.txt").write_text("registration fee " * 10, encoding="utf-8")
    (tmp_path / "folder").mkdir()
    return tmp_path


def _args(args: list[str], where: Path) -> list[str]:
    return [a.replace("{dir}", str(where)) for a in args]


# --- input that is refused: exit 2, a message on stderr, nothing on stdout -------------------


@pytest.mark.parametrize(
    ("args", "stdin", "expected"),
    [
        pytest.param(["check"], None, ["no offer given", "--file"], id="no-input"),
        pytest.param(["check", FEE_OFFER, "--file", "{dir}/offer.txt"], None, ["either as TEXT or with --file"], id="text-and-file"),
        pytest.param(["check", ""], None, ["empty"], id="empty-argument"),
        pytest.param(["check", "   \n\t "], None, ["empty"], id="whitespace-argument"),
        pytest.param(["check", "-"], "", ["standard input is empty"], id="empty-stdin"),
        pytest.param(["check", "-"], " \n \n", ["standard input is empty"], id="whitespace-stdin"),
        pytest.param(["check", "--file", "{dir}/empty.txt"], None, ["empty.txt is empty"], id="empty-file"),
        pytest.param(["check", "--file", "{dir}/blank.txt"], None, ["blank.txt is empty"], id="whitespace-file"),
        pytest.param(["check", "--file", "{dir}/folder"], None, ["is a directory"], id="directory"),
        pytest.param(["check", "--file", "{dir}/missing.txt"], None, ["missing.txt does not exist"], id="missing-file"),
        pytest.param(["check", "--file", "{dir}/binary.bin"], None, ["binary", "NUL"], id="binary-file"),
        pytest.param(["check", "contains \x00 a NUL"], None, ["NUL"], id="nul-in-argument"),
        pytest.param(
            ["check", "--file", "{dir}/latin1.txt"],
            None,
            ["not valid UTF-8", "byte 0xe9", "--encoding"],
            id="latin1-without-encoding",
        ),
        pytest.param(["check", "--file", "{dir}/offer.txt", "--encoding", "no-such-codec"], None, ["unknown encoding"], id="unknown-encoding"),
        pytest.param(["check", "--file", "{dir}/big.txt", "--max-bytes", "100"], None, ["larger than the limit of 100 bytes", "--max-bytes"], id="file-over-max-bytes"),
        pytest.param(["check", "registration fee " * 10, "--max-bytes", "100"], None, ["larger than the limit of 100 bytes"], id="argument-over-max-bytes"),
        pytest.param(["check", "-", "--max-bytes", "100"], "registration fee " * 10, ["standard input is larger than the limit of 100 bytes"], id="stdin-over-max-bytes"),
        pytest.param(["check", "--file", "-", "--max-bytes", "100"], "registration fee " * 10, ["larger than the limit of 100 bytes"], id="file-dash-over-max-bytes"),
        pytest.param(["check", FEE_OFFER, "--max-bytes", "0"], None, ["--max-bytes"], id="max-bytes-zero"),
        pytest.param(["check", FEE_OFFER, "--fail-on", "bogus"], None, ["--fail-on", "bogus"], id="fail-on-invalid"),
        pytest.param(["check", FEE_OFFER, "--format", "html"], None, ["--format"], id="format-invalid"),
        pytest.param(["check", FEE_OFFER, "--country", "XX1"], None, ["--country 'XX1'", "ISO 3166-1"], id="country-junk"),
        pytest.param(["check", FEE_OFFER, "--country", "G"], None, ["ISO 3166-1"], id="country-one-letter"),
        pytest.param(["check", FEE_OFFER, "--country", "Narnia"], None, ["ISO 3166-1"], id="country-unknown-name"),
        pytest.param(["check", "registration fee \udc9b31m"], None, ["not valid UTF-8", "0x9b", "--encoding"], id="argument-undecodable-bytes"),
        pytest.param(["explain", "NOPE"], None, ["no rule called 'NOPE'", "offercheck rules"], id="explain-unknown"),
        pytest.param(["contacts", "XX1"], None, ["country 'XX1'", "ISO 3166-1"], id="contacts-junk"),
    ],
)
def test_refused_input_exits_2(inputs, args, stdin, expected):
    result = run(_args(args, inputs), input=stdin)
    assert result.exit_code == 2, f"expected exit 2 for {args}, got {result.exit_code}; stderr: {result.stderr!r}"
    for fragment in expected:
        assert fragment in result.stderr, f"expected {fragment!r} in the error message, got {result.stderr!r}"
    assert result.stdout == "", f"a refused input must print no report (nothing truncated silently), got {result.stdout[:200]!r}"
    assert "Traceback" not in result.output, f"an input error must not show a traceback: {result.output!r}"


def test_input_errors_have_one_error_line_and_a_hint(inputs):
    result = run(["check", "--file", f"{inputs}/latin1.txt"])
    lines = result.stderr.splitlines()
    assert len(lines) == 2, f"expected an error line and a hint line, got {lines}"
    assert lines[0].startswith("offercheck: error: "), f"the first line must start with 'offercheck: error: ', got {lines[0]!r}"
    assert "--encoding latin-1" in lines[1], f"the hint must suggest --encoding latin-1, got {lines[1]!r}"


# --- input that is accepted: the fee is found, quoted exactly ---------------------------------


@pytest.mark.parametrize(
    ("args", "stdin", "source", "text"),
    [
        pytest.param(["check", FEE_OFFER], None, "argument", FEE_OFFER, id="argument"),
        pytest.param(["check", "-"], FEE_OFFER, "stdin", FEE_OFFER, id="stdin-dash"),
        pytest.param(["check", "--file", "-"], FEE_OFFER, "stdin", FEE_OFFER, id="file-dash"),
        pytest.param(["check", "-"], FEE_OFFER.encode("utf-8"), "stdin", FEE_OFFER, id="stdin-bytes"),
        pytest.param(["check", "--file", "{dir}/offer.txt"], None, "offer.txt", CAFE_OFFER, id="file"),
        pytest.param(["check", "-f", "{dir}/offer.txt"], None, "offer.txt", CAFE_OFFER, id="file-short-option"),
        pytest.param(["check", "--file", "{dir}/latin1.txt", "--encoding", "latin-1"], None, "latin1.txt", CAFE_OFFER, id="latin1-with-encoding"),
        pytest.param(["check", "--file", "{dir}/utf16.txt"], None, "utf16.txt", CAFE_OFFER, id="utf16-bom"),
        pytest.param(["check", "--file", "{dir}/utf8bom.txt"], None, "utf8bom.txt", CAFE_OFFER, id="utf8-bom"),
        pytest.param(["check", "--file", "{dir}/offer.txt", "--max-bytes", "1000"], None, "offer.txt", CAFE_OFFER, id="under-max-bytes"),
        # Bytes that are not UTF-8 reach argv as surrogate escapes; --encoding decodes them.
        pytest.param(["check", "registration fee \udce9t\udce9", "--encoding", "latin-1"], None, "argument", "registration fee été", id="argument-bytes-with-encoding"),
    ],
)
def test_accepted_input_is_checked(inputs, args, stdin, source, text):
    data = run_json([*_args(args, inputs), "--select", "L101", "--include-text"], input=stdin)
    assert data["text"] == text, f"expected the offer text {text!r} (decoded, no BOM), got {data['text']!r}"
    assert data["source"] == source, f"expected source {source!r}, got {data['source']!r}"
    assert rule_ids(data) == ["L101"], f"expected the upfront fee (L101) to be found, got {rule_ids(data)}"
    finding = data["findings"][0]
    assert finding["quote"] == "registration fee", f"expected the quote 'registration fee', got {finding['quote']!r}"
    assert text[finding["start"] : finding["end"]] == finding["quote"], "the quote must be the text at its offsets"


def test_crlf_offsets_refer_to_the_newline_normalised_text(inputs):
    data = run_json(["check", "--file", f"{inputs}/crlf.txt", "--select", "L101", "--include-text"])
    assert "\r" not in data["text"], "\\r\\n must be normalised to \\n before offsets are taken"
    finding = data["findings"][0]
    assert data["text"][finding["start"] : finding["end"]] == finding["quote"] == "registration fee", (
        f"expected offsets into the normalised text to give 'registration fee', got {finding}"
    )


# --- JSON ---------------------------------------------------------------------------------


def test_json_output_schema_and_offsets():
    text = SCAM.read_text(encoding="utf-8")
    data = run_json(["check", "--file", str(SCAM)])
    for key in ("schema", "tool", "tool_version", "ruleset", "generated_at", "level", "score", "summary", "findings",
                "checks", "contacts_found", "verify_steps", "reporting", "text_length"):
        assert key in data, f"expected key {key!r} in the JSON report, got {sorted(data)}"
    assert data["schema"] == SCHEMA_VERSION, f"expected schema {SCHEMA_VERSION}, got {data['schema']!r}"
    assert data["level"] in {level.label for level in Level}, f"unexpected level {data['level']!r}"
    assert isinstance(data["score"], int) and 0 <= data["score"] <= 100, f"score must be 0..100, got {data['score']!r}"
    assert "text" not in data, "the offer text is only included with --include-text"
    assert data["text_length"] == len(text), f"expected text_length {len(text)}, got {data['text_length']}"
    assert "L101" in rule_ids(data), f"expected the scam's registration fee (L101) among {rule_ids(data)}"
    for finding in data["findings"]:
        if finding["start"] is None:
            continue
        assert 0 <= finding["start"] <= finding["end"] <= len(text), f"{finding['rule_id']}: span outside the text"
        assert text[finding["start"] : finding["end"]] == finding["quote"], (
            f"{finding['rule_id']}: text[start:end] is {text[finding['start']:finding['end']]!r}, quote is {finding['quote']!r}"
        )
        for hit in finding["more_hits"]:
            assert 0 <= hit["start"] < hit["end"] <= len(text), f"{finding['rule_id']}: a further hit lies outside the text"
    assert sum(f["contribution"] for f in data["findings"]) == data["score"], "the contributions must add up to the score"


# --- --fail-on -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offer", "fail_on", "expected"),
    [
        pytest.param(SCAM, "high", 3, id="scam-high"),
        pytest.param(SCAM, "medium", 3, id="scam-medium"),
        pytest.param(BENIGN, "high", 0, id="benign-high"),
        pytest.param(BENIGN, "medium", 0, id="benign-medium"),
        pytest.param(SCAM, None, 0, id="scam-without-fail-on"),
    ],
)
def test_fail_on(offer, fail_on, expected):
    # Only L101 and the contact rules, so that rules being added cannot move the benign offer's level.
    args = ["check", "--file", str(offer), "--format", "plain", "--select", "L101,C"] + (["--fail-on", fail_on] if fail_on else [])
    result = run(args)
    assert result.exit_code == expected, f"expected exit {expected} for {offer.name} with --fail-on {fail_on}, got {result.exit_code}; stderr {result.stderr!r}"
    assert result.stdout.startswith("offercheck: "), f"the report must still be printed, got {result.stdout[:100]!r}"


# --- country ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "env", "country"),
    [
        pytest.param(["--country", "GB"], {}, "GB", id="option"),
        pytest.param(["--country", "gb"], {}, "GB", id="option-lower-case"),
        pytest.param(["--country", "UK"], {}, "GB", id="option-alias"),
        pytest.param(["-c", "GB"], {}, "GB", id="short-option"),
        pytest.param([], {"OFFERCHECK_COUNTRY": "GB"}, "GB", id="env-var"),
        pytest.param(["--country", "US"], {"OFFERCHECK_COUNTRY": "GB"}, "US", id="option-beats-env-var"),
        pytest.param([], {"LANG": "en_GB.UTF-8"}, "GB", id="locale-lang"),
        pytest.param([], {"OFFERCHECK_COUNTRY": "US", "LANG": "en_GB.UTF-8"}, "US", id="env-var-beats-locale"),
        pytest.param([], {"LC_ALL": "C", "LANG": "en_GB.UTF-8"}, "INTL", id="lc-all-c-means-no-country"),
        pytest.param([], {"LANG": "C.UTF-8"}, "INTL", id="locale-without-territory"),
        pytest.param([], {}, "INTL", id="none"),
    ],
)
def test_country_choice(options, env, country):
    data = run_json(["check", FEE_OFFER, *options], env=env)
    assert data["reporting"]["country"] == country, f"expected contacts for {country}, got {data['reporting']['country']!r}"
    assert data["reporting"]["contacts"], "there must always be somewhere to report"


def test_country_gb_shows_uk_contacts():
    result = run(["check", FEE_OFFER, "--country", "GB", "--format", "plain"])
    assert result.exit_code == 0, f"expected exit 0, got {result.exit_code}: {result.stderr!r}"
    assert "Where to report and get help (United Kingdom):" in result.stdout, f"expected the UK heading in {result.stdout!r}"
    assert "No country chosen" not in result.stdout, "with a country chosen, the how-to-choose notice must not show"


def test_no_country_shows_international_contacts_and_how_to_choose():
    result = run(["check", FEE_OFFER, "--format", "plain"])
    assert result.exit_code == 0, f"expected exit 0, got {result.exit_code}: {result.stderr!r}"
    assert "Where to report and get help (International):" in result.stdout, f"expected the international heading in {result.stdout!r}"
    assert NO_COUNTRY_NOTICE in flat(result.stdout), f"expected the notice {NO_COUNTRY_NOTICE!r} in the plain output"
    assert HOW_TO_CHOOSE in flat(result.stdout), "the notice must say how to choose a country"


# --- --select and --ignore -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "must_have", "allowed"),
    [
        pytest.param(["--select", "L101"], {"L101"}, lambda rid: rid == "L101", id="select-id"),
        pytest.param(["--select", "upfront-fee"], {"L101"}, lambda rid: rid == "L101", id="select-name"),
        pytest.param(["--select", "l101"], {"L101"}, lambda rid: rid == "L101", id="select-lower-case"),
        pytest.param(["--select", "L101,C101"], {"L101", "C101"}, lambda rid: rid in {"L101", "C101"}, id="select-two"),
        pytest.param(["--select", "C"], {"C101"}, lambda rid: rid.startswith("C"), id="select-prefix"),
        pytest.param(["--ignore", "C"], {"L101"}, lambda rid: not rid.startswith("C"), id="ignore-contact"),
        pytest.param(["--select", "L101,C", "--ignore", "C101"], {"L101"}, lambda rid: rid != "C101" and (rid == "L101" or rid.startswith("C")), id="select-and-ignore"),
    ],
)
def test_select_and_ignore(options, must_have, allowed):
    data = run_json(["check", "--file", str(SCAM), *options])
    found = set(rule_ids(data))
    assert must_have <= found, f"expected {sorted(must_have)} among the findings with {options}, got {sorted(found)}"
    unexpected = [rid for rid in found if not allowed(rid)]
    assert not unexpected, f"{options} must limit the findings, but these came through: {unexpected}"


def test_select_nothing_matching_gives_no_findings():
    data = run_json(["check", "--file", str(SCAM), "--select", "Z999"])
    assert data["findings"] == [], f"a selection matching no rule must give no findings, got {rule_ids(data)}"
    assert data["level"] == "low" and data["score"] == 0, f"expected low/0 with no rules, got {data['level']}/{data['score']}"


# --- rules, explain, contacts, --version -----------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(["rules"], ["L101", "upfront-fee", "C101", "free-webmail-for-company", "offercheck explain ID"], id="rules"),
        pytest.param(["rules", "--format", "markdown"], ["| id | name |", "| L101 | upfront-fee |"], id="rules-markdown"),
        pytest.param(["explain", "L101"], ["upfront-fee (L101)", "Why it matters", "Sources", "Triggers on", "Does not trigger on",
                                           "A refundable registration fee of $150 secures your place.", "FTC: Job Scams Explained"], id="explain-id"),
        pytest.param(["explain", "upfront-fee"], ["upfront-fee (L101)", "Why it matters", "Sources"], id="explain-name"),
        pytest.param(["explain", "l101"], ["upfront-fee (L101)"], id="explain-lower-case"),
        pytest.param(["explain", "C101", "--format", "markdown"], ["# free-webmail-for-company (C101)", "## Why it matters", "## Sources"], id="explain-markdown"),
        pytest.param(["contacts", "GB"], ["Where to report and get help: United Kingdom"], id="contacts-gb"),
        pytest.param(["contacts", "uk"], ["Where to report and get help: United Kingdom"], id="contacts-alias"),
        pytest.param(["contacts"], ["Where to report and get help: International", "No country chosen"], id="contacts-none"),
        pytest.param(["--version"], [f"offercheck {offercheck.__version__}"], id="version"),
        pytest.param(["check", "--help"], ["--fail-on", "--select", "--max-bytes", "Exit status"], id="check-help"),
    ],
)
def test_commands(args, expected):
    result = run(args)
    assert result.exit_code == 0, f"expected exit 0 for {args}, got {result.exit_code}; stderr {result.stderr!r}"
    for fragment in expected:
        assert fragment in result.stdout, f"expected {fragment!r} in the output of {args}, got {result.stdout[:500]!r}"


def test_rules_lists_every_rule_once_in_the_plain_table():
    result = run(["rules", "--format", "plain"])
    rows = [line.split()[0] for line in result.stdout.splitlines() if re.match(r"[LCDM]\d{3}\s", line)]
    assert "L101" in rows and "C101" in rows, f"expected L101 and C101 rows, got {rows}"
    assert len(rows) == len(set(rows)), f"each rule must be listed once, got {rows}"
    assert f"{len(rows)} rules, plus" in result.stdout, f"the footer must count the {len(rows)} rules listed"


def test_rules_json():
    result = run(["rules", "--format", "json"])
    assert result.exit_code == 0, f"expected exit 0, got {result.exit_code}: {result.stderr!r}"
    rules = json.loads(result.stdout)
    assert isinstance(rules, list), f"expected a JSON list of rules, got {type(rules).__name__}"
    by_id = {r["id"]: r for r in rules}
    assert {"L101", "C101"} <= set(by_id), f"expected L101 and C101 in {sorted(by_id)}"
    for rule in rules:
        for key in ("id", "name", "check", "severity", "weight", "why", "sources"):
            assert key in rule, f"{rule.get('id')}: expected key {key!r} in the rule's JSON"
    assert by_id["L101"]["name"] == "upfront-fee", f"expected L101 to be upfront-fee, got {by_id['L101']['name']!r}"


def test_rules_check_filter():
    rules = json.loads(run(["rules", "--check", "contact", "--format", "json"]).stdout)
    assert rules and all(r["check"] == "contact" for r in rules), f"--check contact must list only contact rules, got {[r['id'] for r in rules]}"


def test_explain_json():
    data = json.loads(run(["explain", "upfront-fee", "--format", "json"]).stdout)
    assert data["id"] == "L101", f"expected explain upfront-fee to give L101, got {data.get('id')!r}"
    assert data["sources"] and data["triggers_on"], "the explanation must carry sources and examples"


def test_contacts_error_names_the_argument_not_an_option():
    result = run(["contacts", "XX1"])
    first = result.stderr.splitlines()[0]
    assert first == "offercheck: error: country 'XX1' is not an ISO 3166-1 country code", (
        f"`contacts` takes the country as an argument; the error must not name --country: {first!r}"
    )


def test_contacts_from_environment():
    result = run(["contacts"], env={"OFFERCHECK_COUNTRY": "GB"})
    assert "Where to report and get help: United Kingdom" in result.stdout, f"expected OFFERCHECK_COUNTRY=GB to pick the UK, got {result.stdout[:200]!r}"
    result = run(["contacts"], env={"LANG": "en_GB.UTF-8"})
    assert "Where to report and get help: United Kingdom" in result.stdout, f"expected LANG=en_GB.UTF-8 to pick the UK, got {result.stdout[:200]!r}"


def test_contacts_json():
    data = json.loads(run(["contacts", "GB", "--format", "json"]).stdout)
    assert data["country"] == "GB" and data["contacts"], f"expected GB contacts, got {data.get('country')!r}"


def test_no_command_shows_usage():
    result = run([])
    assert "Usage" in result.output and "check" in result.output, f"expected usage with the command list, got {result.output[:300]!r}"


# --- internal errors -------------------------------------------------------------------------


def _boom(*_args, **_kwargs):
    raise RuntimeError("boom")


def test_internal_error_is_one_line_without_traceback(monkeypatch):
    monkeypatch.setattr("offercheck.api.check_text", _boom)
    result = run(["check", FEE_OFFER, "--format", "plain"])
    assert result.exit_code == 1, f"expected exit 1 for an internal error, got {result.exit_code}"
    lines = result.stderr.splitlines()
    assert lines and lines[0] == "offercheck: error: internal error: RuntimeError: boom", f"expected one 'internal error' line, got {lines}"
    assert "--traceback" in result.stderr, "the hint must point to --traceback"
    assert "Traceback" not in result.output, f"no traceback without --traceback: {result.output!r}"
    assert result.stdout == "", f"no report on an internal error, got {result.stdout!r}"


def test_traceback_option_lets_the_exception_through(monkeypatch):
    monkeypatch.setattr("offercheck.api.check_text", _boom)
    result = run(["check", FEE_OFFER, "--traceback"])
    assert isinstance(result.exception, RuntimeError), f"expected the RuntimeError to propagate, got {result.exception!r}"
    assert result.exit_code == 1, f"expected exit 1, got {result.exit_code}"


def test_interrupt_exits_130(monkeypatch):
    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("offercheck.api.check_text", interrupted)
    result = run(["check", FEE_OFFER])
    assert result.exit_code == 130, f"expected exit 130 on Ctrl-C, got {result.exit_code}"
    assert "interrupted" in result.stderr, f"expected 'interrupted' on stderr, got {result.stderr!r}"


def test_error_messages_are_terminal_safe(inputs):
    result = run(["check", "--file", f"{inputs}/\x1b]52;c;ZXZpbA==\x07evil\x9b.txt"])
    assert result.exit_code == 2, f"expected exit 2 for a missing file, got {result.exit_code}"
    for bad in ("\x1b", "\x07", "\x9b"):
        assert bad not in result.stderr, f"the error message must not pass {bad!r} to the terminal: {result.stderr!r}"


# --- the real console script -----------------------------------------------------------------


def test_python_m_offercheck_on_the_bundled_example():
    proc = subprocess.run(
        [sys.executable, "-m", "offercheck", "check", "--file", str(EXAMPLE)],
        capture_output=True, text=True, encoding="utf-8", env=subprocess_env(), timeout=60,
    )
    assert proc.returncode == 0, f"expected exit 0, got {proc.returncode}; stderr {proc.stderr!r}"
    match = re.match(r"offercheck: (LOW|MEDIUM|HIGH|CRITICAL) risk \(score (\d+)/100\)", proc.stdout)
    assert match, f"expected the level on the first line (plain output, not a terminal), got {proc.stdout[:200]!r}"
    assert match.group(1) in ("HIGH", "CRITICAL"), f"expected the example task scam to be HIGH or CRITICAL, got {match.group(1)}"
    assert "\x1b" not in proc.stdout, "output to a pipe must have no colour codes"


FORBIDDEN_IMPORTS = ("httpx", "tldextract", "whois", "rich")


def test_plain_check_does_not_import_network_or_rich_modules():
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "offercheck", "check", "--file", str(EXAMPLE), "--format", "plain"],
        capture_output=True, text=True, encoding="utf-8", env=subprocess_env(), timeout=60,
    )
    assert proc.returncode == 0, f"expected exit 0, got {proc.returncode}; stderr tail {proc.stderr[-500:]!r}"
    modules = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            modules.add(line.rsplit("|", 1)[1].strip())
    assert "offercheck.api" in modules, f"expected -X importtime output naming offercheck.api, got {len(modules)} modules"
    imported = sorted(m for m in modules if m.split(".")[0] in FORBIDDEN_IMPORTS)
    assert not imported, f"a plain offline check must not import {FORBIDDEN_IMPORTS}, but imported {imported}"


@pytest.mark.skipif(os.name != "posix", reason="argv bytes are a POSIX matter")
@pytest.mark.parametrize(
    ("extra", "exit_code"),
    [
        pytest.param([], 2, id="refused"),
        pytest.param(["--encoding", "latin-1"], 0, id="decoded-with-encoding"),
    ],
)
def test_undecodable_argv_bytes_never_reach_the_terminal(extra, exit_code):
    proc = subprocess.run(
        [sys.executable.encode(), b"-m", b"offercheck", b"check", b"registration fee \x9b31m \x1b[2J now", b"--format", b"plain", *(e.encode() for e in extra)],
        capture_output=True, env=subprocess_env(), timeout=60,
    )
    assert proc.returncode == exit_code, f"expected exit {exit_code}, got {proc.returncode}; stderr {proc.stderr!r}"
    for stream, name in ((proc.stdout, "stdout"), (proc.stderr, "stderr")):
        # Strict decoding fails on a lone 0x9B byte (an 8-bit CSI); 0x9B inside a UTF-8
        # sequence, such as the control picture U+241B, is fine.
        try:
            decoded = stream.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise AssertionError(f"{name} must be valid UTF-8, with no raw bytes from argv: {exc}") from None
        for bad in ("\x9b", "\x1b"):
            assert bad not in decoded, f"{name} must not carry {bad!r}: {decoded[-300:]!r}"
    if exit_code == 2:
        assert b"0x9b" in proc.stderr and b"--encoding" in proc.stderr, f"expected the byte named and --encoding suggested: {proc.stderr!r}"
    else:
        assert b"registration fee" in proc.stdout, f"expected the fee quoted, got {proc.stdout[:300]!r}"


def test_explain_plain_wraps_bullets_under_their_text():
    out = run(["explain", "M102", "--format", "plain"]).stdout
    advice = out.split("What to do\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert advice[0].startswith("  - ") and len(advice) > 3
    bullets = [line for line in advice if line.startswith("  - ")]
    assert len(bullets) == 3, f"M102 has three pieces of advice; wrapped lines must not become bullets: {advice}"
    assert all(line.startswith("    ") for line in advice if not line.startswith("  - "))
