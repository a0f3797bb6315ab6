"""The reporting contacts in data/contacts/ and the loader in offercheck/reporting_contacts.py.

The data is generated from shared/reference/contacts.yaml by scripts/import_contacts.py.
Checks that need that YAML (or PyYAML) skip when it is absent.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import tomllib
from pathlib import Path

import pytest

from offercheck.model import Reporting, ReportingContact
from offercheck.reporting_contacts import (
    DANGER_ORDER,
    EU_MEMBERS,
    IMPERSONATION_NOTICE,
    NO_COUNTRY_NOTICE,
    NORMAL_ORDER,
    available_countries,
    country_from_environment,
    normalise_country,
    reporting_for,
)

REPO = Path(__file__).resolve().parents[1]
CONTACTS_DIR = REPO / "data" / "contacts"
REFERENCE_YAML = REPO.parent / "shared" / "reference" / "contacts.yaml"
KINDS = {"trafficking-hotline", "fraud-report", "police-emergency", "platform-report", "support"}
STRING_FIELDS = ("id", "organisation", "kind", "phone", "sms", "url", "email", "hours", "notes", "source", "source_date")
COUNTRY_FILES = sorted(p for p in CONTACTS_DIR.glob("*.toml") if p.name != "_international.toml")
ALL_FILES = [*COUNTRY_FILES, CONTACTS_DIR / "_international.toml"]


def _parse(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _contacts(path: Path):
    for number, contact in enumerate(_parse(path).get("contacts", []), start=1):
        yield pytest.param(path.name, contact, id=f"{path.stem}-{contact.get('id', number)}")


ALL_CONTACTS = [param for path in ALL_FILES for param in _contacts(path)]


def _all_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in ALL_FILES)


# --- the files ------------------------------------------------------------------------


def test_there_are_country_files():
    assert len(COUNTRY_FILES) >= 10, f"expected the imported country files in {CONTACTS_DIR}, found {len(COUNTRY_FILES)}"
    assert (CONTACTS_DIR / "_international.toml").is_file(), "data/contacts/_international.toml is missing"


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_file_parses_and_has_header(path):
    data = _parse(path)
    for key in ("country", "name", "imported_from"):
        assert isinstance(data.get(key), str) and data[key], f"{path.name}: top-level {key!r} must be a non-empty string"
    assert data.get("contacts"), f"{path.name}: has no [[contacts]]"
    notices = data.get("notices", [])
    assert all(isinstance(n, str) and n for n in notices), f"{path.name}: notices must be non-empty strings"


@pytest.mark.parametrize("path", COUNTRY_FILES, ids=lambda p: p.name)
def test_country_code_is_valid_and_matches_file_name(path):
    code = _parse(path)["country"]
    assert isinstance(code, str), f"{path.name}: country is {code!r} ({type(code).__name__}), not a string"
    assert re.fullmatch(r"[A-Z]{2}", code), f"{path.name}: country {code!r} is not an ISO 3166-1 alpha-2 code"
    assert path.stem == code, f"{path.name}: file name does not match country {code!r}"


def test_international_file_holds_only_intl_and_eu():
    data = _parse(CONTACTS_DIR / "_international.toml")
    assert data["country"] == "INTL", f"_international.toml: country is {data['country']!r}, expected 'INTL'"
    scopes = {c.get("country") for c in data["contacts"]}
    assert scopes <= {"INTL", "EU"}, f"_international.toml: each contact's country must be INTL or EU, got {scopes}"


@pytest.mark.parametrize(("filename", "contact"), ALL_CONTACTS)
def test_contact_fields(filename, contact):
    where = f"{filename}: {contact.get('id')}"
    for field in STRING_FIELDS:
        assert isinstance(contact.get(field), str), f"{where}: {field} must be a string, got {contact.get(field)!r}"
    assert contact["id"] and contact["organisation"], f"{where}: id and organisation are required"
    assert contact["kind"] in KINDS, f"{where}: kind {contact['kind']!r} is not one of {sorted(KINDS)}"
    assert re.match(r"https?://\S+$", contact["source"]), f"{where}: source {contact['source']!r} is not a URL"
    assert contact["source_date"], f"{where}: source_date is empty (use 'n.d.' when undated)"
    assert isinstance(contact.get("emergency"), bool), f"{where}: emergency must be true or false"
    assert contact["emergency"] == (contact["kind"] == "police-emergency"), (
        f"{where}: emergency must be true exactly for police-emergency entries"
    )
    assert contact["phone"] or contact["sms"] or contact["url"] or contact["email"], f"{where}: no way to reach it"
    if contact["url"]:
        assert re.match(r"https?://\S+$", contact["url"]), f"{where}: url {contact['url']!r} is not a URL"


@pytest.mark.parametrize(("filename", "contact"), [p for p in ALL_CONTACTS if p.values[1]["kind"] == "police-emergency"])
def test_emergency_entries_have_a_phone(filename, contact):
    assert re.fullmatch(r"\d{2,5}", contact["phone"]), (
        f"{filename}: {contact['id']} is an emergency entry; its phone {contact['phone']!r} should be a short number"
    )


def test_ids_are_unique():
    ids = [p.values[1]["id"] for p in ALL_CONTACTS]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate contact ids: {duplicates}"


def test_platform_reports_are_international():
    misplaced = [p.values[1]["id"] for p in ALL_CONTACTS if p.values[1]["kind"] == "platform-report" and p.values[0] != "_international.toml"]
    assert not misplaced, f"platform-report entries belong in _international.toml: {misplaced}"
    platforms = {p.values[1]["id"] for p in ALL_CONTACTS if p.values[1]["kind"] == "platform-report"}
    for expected in ("plat-meta", "plat-whatsapp", "plat-telegram", "plat-linkedin"):
        assert expected in platforms, f"platform entry {expected} is missing"


# --- nothing unconfirmed, nothing forbidden -----------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        (r"UNCONFIRMED", "entries or notes marked UNCONFIRMED must not be shown to users"),
        (r"(?i)interpo[l1i|]-?icp", "interpol-icp.org impersonates INTERPOL and must not be listed"),
        (r"(?i)unconfirmed_phone", "unconfirmed_phone values must never be copied"),
    ],
)
def test_no_forbidden_text(pattern, why):
    match = re.search(pattern, _all_text())
    assert not match, f"data/contacts contains {match.group(0)!r}: {why}"


@pytest.mark.parametrize("skipped_id", ["au-idcare", "za-salvation-army", "mx-fevimtra"])
def test_unconfirmed_entries_are_absent(skipped_id):
    ids = {p.values[1]["id"] for p in ALL_CONTACTS}
    assert skipped_id not in ids, f"{skipped_id} is status UNCONFIRMED in the research file and must not be imported"


@pytest.mark.parametrize(
    ("contact_id", "needle"),
    [
        ("intl-unodc-blueheart", "not a hotline"),
        ("intl-iom", "not a hotline"),
        ("gb-report-fraud", "Action Fraud became Report Fraud"),
        ("gb-report-fraud", "Police Scotland on 101"),
        ("gb-emergency", "Police Scotland on 101"),
        ("us-nhth", "Compass Connections"),
        ("us-nhth", "check humantraffickinghotline.org"),
        ("za-emergency", "112"),
        ("mx-linea-trata", "'01' prefix"),
    ],
)
def test_caveats_are_carried_into_notes(contact_id, needle):
    notes = {p.values[1]["id"]: p.values[1]["notes"] for p in ALL_CONTACTS}
    assert contact_id in notes, f"{contact_id} is missing"
    assert needle in notes[contact_id], f"{contact_id}: notes should mention {needle!r}, got {notes[contact_id]!r}"


@pytest.mark.parametrize("code", ["KE", "IN"])
def test_no_trafficking_hotline_notice(code):
    notices = _parse(CONTACTS_DIR / f"{code}.toml").get("notices", [])
    assert any("No dedicated national anti-trafficking hotline" in n for n in notices), f"{code}.toml: caveat 7 notice missing"


def _reference_entries() -> list[dict]:
    if not REFERENCE_YAML.is_file():
        pytest.skip(f"{REFERENCE_YAML} is not present")
    yaml = pytest.importorskip("yaml")
    with REFERENCE_YAML.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=yaml.BaseLoader)


def test_no_unconfirmed_phone_leaked():
    withheld: dict[str, str] = {}
    for entry in _reference_entries():
        texts = [entry.get("unconfirmed_phone") or ""]
        if entry.get("status") == "UNCONFIRMED":
            texts.append(entry.get("phone") or "")
        for text in texts:
            for digits in _importer().phone_digits(text if text != "null" else ""):
                withheld[digits] = entry["id"]
    assert withheld, "expected some unconfirmed_phone values in the reference YAML"
    leaked = {d: withheld[d] for d in _importer().phone_digits(_all_text()) if d in withheld}
    assert not leaked, f"unconfirmed numbers found in data/contacts (digits -> YAML entry): {leaked}"


def test_every_confirmed_entry_was_imported():
    entries = _reference_entries()
    ids = {p.values[1]["id"] for p in ALL_CONTACTS}
    confirmed = {e["id"] for e in entries if e.get("status") == "confirmed"}
    assert confirmed == ids, f"missing: {sorted(confirmed - ids)}; unexpected: {sorted(ids - confirmed)}"


# --- the importer keeps strings as strings (NO stays Norway) ----------------------------------


@functools.lru_cache(maxsize=1)
def _importer():
    """scripts/import_contacts.py as a module: its phone_digits is the one the import used."""
    spec = importlib.util.spec_from_file_location("import_contacts", REPO / "scripts" / "import_contacts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SAMPLE_YAML = """\
