"""The lookup layer (offercheck.lookups) against REAL servers on 127.0.0.1 (tests/servers.py).

Every lookup is pointed at the local servers with rdap_url/whois_server, and an autouse guard
refuses any connection or name lookup that is not loopback, so no test can send a packet
elsewhere. The suite also passes in an empty network namespace:
    unshare -n sh -c 'ip link set lo up && python -m pytest -q tests/test_lookups.py'
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import stat
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from offercheck.errors import OffercheckError, UsageError
from offercheck.lookups import DomainRecord, LookupSettings, lookup_domains, registrable_domain, update_bootstrap
from offercheck.lookups import bootstrap as bootstrap_mod
from offercheck.lookups import cache as cache_mod
from offercheck.lookups import whois as whois_mod
from offercheck.lookups.attempt import Deadline
from offercheck.lookups.cache import LookupCache
from offercheck.lookups.rdap import parse_rdap
from offercheck.lookups.record import epp_status
from offercheck.lookups.whois import parse_whois
from offercheck.model import Status
from servers import HTTPTestServer, Reply, WhoisReply, WhoisTestServer

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2026, 11, 23)


def rdap_fixture(name: str) -> dict:
    return json.loads((FIXTURES / "rdap" / f"{name}.json").read_text(encoding="utf-8"))


def whois_fixture(name: str) -> str:
    return (FIXTURES / "whois" / f"{name}.txt").read_text(encoding="utf-8")


# --- isolation: no user files (the loopback-only guard is in conftest.py) ------------------------


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    monkeypatch.setattr(bootstrap_mod, "user_data_dir", lambda: tmp_path / "user-data")
    bootstrap_mod.clear_cache()
    whois_mod._REFERRALS.clear()
    cache_mod._REPORTED.clear()
    yield
    bootstrap_mod.clear_cache()


@pytest.fixture
def rdap():
    with HTTPTestServer() as server:
        yield server


@pytest.fixture
def whois():
    with WhoisTestServer() as server:
        yield server


@pytest.fixture
def make_settings(rdap, whois, tmp_path):
    def make(**overrides) -> LookupSettings:
        values = dict(rdap_url=rdap.url, whois_server=whois.address, cache_dir=str(tmp_path / "cache"),
                      timeout=5.0, per_lookup_timeout=2.0)
        values.update(overrides)
        return LookupSettings(**values)

    return make


def one(domain: str, settings: LookupSettings) -> DomainRecord:
    return lookup_domains([domain], settings)[domain]


# --- registrable domains and small pure functions ------------------------------------------------------


@pytest.mark.parametrize("host, expected", [
    ("jobs.Amazon-Careers.co.uk", ("amazon-careers.co.uk", "amazon-careers.co.uk")),
    ("bücher-jobs.de", ("xn--bcher-jobs-9db.de", "bücher-jobs.de")),
    ("WWW.Bücher-Jobs.DE.", ("xn--bcher-jobs-9db.de", "bücher-jobs.de")),
    ("xn--bcher-jobs-9db.de", ("xn--bcher-jobs-9db.de", "bücher-jobs.de")),
    ("пример.рф", ("xn--e1afmkfd.xn--p1ai", "пример.рф")),
    ("hr.tesla-careers.net:8443", ("tesla-careers.net", "tesla-careers.net")),
    ("my-agency.blogspot.com", ("blogspot.com", "blogspot.com")),
    ("_dmarc.example.org", ("example.org", "example.org")),
    ("127.0.0.1", None), ("[::1]", None), ("::1", None), ("10.1.2", None),
    ("co.uk", None), ("uk", None), ("localhost", None), ("", None),
    ("ex ample.com", None), ("a..b.com", None), ("-bad.com", None), ("a_b.com", None), ("xn--zz.com", None),
])
def test_registrable_domain(host, expected):
    assert registrable_domain(host) == expected


@pytest.mark.parametrize("raw, expected", [
    ("client hold", "clientHold"), ("pending delete", "pendingDelete"), ("server hold", "serverHold"),
    ("redemption period", "redemptionPeriod"), ("active", "ok"), ("OK", "ok"),
    ("clientHold https://icann.org/epp#clientHold", "clientHold"),
    ("client transfer prohibited", "clientTransferProhibited"), ("connect", "connect"), ("", ""),
])
def test_epp_status_normalised(raw, expected):
    assert epp_status(raw) == expected


def test_record_to_dict_is_json_safe_and_round_trips():
    record = DomainRecord("xn--bcher-jobs-9db.de", "bücher-jobs.de", Status.KNOWN, registered=date(2026, 11, 10),
                          statuses=("clientHold",), registrant_redacted=True, source="rdap", raw="{...}")
    data = record.to_dict()
    assert "raw" not in data and data["registered"] == "2026-11-10" and data["status"] == "known"
    json.dumps(data)
    assert DomainRecord.from_dict(data, raw="{...}") == record
    assert record.age_days(TODAY) == 13 and DomainRecord("a.com", "a.com", Status.UNKNOWN).age_days(TODAY) is None


def test_settings_from_environment():
    environ = {"OFFERCHECK_RDAP_URL": "https://rdap.mirror.example/", "OFFERCHECK_WHOIS_SERVER": "whois.mirror.example:4343",
               "OFFERCHECK_CACHE_DIR": "/tmp/oc-cache"}
    settings = LookupSettings.from_environment(environ, timeout=3.0, rdap_url=None, offline=None)
    assert (settings.rdap_url, settings.whois_server, settings.cache_dir, settings.timeout, settings.offline) == (
        "https://rdap.mirror.example/", "whois.mirror.example:4343", "/tmp/oc-cache", 3.0, False)
    assert LookupSettings.from_environment({}, whois_server="[::1]:43").whois_server == "[::1]:43"
    for bad in ({"whois_server": "whois example"}, {"rdap_url": "ftp://x"}, {"timeout": 0}):
        with pytest.raises(UsageError):
            LookupSettings.from_environment({}, **bad)


def test_bundled_bootstrap_is_the_iana_file():
    boot = bootstrap_mod.load_bootstrap()
    assert boot.publication == "2026-07-23T02:00:03Z" and boot.origin == "bundled" and len(boot.bases) == 1200
    assert boot.base_for("example.com") == "https://rdap.verisign.com/com/v1/"
    assert boot.base_for("x.co.uk") == "https://rdap.nominet.uk/uk/"
    assert boot.base_for("example.de") is None and boot.base_for("example.io") is None


# --- RDAP ----------------------------------------------------------------------------------------


def test_young_domain_with_redacted_registrant(rdap, whois, make_settings):
    rdap.rdap("careers-amazon-hr.xyz", rdap_fixture("young-redacted"))
    record = one("careers-amazon-hr.xyz", make_settings())
    assert record.status is Status.KNOWN and record.reason == ""
    assert (record.registered, record.last_changed, record.expires) == (date(2026, 11, 10), date(2026, 11, 10),
                                                                         date(2027, 11, 10))
    assert record.age_days(TODAY) == 13
    assert record.registrar == "NameCheap, Inc." and record.registrant_redacted is True
    assert record.statuses == ("clientTransferProhibited", "serverTransferProhibited", "addPeriod")
    assert (record.source, record.server, record.not_registered) == ("rdap", rdap.url, False)
    assert record.fetched_at.endswith("Z") and json.loads(record.raw)["ldhName"] == "careers-amazon-hr.xyz"
    # only the registrable domain name left the machine
    [seen] = rdap.seen
    assert seen.path == "/domain/careers-amazon-hr.xyz"
    assert seen.headers["accept"].startswith("application/rdap+json")
    assert seen.headers["user-agent"].startswith("offercheck/") and "cookie" not in seen.headers
    assert whois.queries == []


def test_old_domain_from_a_thin_registry(rdap, make_settings):
    rdap.rdap("example-employer.com", rdap_fixture("old-thin"))
    record = one("example-employer.com", make_settings())
    assert record.registered == date(1997, 9, 15) and record.age_days(TODAY) > 10_000
    assert record.registrar == "MarkMonitor Inc." and record.registrant_redacted is None
    assert "clientTransferProhibited" in record.statuses and "serverUpdateProhibited" in record.statuses


def test_visible_registrant_and_active_status(rdap, make_settings):
    rdap.rdap("talent-studio.fr", rdap_fixture("registrant-visible"))
    record = one("talent-studio.fr", make_settings())
    assert record.registrant_redacted is False and record.statuses == ("ok",) and record.registered == date(2021, 3, 2)


def test_hold_and_pending_delete_statuses(rdap, make_settings):
    rdap.rdap("quick-cash-jobs.top", rdap_fixture("on-hold"))
    record = one("quick-cash-jobs.top", make_settings())
    assert record.statuses == ("clientHold", "serverHold", "pendingDelete", "redemptionPeriod")
    assert record.registrant_redacted is True  # "Withheld for Privacy ehf" is a privacy service


def test_rdap_404_is_a_known_not_registered(rdap, whois, make_settings):
    rdap.rdap("nosuch-jobs.com", rdap_fixture("not-found"), status=404)
    record = one("nosuch-jobs.com", make_settings())
    assert (record.status, record.not_registered, record.source, record.registered) == (Status.KNOWN, True, "rdap", None)
    assert whois.queries == []


def test_rdap_429_is_unknown_rate_limited(rdap, whois, make_settings):
    rdap.rdap("busy-jobs.com", 429, headers={"Retry-After": "30"})
    record = one("busy-jobs.com", make_settings())
    assert record.status is Status.UNKNOWN
    assert record.reason == f"rate limited by RDAP server 127.0.0.1:{rdap.port} (HTTP 429, retry after 30 s)"
    assert whois.queries == []


@pytest.mark.parametrize("status", [500, 502, 503])
def test_rdap_5xx_falls_back_to_whois(rdap, whois, make_settings, status):
    rdap.rdap("acme-careers.com", status)
    whois.answer("acme-careers.com", whois_fixture("verisign-registered"))
    record = one("acme-careers.com", make_settings())
    assert record.status is Status.KNOWN and record.source == "whois" and record.server == whois.address
    assert record.registered == date(2014, 6, 1) and record.registrar == "Example Registrar, LLC"
    assert record.reason == f"answered by WHOIS because RDAP server 127.0.0.1:{rdap.port} answered HTTP {status}"
    assert whois.queries == ["acme-careers.com"]  # the bare name, nothing else


def test_rdap_5xx_and_whois_failing_is_unknown_with_both_reasons(rdap, whois, make_settings):
    rdap.rdap("acme-careers.com", 503)
    whois.answer("acme-careers.com", whois_fixture("garbage"))
    record = one("acme-careers.com", make_settings())
    assert record.status is Status.UNKNOWN
    assert record.reason == (f"RDAP server 127.0.0.1:{rdap.port} answered HTTP 503; "
                             f"WHOIS answer from {whois.address} could not be parsed")


@pytest.mark.parametrize("body", [
    b'{"objectClassName": "domain", "events": [',
    b"<html><body>Service temporarily unavailable</body></html>",
    b"[]",
    json.dumps({"objectClassName": "entity", "handle": "X"}).encode(),
    json.dumps({"objectClassName": "domain", "ldhName": "someone-else.com"}).encode(),
    b"\xff\xfe\x00garbage",
])
def test_malformed_rdap_falls_back_to_whois(rdap, whois, make_settings, body):
    rdap.rdap("acme-careers.com", body)
    whois.answer("acme-careers.com", whois_fixture("verisign-registered"))
    record = one("acme-careers.com", make_settings())
    assert record.status is Status.KNOWN and record.source == "whois"
    assert "sent an answer that could not be read" in record.reason


def test_malformed_rdap_without_whois_answer_is_unknown(rdap, whois, make_settings):
    rdap.rdap("acme-careers.com", b"{not json")
    whois.answer("acme-careers.com", WhoisReply(hang_up=True))
    record = one("acme-careers.com", make_settings())
    assert record.status is Status.UNKNOWN and "not valid JSON" in record.reason
    assert "sent an empty answer" in record.reason


# --- WHOIS ---------------------------------------------------------------------------------------


def test_tld_without_rdap_goes_to_whois(rdap, whois, make_settings):
    whois.answer("hr-onboarding.io", whois_fixture("io-young-redacted"))
    record = one("hr-onboarding.io", make_settings())
    assert rdap.count() == 0 and whois.queries == ["hr-onboarding.io"]
    assert (record.status, record.source, record.server) == (Status.KNOWN, "whois", whois.address)
    assert record.registered == date(2026, 11, 5) and record.age_days(TODAY) == 18
    assert record.statuses == ("clientHold", "addPeriod") and record.registrant_redacted is True
    assert "Creation Date: 2026-11-05T09:12:44Z" in record.raw


def test_idn_looked_up_in_punycode_and_shown_in_unicode(rdap, whois, make_settings):
    ascii_name, unicode_name = registrable_domain("karriere.Bücher-Jobs.de")
    whois.answer(ascii_name, whois_fixture("denic-connect"))
    record = lookup_domains([ascii_name], make_settings())[ascii_name]
    assert (record.domain, record.unicode) == ("xn--bcher-jobs-9db.de", "bücher-jobs.de")
    assert whois.queries == ["xn--bcher-jobs-9db.de"] and rdap.count() == 0
    # DENIC publishes no creation date: KNOWN, but the age stays unknown and the note says why
    assert record.status is Status.KNOWN and record.registered is None and record.age_days(TODAY) is None
    assert record.reason == "the WHOIS answer gives no registration date"
    assert record.statuses == ("connect",) and record.last_changed == date(2026, 11, 2)


def test_unicode_input_is_accepted_and_keyed_as_given(whois, make_settings):
    whois.answer("xn--bcher-jobs-9db.de", whois_fixture("denic-connect"))
    records = lookup_domains(["bücher-jobs.de", "xn--bcher-jobs-9db.de"], make_settings())
    assert records["bücher-jobs.de"] == records["xn--bcher-jobs-9db.de"] and len(whois.queries) == 1


@pytest.mark.parametrize("domain, fixture", [
    ("nosuch-jobs.io", None),  # the server's default: 'No match for "NOSUCH-JOBS.IO".'
    ("nosuch-jobs.io", "verisign-no-match"),
    ("xn--gibt-es-nicht-7pb.de", "denic-free"),
    ("nosuch-jobs.io", "NOT FOUND\r\n>>> Last update of WHOIS database: 2026-11-23T12:00:00Z <<<\r\n"),
    ("nosuch-jobs.io", "Domain not found.\r\n"),
    ("nosuch-jobs.io", "%% No Data Found\r\n"),
])
def test_whois_no_match_is_a_known_not_registered(whois, make_settings, domain, fixture):
    if fixture:
        whois.answer(domain, whois_fixture(fixture) if "\n" not in fixture else fixture)
    record = one(domain, make_settings())
    assert (record.status, record.not_registered, record.source) == (Status.KNOWN, True, "whois")


@pytest.mark.parametrize("text, reason", [
    (whois_fixture("garbage"), "could not be parsed"),
    ("\x00\x01\x02 \ufffd\ufffd binary noise", "could not be parsed"),
    ("Domain Name: hr-onboarding.io\nCreation Date: the day before yesterday\n", "could not be parsed"),
    ("", "sent an empty answer"),
    (whois_fixture("rate-limited"), "rate limited by WHOIS server"),
])
def test_unreadable_whois_is_unknown(whois, make_settings, text, reason):
    whois.answer("hr-onboarding.io", text)
    record = one("hr-onboarding.io", make_settings())
    assert record.status is Status.UNKNOWN and reason in record.reason


def test_whois_server_refusing_connections_is_unknown(rdap, make_settings):
    with socket.socket() as probe:  # a port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    record = one("hr-onboarding.io", make_settings(whois_server=f"127.0.0.1:{port}"))
    assert record.status is Status.UNKNOWN and record.reason.startswith(f"could not reach WHOIS server 127.0.0.1:{port}")


def test_no_server_known_for_a_tld_asks_nobody(rdap, make_settings):
    whois_mod._REFERRALS["bs"] = None  # as if IANA had said "no WHOIS server" for .bs
    settings = make_settings(whois_server=None)
    record = one("island-jobs.bs", settings)
    assert record.status is Status.UNKNOWN and record.reason == "no RDAP or WHOIS server known for .bs"
    spain = one("empleo-rapido.es", settings)
    assert spain.status is Status.UNKNOWN and "no public WHOIS service" in spain.reason and "nic.es" in spain.reason
    assert rdap.count() == 0


def test_iana_referral_is_asked_once_per_tld(whois, monkeypatch):
    monkeypatch.setattr(whois_mod, "IANA_WHOIS", ("127.0.0.1", whois.port))  # stands in for whois.iana.org
    whois.answer("bs", "% IANA WHOIS server\n\ndomain:       BS\n\nwhois:        whois.nic.bs\n\nstatus:       ACTIVE\n")
    whois.answer("zw", "% IANA WHOIS server\n\ndomain:       ZW\n\nwhois:\n\nstatus:       ACTIVE\n")
    deadline = Deadline(2.0, 1.0)
    assert asyncio.run(whois_mod.iana_referral("bs", deadline)) == ("whois.nic.bs", "", True)
    assert asyncio.run(whois_mod.iana_referral("bs", deadline)) == ("whois.nic.bs", "", True)
    assert asyncio.run(whois_mod.iana_referral("zw", deadline)) == (None, "no RDAP or WHOIS server known for .zw", True)
    assert whois.queries == ["bs", "zw"]  # only the TLD is sent, and only once


def test_bundled_whois_server_table():
    table = whois_mod.server_table()
    assert whois_mod.bundled_server("x.de") == ("whois.denic.de", "")
    assert whois_mod.bundled_server("x.co.za") == ("whois.registry.net.za", "")
    assert whois_mod.query_text("x.de", "whois.denic.de", override=False) == "-T dn,ace x.de"
    assert whois_mod.query_text("x.de", "whois.denic.de", override=True) == "x.de"
    assert whois_mod.bundled_server("x.zz") == (None, "") and "es" in table["web_only"]


# --- deadlines -----------------------------------------------------------------------------------


def test_slow_rdap_times_out_and_whois_answers(rdap, whois, make_settings):
    rdap.rdap("acme-careers.com", rdap_fixture("old-thin"), delay=10)
    whois.answer("acme-careers.com", whois_fixture("verisign-registered"))
    started = time.monotonic()
    record = one("acme-careers.com", make_settings(per_lookup_timeout=0.3, timeout=5))
    assert time.monotonic() - started < 2.0
    assert record.status is Status.KNOWN and record.source == "whois"
    assert f"RDAP server 127.0.0.1:{rdap.port} timed out after 0.3 s" in record.reason


def test_dripping_servers_cannot_hold_the_check_past_the_deadline(rdap, whois, make_settings):
    body = json.dumps(rdap_fixture("old-thin")).encode()
    rdap.rdap("drip-jobs.com", body, drip=0.02)  # ~1,400 bytes at 50 bytes/s: 28 s if we waited
    whois.answer("drip-jobs.io", WhoisReply(text=whois_fixture("io-young-redacted"), drip=0.02))
    settings = make_settings(timeout=1.0, per_lookup_timeout=5.0)
    started = time.monotonic()
    records = lookup_domains(["drip-jobs.com", "drip-jobs.io"], settings)
    elapsed = time.monotonic() - started
    assert elapsed < 1.8, f"took {elapsed:.2f} s with a 1 s deadline"
    for record in records.values():
        assert record.status is Status.UNKNOWN
        assert "had not answered when the overall lookup deadline of 1 s ran out" in record.reason
    # cut short by our own deadline, not the server: not remembered as a failure
    lookup_domains(["drip-jobs.com"], make_settings(timeout=0.3))
    assert rdap.count("/domain/drip-jobs.com") == 2


def test_many_slow_lookups_share_one_deadline(rdap, whois, make_settings):
    def answer(path: str) -> Reply:
        data = rdap_fixture("old-thin")
        data["ldhName"] = path.rsplit("/", 1)[-1]
        return Reply(body=json.dumps(data), delay=0.4)

    rdap.fallback = answer
    domains = [f"slow-{i}.com" for i in range(12)]
    started = time.monotonic()
    records = lookup_domains(domains, make_settings(timeout=1.0, per_lookup_timeout=5.0, max_concurrency=2))
    assert time.monotonic() - started < 1.8
    known = [r for r in records.values() if r.status is Status.KNOWN]
    unknown = [r for r in records.values() if r.status is Status.UNKNOWN]
    assert 2 <= len(known) <= 4 and len(known) + len(unknown) == 12  # two at a time, 0.4 s each, 1 s in all
    assert any(r.reason.endswith("ran out before its turn") for r in unknown)
    assert whois.queries == []  # our own deadline is not a reason to try WHOIS


# --- cache ---------------------------------------------------------------------------------------


def test_second_lookup_comes_from_the_cache(rdap, whois, make_settings):
    rdap.rdap("careers-amazon-hr.xyz", rdap_fixture("young-redacted"))
    whois.answer("hr-onboarding.io", whois_fixture("io-young-redacted"))
    settings = make_settings()
    first = lookup_domains(["careers-amazon-hr.xyz", "hr-onboarding.io"], settings)
    assert (rdap.count(), len(whois.queries)) == (1, 1)
    second = lookup_domains(["careers-amazon-hr.xyz", "hr-onboarding.io"], settings)
    assert (rdap.count(), len(whois.queries)) == (1, 1), "a cached lookup must make no network request"
    for domain, record in second.items():
        assert record.source == "cache"
        assert (record.server, record.fetched_at, record.raw) == (first[domain].server, first[domain].fetched_at,
                                                                  first[domain].raw)
        assert record.registered == first[domain].registered and record.statuses == first[domain].statuses


def test_answers_expire_after_seven_days(rdap, make_settings, monkeypatch):
    rdap.rdap("example-employer.com", rdap_fixture("old-thin"))
    settings = make_settings()
    one("example-employer.com", settings)
    now = time.time()
    monkeypatch.setattr(cache_mod, "_now", lambda: now + 6.9 * 86400)
    assert one("example-employer.com", settings).source == "cache"
    monkeypatch.setattr(cache_mod, "_now", lambda: now + 7.1 * 86400)
    assert one("example-employer.com", settings).source == "rdap" and rdap.count() == 2


def test_failures_are_remembered_for_an_hour(rdap, whois, make_settings, monkeypatch):
    rdap.rdap("busy-jobs.com", 429)
    settings = make_settings()
    assert one("busy-jobs.com", settings).status is Status.UNKNOWN
    now = time.time()
    monkeypatch.setattr(cache_mod, "_now", lambda: now + 50 * 60)
    cached = one("busy-jobs.com", settings)
    assert cached.source == "cache" and cached.status is Status.UNKNOWN and rdap.count() == 1
    assert cached.reason.startswith("rate limited by") and "retried after an hour" in cached.reason
    monkeypatch.setattr(cache_mod, "_now", lambda: now + 61 * 60)
    assert one("busy-jobs.com", settings).source == "rdap" and rdap.count() == 2


def test_cache_files_are_private(rdap, make_settings, tmp_path):
    rdap.rdap("example-employer.com", rdap_fixture("old-thin"))
    one("example-employer.com", make_settings(cache_dir=str(tmp_path / "new" / "cache")))
    folder = tmp_path / "new" / "cache"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / cache_mod.FILE_NAME).stat().st_mode) == 0o600
    with LookupCache.open(folder) as cache:  # while a connection is open, WAL mode keeps -wal and -shm files
        cache.put_many([DomainRecord("a.com", "a.com", Status.KNOWN, source="rdap")])
        companions = sorted(p.name for p in folder.iterdir())
        assert companions == [cache_mod.FILE_NAME, f"{cache_mod.FILE_NAME}-shm", f"{cache_mod.FILE_NAME}-wal"]
        for name in companions:
            assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600, name


def test_an_existing_cache_file_with_loose_permissions_is_tightened(tmp_path):
    path = tmp_path / cache_mod.FILE_NAME
    path.touch(mode=0o644)
    os.chmod(path, 0o644)
    with LookupCache.open(tmp_path):
        pass
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_concurrent_writers_from_threads(rdap, make_settings):
    def answer(path: str) -> Reply:
        data = rdap_fixture("old-thin")
        data["ldhName"] = path.rsplit("/", 1)[-1]
        return Reply(body=json.dumps(data))

    rdap.fallback = answer
    settings = make_settings(max_concurrency=4)
    batches = [[f"writer-{(t * 7 + i) % 60}.com" for i in range(20)] for t in range(8)]  # overlapping
    errors: list[BaseException] = []

    def work(batch):
        try:
            assert all(r.status is Status.KNOWN for r in lookup_domains(batch, settings).values())
        except BaseException as exc:  # reported below: a thread cannot fail the test by itself
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(b,)) for b in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    everything = sorted({d for batch in batches for d in batch})
    before = rdap.count()
    records = lookup_domains(everything, settings)
    assert rdap.count() == before and all(r.source == "cache" for r in records.values())


def test_concurrent_put_and_get_on_one_file(tmp_path):
    """Six connections racing to create, switch to WAL, write and read one new file."""
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for i in range(25):
                with LookupCache.open(tmp_path) as cache:
                    record = DomainRecord(f"w{worker}-{i}.com", f"w{worker}-{i}.com", Status.KNOWN, source="rdap")
                    assert cache.put_many([record]) == 1
                    assert f"w{worker}-{i}.com" in cache.get_many([f"w{worker}-{i}.com"])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    with LookupCache.open(tmp_path) as cache:
        assert len(cache.get_many(f"w{w}-{i}.com" for w in range(6) for i in range(25))) == 150


def test_a_corrupt_cache_is_reported_once_and_bypassed(rdap, make_settings, tmp_path, caplog):
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / cache_mod.FILE_NAME).write_bytes(b"this is not a SQLite database at all" * 100)
    rdap.rdap("example-employer.com", rdap_fixture("old-thin"))
    settings = make_settings(cache_dir=str(folder))
    with caplog.at_level(logging.WARNING, logger="offercheck.lookups"):
        for _ in range(2):
            record = one("example-employer.com", settings)
            assert record.status is Status.KNOWN and record.source == "rdap"
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "cannot be used" in warnings[0].getMessage()
    assert rdap.count() == 2


def test_no_cache_means_no_file_and_fresh_lookups(rdap, make_settings, tmp_path):
    rdap.rdap("example-employer.com", rdap_fixture("old-thin"))
    settings = make_settings(use_cache=False, cache_dir=str(tmp_path / "unused"))
    one("example-employer.com", settings)
    one("example-employer.com", settings)
    assert rdap.count() == 2 and not (tmp_path / "unused").exists()


# --- offline, odd inputs, async callers ----------------------------------------------------------


def test_offline_opens_no_socket(monkeypatch, tmp_path):
    def refuse(*_args, **_kwargs):
        raise AssertionError("a socket was opened in offline mode")

    for name in ("socket", "create_connection", "socketpair", "getaddrinfo"):
        monkeypatch.setattr(socket, name, refuse)
    settings = LookupSettings(offline=True, cache_dir=str(tmp_path / "cache"))
    records = lookup_domains(["careers-amazon-hr.xyz", "bücher-jobs.de", "http://x"], settings)
    assert records["careers-amazon-hr.xyz"].status is Status.SKIPPED
    assert records["careers-amazon-hr.xyz"].reason == "--offline: no lookups made"
    assert records["bücher-jobs.de"].domain == "xn--bcher-jobs-9db.de"
    assert records["http://x"].status is Status.SKIPPED and "not a registrable domain" in records["http://x"].reason
    assert not (tmp_path / "cache").exists()


def test_lookup_from_inside_a_running_event_loop(rdap, make_settings):
    rdap.rdap("example-employer.com", rdap_fixture("old-thin"))

    async def caller():
        return lookup_domains(["example-employer.com"], make_settings())

    assert asyncio.run(caller())["example-employer.com"].status is Status.KNOWN


# --- update-data against the local server --------------------------------------------------------


def test_update_bootstrap_from_a_local_server(rdap, tmp_path):
    data = json.loads((Path(bootstrap_mod.__file__).parents[2] / "data" / "rdap" / "dns.json").read_text())
    data["publication"] = "2026-11-20T02:00:00Z"
    data["services"].append([["example"], ["https://rdap.nic.example/"]])
    rdap.route("/rdap/dns.json", body=json.dumps(data), content_type="application/json")
    summary = update_bootstrap(url=rdap.url + "rdap/dns.json", timeout=5)
    assert "2026-11-20T02:00:00Z" in summary and "will be used" in summary
    boot = bootstrap_mod.load_bootstrap()
    assert boot.publication == "2026-11-20T02:00:00Z" and boot.base_for("jobs.example") == "https://rdap.nic.example/"
    assert stat.S_IMODE(bootstrap_mod.user_bootstrap_path().stat().st_mode) == 0o644


@pytest.mark.parametrize("body, status", [(b"{}", 200), (b"<html>", 200), (b"{}", 503)])
def test_update_bootstrap_refuses_a_bad_file(rdap, tmp_path, body, status):
    rdap.route("/dns.json", body=body, status=status)
    with pytest.raises(OffercheckError) as caught:
        update_bootstrap(target_dir=tmp_path / "target", url=rdap.url + "dns.json", timeout=5)
    assert caught.value.hint and not (tmp_path / "target" / "dns.json").exists()


# --- the parsers never crash ---------------------------------------------------------------------

_json = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
                     max_leaves=20)
_rdap_like = st.fixed_dictionaries({}, optional={
    "objectClassName": st.sampled_from(["domain", "entity"]), "ldhName": st.just("x.com"),
    "events": st.lists(st.fixed_dictionaries({"eventAction": st.sampled_from(["registration", "expiration", "x"]),
                                              "eventDate": st.text(max_size=30) | _json})),
    "status": _json, "entities": _json, "redacted": _json})


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_json | _rdap_like)
def test_parse_rdap_only_ever_raises_value_error(data):
    try:
        parse_rdap("x.com", data)
    except ValueError:
        pass


@hsettings(max_examples=150, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["x.com", "x.de", "x.io", "x.uk", "x.zz"]))
def test_parse_whois_never_raises(text, domain):
    attempt = parse_whois(domain, "Creation Date: " + text if len(text) % 2 else text, "127.0.0.1:43")
    assert attempt.ok or attempt.reason
