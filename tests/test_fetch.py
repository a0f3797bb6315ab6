"""Opening links (offercheck.fetch) against a REAL HTTP server on 127.0.0.1 (tests/servers.py).

Every test runs under `--allow-loopback` semantics (FetchOptions(allow_loopback=True)) so that
only the test server is reachable, and under conftest.py's socket guard, so a redirect to
169.254.169.254, 10.0.0.1 or a name resolving to a private address is refused by offercheck's
guard AND could not leave the machine even if that guard were broken. Names are resolved by
stub resolvers, never by DNS.
"""

from __future__ import annotations

import gzip
import json
import time
import zlib

import pytest
from typer.testing import CliRunner

from offercheck.addresses import AddressPolicy, AddressRefused
from offercheck.api import check_url
from offercheck.cli import app
from offercheck.fetch import FetchOptions, fetch_page, is_web_url
from offercheck.model import Status
from servers import HTTPTestServer, Reply

HTML = "text/html; charset=utf-8"


@pytest.fixture
def web():
    with HTTPTestServer() as server:
        yield server


def options(**overrides) -> FetchOptions:
    values = dict(allow_loopback=True, timeout=5.0, connect_timeout=2.0, read_timeout=2.0)
    values.update(overrides)
    return FetchOptions(**values)


def stub_resolver(table: dict[str, list[str]]):
    asked: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        if host not in table:
            raise OSError(f"stub resolver: no such name {host}")
        return table[host]

    resolve.asked = asked
    return resolve


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status=status, headers={"Location": location}, content_type="text/html")


# --- the address guard, as a table -------------------------------------------------------------


@pytest.mark.parametrize(("address", "loopback", "private", "allowed"), [
    ("93.184.215.14", False, False, True),
    ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", False, False, True),
    ("127.0.0.1", False, False, False),
    ("127.0.0.1", True, False, True),
    ("127.8.9.10", True, False, True),
    ("::1", True, False, True),
    ("::ffff:127.0.0.1", True, False, True),
    ("10.0.0.1", True, False, False),
    ("10.0.0.1", False, True, True),
    ("172.16.5.4", False, True, True),
    ("192.168.1.1", False, False, False),
    ("100.64.0.1", False, False, False),
    ("fd00::1", False, True, True),
    ("::ffff:10.0.0.1", True, False, False),
    ("169.254.169.254", True, True, False),
    ("fe80::1", True, True, False),
    ("0.0.0.0", True, True, False),
    ("::", True, True, False),
    ("224.0.0.1", True, True, False),
    ("ff02::1", True, True, False),
    ("240.0.0.1", True, True, False),
    ("192.0.2.1", True, True, False),
    ("255.255.255.255", True, True, False),
])
def test_address_policy(address, loopback, private, allowed):
    why = AddressPolicy(loopback, private).refusal(address)
    assert (why == "") is allowed, f"{address} with loopback={loopback} private={private}: expected allowed={allowed}, got {why!r}"


def test_a_name_with_one_private_address_among_public_ones_is_refused():
    with pytest.raises(AddressRefused, match="10.0.0.7"):
        AddressPolicy().check("mixed.example", ["93.184.215.14", "10.0.0.7"])


@pytest.mark.parametrize(("text", "expected"), [
    ("https://jobs.example.top/apply", True),
    ("http://127.0.0.1:8080/", True),
    ("  https://example.org  ", True),
    ("ftp://example.org/file", False),
    ("javascript:alert(1)", False),
    ("https://", False),
    ("see https://example.org now", False),
    ("example.org", False),
])
def test_is_web_url(text, expected):
    assert is_web_url(text) is expected, f"is_web_url({text!r}) should be {expected}"


# --- redirects ------------------------------------------------------------------------------------


def test_redirect_chain_is_followed_and_every_hop_recorded(web):
    web.route("/a", redirect("/b", 301))
    web.route("/b", redirect(web.url + "c", 307))
    web.route("/c", Reply(body="<p>Warehouse job</p>", content_type=HTML))
    result = fetch_page(web.url + "a", options())
    assert result.status is Status.KNOWN, f"expected the page, got {result.reason}"
    assert [h.status for h in result.hops] == [301, 307, 200], f"expected three hops, got {result.hops}"
    assert result.final_url == web.url + "c" and all(h.address == "127.0.0.1" for h in result.hops)
    assert b"Warehouse job" in result.body


