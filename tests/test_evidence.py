"""The caseworker's evidence bundle (--save-evidence): hashes, names, never overwriting."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from offercheck.api import check_email, check_text
from offercheck.cli import app
from offercheck.evidence import save_bundle
from offercheck.lookups import DomainRecord
from offercheck.model import Status
from servers import HTTPTestServer, Reply

EML = Path(__file__).parent / "fixtures" / "eml"
SAFE_NAME = re.compile(r"^[A-Za-z0-9]+(?:[-.][A-Za-z0-9]+)*$")


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def assert_manifest_verifies(folder: Path) -> dict:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"] for f in manifest["files"]}
    on_disk = set(files_of(folder)) - {"manifest.json", "SHA256SUMS"}
    assert listed == on_disk, f"manifest lists {sorted(listed)}, folder has {sorted(on_disk)}"
    for entry in manifest["files"]:
        data = (folder / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["bytes"], entry["path"]
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, f"SHA256SUMS wrong for {name}"
    assert manifest["created_at"].endswith("Z") and manifest["tool_version"] and manifest["ruleset"]
    for path in files_of(folder):
        assert all(SAFE_NAME.match(part) for part in path.split("/")), f"{path} is not a generated name"
    return manifest


def test_cli_text_file_bundle(tmp_path):
    offer = tmp_path / "offer.txt"
    offer.write_bytes(b"Hi dear, pay the registration fee of 150 USD to hr@northwind-careers.top\r\n")
    result = CliRunner().invoke(app, ["check", "--file", str(offer), "--offline", "--save-evidence", str(tmp_path / "cases"),
                                      "--format", "plain", "--country", "GB"])
    assert result.exit_code == 0, result.output
    (folder,) = (tmp_path / "cases").iterdir()
    manifest = assert_manifest_verifies(folder)
    assert (folder / "input" / "original.txt").read_bytes() == offer.read_bytes(), "the input is kept byte for byte"
    assert manifest["options"]["offline"] is True and manifest["options"]["country"] == "GB"
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert report["text"].startswith("Hi dear") and "L101" in [f["rule_id"] for f in report["findings"]]
    assert (folder / "report.md").read_text(encoding="utf-8").startswith("#")


def test_existing_folders_are_never_overwritten(tmp_path):
    report = check_text("Pay the registration fee")
    first = save_bundle(report, tmp_path, {})
    before = files_of(first)
    second = save_bundle(report, tmp_path, {})
    third = save_bundle(report, tmp_path, {})
    assert len({first, second, third}) == 3, "each check gets a new folder"
    assert files_of(first) == before, "an earlier bundle is left exactly as it was"


def test_email_bundle_uses_generated_names_only(tmp_path):
    data = (EML / "multipart-attachment.eml").read_bytes()
    folder = save_bundle(check_email(data, source="multipart-attachment.eml"), tmp_path, {"offline": True})
    assert_manifest_verifies(folder)
    assert (folder / "input" / "original.eml").read_bytes() == data
    assert not any("contract" in name or "exe" in name for name in files_of(folder)), "attachment names never become paths"


def test_url_bundle_keeps_pages_headers_and_raw_lookups(tmp_path):
    raw_rdap = json.dumps({"objectClassName": "domain", "ldhName": "hilton-jobs-desk.top", "events": []})

    def lookup(domains):
        return {d: DomainRecord(d, d, Status.KNOWN, source="rdap", server="http://127.0.0.1:9/", raw=raw_rdap) for d in domains}

    with HTTPTestServer() as web:
        web.route("/go", Reply(status=302, headers={"Location": "/job"}, content_type="text/html"))
        web.route("/job", Reply(body='<p>Apply at <a href="https://hilton-jobs-desk.top/a">hilton.com</a></p>',
                                content_type="text/html; charset=utf-8", headers={"X-Test": "kept"}))
        from offercheck.api import check_url
        from offercheck.fetch import FetchOptions

        report = check_url(web.url + "go", offline=False, lookup=lookup, fetch_options=FetchOptions(allow_loopback=True))
    folder = save_bundle(report, tmp_path / "out", {"allow_loopback": True})
    assert_manifest_verifies(folder)
    names = set(files_of(folder))
    assert {"fetch/01-response.txt", "fetch/02-response.txt", "fetch/02-body.html", "lookups/01-raw.json",
            "lookups/01-record.json", "input/original.url.txt"} <= names, sorted(names)
    assert b"X-Test: kept" in (folder / "fetch" / "02-response.txt").read_bytes()
    assert (folder / "lookups" / "01-raw.json").read_text(encoding="utf-8") == raw_rdap


def test_unwritable_evidence_folder_is_a_usage_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(app, ["check", "registration fee", "--offline", "--save-evidence", str(blocker / "sub")])
    assert result.exit_code == 2, f"expected exit 2, got {result.exit_code}: {result.output}"