# Compiled 2026-01-02
- id: no-police
  country: NO
  organisation: "Politi \\"112\\" \\\\ test"
  kind: police-emergency
  phone: 112
  other_phones:
  - label: non-emergency
    phone: 02800
  sms: null
  url: null
  email: null
  hours: null
  languages: null
  status: confirmed
  unconfirmed_phone: null
  source: "https://example.org/no"
  source_date: 2025-01-01
  notes: "Line one.\\nLine two\\ttabbed."
- id: no-doubtful
  country: NO
  organisation: Doubtful line
  kind: support
  phone: null
  status: UNCONFIRMED
  unconfirmed_phone: 0123 456 789
  source: "https://example.org/doubt"
  source_date: n.d.
  notes: null
"""


def test_importer_keeps_norway_and_leading_zeros(tmp_path):
    pytest.importorskip("yaml")
    importer = _importer()
    source = tmp_path / "contacts.yaml"
    source.write_text(SAMPLE_YAML, encoding="utf-8")
    out = tmp_path / "contacts"
    result = importer.run(source, out)
    assert result["skipped"] == [("no-doubtful", "status UNCONFIRMED")], f"unexpected skips: {result['skipped']}"
    assert (out / "NO.toml").is_file(), f"NO.toml not written; files: {sorted(p.name for p in out.iterdir())}"
    data = tomllib.loads((out / "NO.toml").read_text(encoding="utf-8"))
    assert data["country"] == "NO" and data["name"] == "Norway", f"Norway mangled: {data['country']!r} {data['name']!r}"
    (contact,) = data["contacts"]
    assert contact["phone"] == "112", f"phone should stay the string '112', got {contact['phone']!r}"
    assert "02800" in contact["notes"], f"leading zero lost in other_phones: {contact['notes']!r}"
    assert contact["organisation"] == 'Politi "112" \\ test', f"escaping round-trip failed: {contact['organisation']!r}"
    assert "Line one.\nLine two\ttabbed." in contact["notes"], f"newline/tab round-trip failed: {contact['notes']!r}"
    assert contact["sms"] == "" and contact["source_date"] == "2025-01-01", f"nulls/dates mangled: {contact}"
    assert "456" not in (out / "NO.toml").read_text(encoding="utf-8"), "an unconfirmed number leaked into the output"


@pytest.mark.parametrize(
    "value",
    ["plain", 'quote " and backslash \\', "tab\there", "new\nline", "bell\x07 del\x7f", "unicode – Síochána …", "", "'single'"],
)
def test_toml_string_round_trips(value):
    rendered = _importer().toml_string(value)
    assert tomllib.loads(f"x = {rendered}")["x"] == value, f"toml_string({value!r}) -> {rendered} does not round-trip"


def test_committed_data_matches_a_fresh_import(tmp_path):
    pytest.importorskip("yaml")
    if not REFERENCE_YAML.is_file():
        pytest.skip(f"{REFERENCE_YAML} is not present")
    _importer().run(REFERENCE_YAML, tmp_path)
    fresh = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.toml")}
    committed = {p.name: p.read_text(encoding="utf-8") for p in ALL_FILES}
    assert fresh.keys() == committed.keys(), f"file sets differ: {sorted(fresh.keys() ^ committed.keys())}"
    stale = sorted(name for name in fresh if fresh[name] != committed[name])
    assert not stale, f"re-run scripts/import_contacts.py: these files differ from a fresh import: {stale}"


# --- the loader -----------------------------------------------------------------------------


def test_available_countries_matches_files():
    countries = available_countries()
    assert set(countries) == {p.stem for p in COUNTRY_FILES}, f"available_countries() {sorted(countries)} != files"
    assert countries["GB"] == "United Kingdom", f"GB is named {countries.get('GB')!r}"
    assert "INTL" not in countries and "EU" not in countries, "the international file is not a country"
    assert all(isinstance(code, str) for code in countries), "country codes must be strings"


def _rank_sequence(reporting: Reporting, order: tuple[str, ...]) -> list[int]:
    return [order.index(c.kind) for c in reporting.contacts]


@pytest.mark.parametrize("code", ["GB", "US", "NL", "KE", "IN", "ZA", "DE"])
@pytest.mark.parametrize("danger", [True, False])
def test_reporting_for_orders_contacts(code, danger):
    reporting = reporting_for(code, danger=danger)
    kinds = [c.kind for c in reporting.contacts]
    order = DANGER_ORDER if danger else NORMAL_ORDER
    ranks = _rank_sequence(reporting, order)
    assert ranks == sorted(ranks), f"{code} danger={danger}: kinds out of order: {kinds}"
    assert reporting.country == code and reporting.country_name == available_countries()[code]
    if danger:
        assert reporting.contacts[0].emergency, f"{code} danger=True: first contact should be an emergency number, got {kinds}"
    else:
        assert kinds[0] in ("trafficking-hotline", "fraud-report"), f"{code} danger=False: first contact is {kinds[0]}"
    assert kinds[-1] == "platform-report", f"{code}: platform reports should come last, got {kinds}"
    platform_countries = {c.country for c in reporting.contacts if c.kind == "platform-report"}
    assert platform_countries == {"INTL"}, f"{code}: platforms should come from _international.toml"
    own = {c.country for c in reporting.contacts if c.kind != "platform-report"}
    allowed = {code, "EU"} if code in EU_MEMBERS else {code}
    assert own <= allowed, f"{code}: contacts from other countries leaked in: {own - allowed}"
    assert IMPERSONATION_NOTICE in reporting.notices, f"{code}: impersonation notice missing"
    assert all(isinstance(c, ReportingContact) for c in reporting.contacts)


def test_eu_member_gets_eu_entries_without_a_second_112():
    ids = [c.id for c in reporting_for("NL").contacts]
    assert "eu-116000" in ids, f"NL should include the EU-wide 116 000 line: {ids}"
    assert "eu-112" not in ids, f"NL already lists 112 itself; eu-112 should not be added: {ids}"
    assert not any(c.country == "EU" for c in reporting_for("GB").contacts), "GB is not an EU member"


@pytest.mark.parametrize("country", [None, "", "  "])
def test_no_country_gives_international_and_notice(country):
    reporting = reporting_for(country)
    assert reporting.country == "INTL", f"country should be INTL, got {reporting.country!r}"
    assert {c.country for c in reporting.contacts} == {"INTL"}, "only international entries expected"
    assert NO_COUNTRY_NOTICE in reporting.notices, f"notice missing: {reporting.notices}"
    assert IMPERSONATION_NOTICE in reporting.notices, f"impersonation notice missing: {reporting.notices}"
    assert not any(c.emergency for c in reporting.contacts), "no emergency number applies everywhere"


@pytest.mark.parametrize(
    ("country", "notice_start", "scopes"),
    [
        ("NO", "No contacts for NO yet", {"INTL"}),
        ("JP", "No contacts for JP yet", {"INTL"}),
        ("AT", "No contacts for AT yet", {"INTL", "EU"}),
        ("not a country", "Unknown country", {"INTL"}),
    ],
)
def test_country_without_file(country, notice_start, scopes):
    reporting = reporting_for(country, danger=True)
    assert reporting.country == "INTL", f"{country}: expected the international list, got {reporting.country}"
    assert any(n.startswith(notice_start) for n in reporting.notices), f"{country}: notices {reporting.notices}"
    assert {c.country for c in reporting.contacts} == scopes, f"{country}: scopes {({c.country for c in reporting.contacts})}"
    assert reporting.notices[-1] == IMPERSONATION_NOTICE, f"{country}: impersonation notice should close the notices"


def test_danger_without_emergency_number_says_so():
    reporting = reporting_for(None, danger=True)
    assert any("immediate danger" in n for n in reporting.notices), f"danger notice missing: {reporting.notices}"
    assert not any("immediate danger" in n for n in reporting_for(None).notices), "danger notice shown without danger"


def test_blue_heart_and_iom_are_not_presented_as_numbers():
    for reporting in (reporting_for(None), reporting_for("GB")):
        for contact in reporting.contacts:
            if contact.id in ("intl-unodc-blueheart", "intl-iom"):
                assert contact.phone == "" and contact.kind == "support", f"{contact.id} must be information only"


def test_reporting_for_accepts_lower_case_and_aliases():
    assert reporting_for("uk").country == "GB", "uk should mean GB"
    assert reporting_for(" us ").country == "US", "' us ' should mean US"


# --- normalise_country and country_from_environment ------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("gb", "GB"),
        ("GB", "GB"),
        ("uk", "GB"),
        ("UK", "GB"),
        (" us ", "US"),
        ("United Kingdom", "GB"),
        ("south africa", "ZA"),
        ("NO", "NO"),
        ("no", "NO"),
        ("Norway", "NO"),
        ("jp", "JP"),
        ("usa", "US"),
        ("", None),
        ("   ", None),
        ("g", None),
        ("g1", None),
        ("12", None),
        ("xyzzy", None),
        ("en_GB", None),
        (None, None),
        (False, None),
        (44, None),
    ],
)
def test_normalise_country(value, expected):
    assert normalise_country(value) == expected, f"normalise_country({value!r}) should be {expected!r}"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, None),
        ({"OFFERCHECK_COUNTRY": "gb"}, "GB"),
        ({"OFFERCHECK_COUNTRY": "uk", "LANG": "pt_BR.UTF-8"}, "GB"),
        ({"OFFERCHECK_COUNTRY": "no"}, "NO"),
        ({"OFFERCHECK_COUNTRY": "junk!", "LANG": "en_US.UTF-8"}, "US"),
        ({"OFFERCHECK_COUNTRY": "", "LANG": "en_IE.UTF-8"}, "IE"),
        ({"LANG": "en_GB.UTF-8"}, "GB"),
        ({"LANG": "pt_BR"}, "BR"),
        ({"LANG": "nb_NO.UTF-8"}, "NO"),
        ({"LANG": "de_DE@euro"}, "DE"),
        ({"LANG": "ca_ES.UTF-8@valencia"}, "ES"),
        ({"LANG": "fil_PH.UTF-8"}, "PH"),
        ({"LANG": "C"}, None),
        ({"LANG": "C.UTF-8"}, None),
        ({"LANG": "POSIX"}, None),
        ({"LANG": "en"}, None),
        ({"LANG": "es_419.UTF-8"}, None),
        ({"LC_ALL": "fr_FR.UTF-8", "LC_MESSAGES": "de_DE", "LANG": "en_GB"}, "FR"),
        ({"LC_MESSAGES": "de_DE.UTF-8", "LANG": "en_GB.UTF-8"}, "DE"),
        ({"LC_ALL": "", "LC_MESSAGES": "", "LANG": "en_KE.UTF-8"}, "KE"),
        ({"LC_ALL": "C.UTF-8", "LANG": "en_GB.UTF-8"}, None),  # POSIX: a set LC_ALL wins
    ],
)
def test_country_from_environment(environ, expected):
    assert country_from_environment(environ) == expected, f"country_from_environment({environ}) should be {expected!r}"


@pytest.mark.parametrize(
    "notes",
    [
        "Call 1300 432 273 for help.",  # an unconfirmed number copied into confirmed notes
        "This line is UNCONFIRMED.",
        "See interpol-icp.org.",
    ],
)
def test_importer_refuses_to_leak(tmp_path, notes):
    pytest.importorskip("yaml")
    importer = _importer()
    source = tmp_path / "contacts.yaml"
    source.write_text(
        "- id: au-doubt\n  country: AU\n  organisation: X\n  kind: support\n  status: UNCONFIRMED\n"
        "  unconfirmed_phone: 1300 432 273\n  source: https://example.org\n  source_date: n.d.\n"
        "- id: au-ok\n  country: AU\n  organisation: Y\n  kind: support\n  status: confirmed\n"
        f"  url: https://example.org/y\n  source: https://example.org\n  source_date: n.d.\n  notes: \"{notes}\"\n",
        encoding="utf-8",
    )
    with pytest.raises(importer.ContactsImportError):
        importer.run(source, tmp_path / "out")
    assert not (tmp_path / "out" / "AU.toml").exists(), "nothing may be written when the guard fires"