def test_redirect_loop_stops(web):
    web.route("/loop1", redirect("/loop2"))
    web.route("/loop2", redirect("/loop1"))
    result = fetch_page(web.url + "loop1", options())
    assert result.status is Status.UNKNOWN and "redirect loop" in result.reason, result.reason
    assert web.count() == 2, f"each URL should be asked once, got {web.count()} requests"


def test_more_than_five_redirects_stop(web):
    for n in range(8):
        web.route(f"/r{n}", redirect(f"/r{n + 1}"))
    result = fetch_page(web.url + "r0", options())
    assert result.status is Status.UNKNOWN and "more than 5 redirects" in result.reason, result.reason
    assert web.count() == 6, f"expected the first request plus 5 redirects, got {web.count()}"


@pytest.mark.parametrize("target", [
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/admin",
    "http://[fe80::1]/",
    "http://0.0.0.0:80/",
    "http://intranet.corp.example/",  # resolves (stub) to a private address
    "http://rebind.example/",  # resolves (stub) to a public and a private address
])
def test_redirect_to_a_private_address_is_refused_before_connecting(web, target, loopback_only):
    resolver = stub_resolver({"intranet.corp.example": ["10.1.2.3"], "rebind.example": ["93.184.215.14", "192.168.0.5"]})
    web.route("/go", redirect(target))
    result = fetch_page(web.url + "go", options(resolver=resolver))
    assert result.status is Status.UNKNOWN, f"expected the hop to {target} refused, got {result.status}"
    assert "refused before connecting" in result.reason, result.reason
    assert result.hops[-1].refused and result.hops[-1].url == target, f"the last hop should be the refused one: {result.hops}"
    assert loopback_only == [], f"nothing may be sent off the machine: {loopback_only}"


def test_loopback_is_refused_without_allow_loopback(web):
    web.route("/", Reply(body="<p>hi</p>", content_type=HTML))
    result = fetch_page(web.url, options(allow_loopback=False))
    assert result.status is Status.UNKNOWN and "--allow-loopback" in result.reason, result.reason
    assert web.count() == 0, "the server must not be contacted"


def test_a_name_is_resolved_by_the_resolver_and_keeps_its_host_header(web):
    web.route("/", Reply(body="<p>named</p>", content_type=HTML))
    resolver = stub_resolver({"jobs.example.test": ["127.0.0.1"]})
    result = fetch_page(f"http://jobs.example.test:{web.port}/", options(resolver=resolver))
    assert result.status is Status.KNOWN, result.reason
    assert web.seen[0].headers["host"] == f"jobs.example.test:{web.port}", f"Host header should be the link's: {web.seen[0].headers}"
    assert resolver.asked == ["jobs.example.test"]


def test_cookies_are_never_sent_back(web):
    web.route("/set", Reply(status=302, headers={"Location": "/next", "Set-Cookie": "session=abc; Path=/"}, content_type="text/html"))
    web.route("/next", Reply(body="<p>x</p>", content_type=HTML))
    fetch_page(web.url + "set", options())
    assert all("cookie" not in seen.headers for seen in web.seen), f"no Cookie header may be sent: {web.seen}"


def test_a_redirect_to_another_scheme_is_not_followed(web):
    web.route("/ftp", redirect("ftp://files.example/offer.exe"))
    result = fetch_page(web.url + "ftp", options())
    assert result.status is Status.UNKNOWN and "not an http(s) link" in result.reason, result.reason


def test_unreachable_page_is_unknown_with_a_reason():
    result = fetch_page("http://127.0.0.1:9/", options())
    assert result.status is Status.UNKNOWN and "could not connect" in result.reason, result.reason


# --- bodies: size, compression, speed, type, charset -----------------------------------------------------


