"""Offers that arrive as e-mails: detection by content, parsing, header findings (tests/fixtures/eml/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from offercheck.api import check_email
from offercheck.checks.email_headers import attachment_risk
from offercheck.cli import app
from offercheck.email_input import looks_like_email, parse_email

EML = Path(__file__).parent / "fixtures" / "eml"
EXAMPLE = Path(__file__).parent.parent / "data" / "examples" / "hotel-job-reply-to.eml"


def eml(name: str) -> bytes:
    return (EML / name).read_bytes()


def rule_ids(report) -> set[str]:
    return {f.rule_id for f in report.findings}


@pytest.mark.parametrize(("data", "expected"), [
    (b"From: a@b.com\nTo: c@d.com\nSubject: hi\n\nbody", True),
    (b"From a@b.com Mon Nov 23 09:00:00 2026\nFrom: a@b.com\nDate: x\nSubject: hi\n\nbody", True),  # mbox separator
    (b"Received: from x\n\tby y\nFrom: a@b.com\nMessage-ID: <1@b>\n\nbody", True),  # folded header
    (b"From: a recruiter\n\nHi dear, pay the registration fee", False),  # one header only
    (b"Hi dear, we saw your profile.\nFrom: HR\nSubject: job\n\n", False),
    (b"Subject: hi\nTo: c@d.com\nDate: x\n\nbody", False),  # no From
    (b"From: a@b.com\nTo: c@d.com\nSubject: hi", False),  # no blank line ending the headers
    (b"", False),
])
def test_looks_like_email(data, expected):
    assert looks_like_email(data) is expected, f"looks_like_email({data[:40]!r}) should be {expected}"


@pytest.mark.parametrize(("name", "risky"), [
    ("offer.pdf.exe", True), ("contract.PDF.scr", True), ("setup.js", True), ("form.docm", True),
    ("sheet.xlsm", True), ("files.zip", True), ("cv.7z", True), ("photo.jpg.lnk", True),
    ("contract.pdf", False), ("cv.docx", False), ("rota.week-48.xlsx", False), ("README", False), ("photo.jpeg", False),
])
def test_attachment_risk(name, risky):
    assert bool(attachment_risk(name)) is risky, f"{name}: expected risky={risky}, got {attachment_risk(name)!r}"


def test_multipart_with_attachments_and_failed_authentication():
    report = check_email(eml("multipart-attachment.eml"), source="multipart-attachment.eml")
    found = rule_ids(report)
    assert {"C204", "C203", "D301"} <= found, f"expected C204, C203 and D301, got {sorted(found)}"
    mail = report.evidence.mail
    assert [a.filename for a in mail.attachments] == ["contract.pdf.exe", "cv.zip"]
    assert {(a.method, a.result) for a in mail.auth} == {("spf", "pass"), ("dkim", "fail"), ("dmarc", "fail")}
    domains = {d.domain for d in report.evidence.domains}
    assert "cv.zip" not in domains, "an attachment's name is not a domain to look up"
    assert "mailer.northwind-foods.com" not in report.offer.text or all(
        c.get("domain") != "mailer.northwind-foods.com" for c in report.evidence.contacts), "the bounce address is not a contact"
    assert report.offer.text.count("open the contract attached") == 1, "the text and HTML alternatives are read once"


def test_html_only_message_is_read_without_scripts():
    report = check_email(eml("html-only.eml"))
    text = report.offer.text
    assert "Café hostess work in Dubai" in text, f"quoted-printable latin-1 HTML should be decoded: {text!r}"
    assert "alert" not in text and "color: red" not in text, "scripts and styles are dropped"
    assert "casting.dubai@gmail.com" in text, "a mailto target is kept"
    assert report.evidence.mail.parts == ("text/html",)


def test_encoded_headers_are_decoded():
    parsed = parse_email(eml("encoded-headers.eml"))
    assert parsed.addresses[0].display_name == "Amazon Recruiting Team" and parsed.subject == "Stellenangebot für Sie"
    report = check_email(eml("encoded-headers.eml"))
    assert "C202" in rule_ids(report), f"the decoded display name claims Amazon: {sorted(rule_ids(report))}"


def test_reply_to_mismatch_and_free_mail_claiming_a_company():
    report = check_email(eml("reply-to-mismatch.eml"))
    quotes = {f.rule_id: f.quote for f in report.findings}
    assert quotes.get("C201") == "hilton.hiring.desk@outlook.com", quotes
    assert "C101" in quotes, "a free-mail address for a company is C101's"


def test_attachments_listed():
    report = check_email(eml("attachments.eml"))
    finding = next(f for f in report.findings if f.rule_id == "C204")
    quoted = [finding.quote] + [report.offer.text[s.start:s.end] for s in finding.more_spans]
    assert quoted == ["timesheet.xlsm", "setup.js"], f"expected the macro file and the script, got {quoted}"


def test_recipient_address_is_not_a_contact():
    report = check_email(eml("reply-to-mismatch.eml"))
    assert all("applicant@example.net" != c.value for c in report.evidence.contacts), "the reader's own address stays out"
    assert "applicant@example.net" not in report.offer.text


def test_cli_detects_an_email_by_content_whatever_its_name(tmp_path):
    renamed = tmp_path / "message.txt"
    renamed.write_bytes(eml("reply-to-mismatch.eml"))
    result = CliRunner().invoke(app, ["check", "--file", str(renamed), "--format", "json", "--offline"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["email"]["addresses"][0]["address"] == "careers@hilton.com" and "C201" in [f["rule_id"] for f in data["findings"]]
    assert any(c["check"] == "email" for c in data["checks"])


def test_cli_email_on_stdin():
    result = CliRunner().invoke(app, ["check", "-", "--format", "json", "--offline"], input=eml("attachments.eml"))
    assert result.exit_code == 0, result.output
    assert "C204" in [f["rule_id"] for f in json.loads(result.stdout)["findings"]]


def test_an_email_larger_than_max_bytes_is_still_read(tmp_path):
    big = tmp_path / "big.eml"
    big.write_bytes(eml("attachments.eml").replace(b"alert(1)", b"alert(1)\n" + b"A" * 50_000))
    result = CliRunner().invoke(app, ["check", "--file", str(big), "--max-bytes", "2000", "--offline", "--format", "json"])
    assert result.exit_code == 0, f"an e-mail's attachments may pass --max-bytes: {result.output}"


def test_plain_text_file_is_not_taken_for_an_email(tmp_path):
    offer = tmp_path / "offer.txt"
    offer.write_text("From: a recruiter\n\nPay the registration fee of 150 USD.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", "--file", str(offer), "--format", "json", "--offline"])
    data = json.loads(result.stdout)
    assert "email" not in data and "L101" in [f["rule_id"] for f in data["findings"]]


def test_bundled_example_email():
    report = check_email(EXAMPLE.read_bytes(), source=EXAMPLE.name)
    assert report.level.label in ("medium", "high", "critical") and "C201" in rule_ids(report)