def test_huge_body_stops_at_the_cap(web):
    web.route("/big", Reply(body=b"<p>" + b"a" * 3_000_000 + b"</p>", content_type=HTML))
    result = fetch_page(web.url + "big", options(max_bytes=100_000))
    assert result.truncated and len(result.body) == 100_000, f"expected 100,000 bytes, got {len(result.body)}"


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_compression_bomb_stops_at_the_cap(web, encoding):
    raw = b"<p>" + b"\0" * 200_000_000
    body = gzip.compress(raw, 9) if encoding == "gzip" else zlib.compress(raw, 9)
    web.route("/bomb", Reply(body=body, content_type=HTML, headers={"Content-Encoding": encoding}))
    started = time.monotonic()
    result = fetch_page(web.url + "bomb", options(max_bytes=1_000_000))
    assert result.truncated and len(result.body) == 1_000_000, f"decoded bytes must stop at the cap, got {len(result.body)}"
    assert time.monotonic() - started < 3, "a bomb must not be inflated"


def test_gzip_page_is_decoded(web):
    web.route("/gz", Reply(body=gzip.compress(b"<p>Registration fee 50 USD</p>"), content_type=HTML,
                           headers={"Content-Encoding": "gzip"}))
    result = fetch_page(web.url + "gz", options())
    assert result.body == b"<p>Registration fee 50 USD</p>" and not result.truncated


def test_slow_drip_is_cut_at_the_overall_deadline(web):
    web.route("/drip", Reply(body="<p>" + "x" * 500 + "</p>", content_type=HTML, drip=0.05))
    started = time.monotonic()
    result = fetch_page(web.url + "drip", options(timeout=1.0))
    elapsed = time.monotonic() - started
    assert elapsed < 2.0, f"a dripping server held the fetch for {elapsed:.1f} s past a 1 s deadline"
    assert result.status is Status.UNKNOWN and "1 s" in result.reason, result.reason


@pytest.mark.parametrize(("body", "content_type", "what"), [
    (b"%PDF-1.7\n...", "application/pdf", "a PDF"),
    (b"PK\x03\x04....", "application/zip", "a ZIP file"),
    (b"PK\x03\x04....", "", "a ZIP file"),  # no type: sniffed
    (b"MZ\x90\x00", "application/octet-stream", "a Windows program"),
    (b"\x89PNG....", "image/png", "an image"),
])
def test_non_html_content_is_reported_not_opened(web, body, content_type, what):
    web.route("/file", Reply(body=body, content_type=content_type))
    result = fetch_page(web.url + "file", options())
    assert f"the link serves {what}" in result.not_opened and result.body == b"", result.not_opened


def test_missing_content_type_html_is_sniffed(web):
    web.route("/bare", Reply(body=b"<!DOCTYPE html><html><body><p>hello</p></body></html>", content_type=""))
    result = fetch_page(web.url + "bare", options())
    assert result.kind == "html" and b"hello" in result.body, result.not_opened


@pytest.mark.parametrize(("body", "content_type", "expected"), [
    ("<p>Café job</p>".encode("cp1252"), "text/html; charset=utf-8", "Café job"),  # wrong charset declared
    ("<p>Café job</p>".encode("cp1252"), "text/html", "Café job"),  # none declared, not UTF-8
    ('<meta charset="windows-1251"><p>Работа в Дубае</p>'.encode("cp1251"), "text/html", "Работа в Дубае"),
    ("<p>Работа</p>".encode("utf-8"), "text/html", "Работа"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"><p>Работа</p>'.encode("koi8-r"), "text/html", "Работа"),
])
def test_charsets(web, body, content_type, expected):
    web.route("/cs", Reply(body=body, content_type=content_type))
    report = check_url(web.url + "cs", offline=False, lookup=lambda domains: {}, fetch_options=options())
    assert expected in report.offer.text, f"expected {expected!r} in {report.offer.text!r}"


# --- the report ------------------------------------------------------------------------------------------


JOB_PAGE = """<!doctype html><html><head><title>Hostess jobs</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": "WebSite"},
{"@type": "JobPosting", "title": "Hotel hostess", "hiringOrganization": {"@type": "Organization", "name": "Hilton"},
"baseSalary": {"@type": "MonetaryAmount", "currency": "USD", "value": {"@type": "QuantitativeValue", "value": 6000, "unitText": "WEEK"}},
"jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": "Dubai", "addressCountry": "AE"}},
"datePosted": "2026-11-01", "validThrough": "2026-12-31"}]}</script>
<script>document.write("never run")</script></head>
<body><nav><a href="/">Home</a> <a href="/about">About us</a></nav>
<p>Apply now on <a href="https://hilton-jobs-desk.top/apply">www.hilton.com/careers</a>.</p></body></html>"""


def test_report_on_a_job_page_reads_json_ld_and_mismatched_links(web):
    web.route("/job", Reply(body=JOB_PAGE, content_type=HTML))
    report = check_url(web.url + "job", offline=False, lookup=lambda domains: {}, fetch_options=options())
    text = report.offer.text
    assert "Hiring organisation: Hilton" in text and "Salary: 6000 USD per week" in text and "Dubai, AE" in text, text
    assert "never run" not in text and "About us" not in text, "scripts and navigation must be dropped"
    job = report.evidence.page.job
    assert job.organization == "Hilton" and job.valid_through == "2026-12-31", job
    assert "Hilton" in report.evidence.companies, "the JSON-LD organisation is a company the offer claims"
    rules = {f.rule_id: f for f in report.findings}
    assert "D301" in rules and rules["D301"].quote == "www.hilton.com/careers", f"expected D301, got {sorted(rules)}"
    data = report.to_dict()
    assert data["page"]["job_posting"]["salary"] == "6000 USD per week" and data["links"][0]["href"].endswith("/apply")
    assert any(c.check == "fetch" and c.status is Status.KNOWN for c in report.checks)


def test_offline_url_check_fetches_nothing_but_checks_the_url(web):
    report = check_url(web.url + "x", offline=True)
    fetch_run = [c for c in report.checks if c.check == "fetch"]
    assert fetch_run and fetch_run[0].status is Status.SKIPPED and "not fetched" in fetch_run[0].reason, report.checks
    assert web.count() == 0, "--offline must send nothing"
    assert any(c.kind == "link" for c in report.evidence.contacts), "the URL itself is still checked as a link"


def test_every_hop_goes_through_the_checks(web):
    web.route("/r", redirect("http://192.0.2.55/cheap-job"))  # refused: documentation range, not on the internet
    report = check_url(web.url + "r", offline=False, lookup=lambda domains: {}, fetch_options=options())
    assert "http://192.0.2.55/cheap-job" in report.offer.text
    assert "D205" in {f.rule_id for f in report.findings}, "the IP link on the way is checked like any link"


# --- the command line ---------------------------------------------------------------------------------------


def run_cli(*args: str):
    return CliRunner().invoke(app, ["check", *args])


def test_cli_url_argument_with_allow_loopback(web):
    web.route("/job", Reply(body=JOB_PAGE, content_type=HTML))
    result = run_cli(web.url + "job", "--allow-loopback", "--format", "json", "--no-cache")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["source"] == "url" and data["page"]["status"] == "known" and "D301" in [f["rule_id"] for f in data["findings"]]


def test_cli_url_option_offline_says_it_could_not_fetch(web):
    result = run_cli("--url", web.url + "job", "--offline", "--format", "plain")
    assert result.exit_code == 0, result.output
    assert "fetch: skipped, because --offline: the page was not fetched" in " ".join(result.stdout.split())
    assert web.count() == 0


def test_cli_without_allow_loopback_refuses_the_local_server(web):
    web.route("/", Reply(body="<p>x</p>", content_type=HTML))
    result = run_cli(web.url, "--format", "json", "--no-cache")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["page"]["status"] == "unknown" and "--allow-loopback" in data["page"]["reason"]
    assert web.count() == 0


@pytest.mark.parametrize("args", [["--url", "ftp://example.org/x"], ["--url", "https://example.org", "some text"]])
def test_cli_bad_url_usage(args):
    result = run_cli(*args)
    assert result.exit_code == 2, f"expected a usage error, got {result.exit_code}: {result.output}"
