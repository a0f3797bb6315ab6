"""Rules about rules (semgrep's yaml/semgrep/ idea): every rule file is complete and consistent."""

import re
from pathlib import PurePosixPath

import pytest

from offercheck.advice import advice_catalog
from offercheck.checks.contacts import PREDICATES
from offercheck.checks.domains import PREDICATES as DOMAIN_PREDICATES
from offercheck.checks.email_headers import PREDICATES as EMAIL_PREDICATES
from offercheck.checks.links import PREDICATES as LINK_PREDICATES
from offercheck.rules import CHECKS, STATUSES, load_rules

RULES = load_rules()
IDS = [r.id if r.lang == "en" else f"{r.id}-{r.lang}" for r in RULES]
ENGLISH = [r for r in RULES if r.lang == "en"]


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_file_name_is_id_and_name(rule):
    stem = PurePosixPath(rule.path).stem
    assert stem == f"{rule.id}-{rule.name}", f"{rule.path}: the file must be named {rule.id}-{rule.name}.toml"
    folder = rule.check if rule.lang == "en" else rule.lang
    assert PurePosixPath(rule.path).parent.name == folder, f"{rule.path}: this rule belongs in rules/{folder}/"


def test_ids_and_names_are_unique():
    assert len(set(IDS)) == len(IDS), f"duplicate rule ids: {sorted(i for i in IDS if IDS.count(i) > 1)}"
    names = [r.name for r in ENGLISH]
    assert len(set(names)) == len(names), f"duplicate rule names: {sorted(n for n in names if names.count(n) > 1)}"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_fields_are_well_formed(rule):
    prefix = {"language": "L", "contact": "C", "domain": "D", "model": "M"}[rule.check]
    assert re.fullmatch(rf"{prefix}\d{{3}}", rule.id), f"{rule.path}: a {rule.check} rule id looks like {prefix}101"
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), f"{rule.path}: the name must be kebab-case"
    assert rule.check in CHECKS and rule.status in STATUSES, f"{rule.path}: unknown check or status"
    assert 1 <= rule.weight <= 95, f"{rule.path}: weight {rule.weight} must be between 1 and 95"
    assert rule.message.endswith("."), f"{rule.path}: the message is one sentence ending with a full stop"
    assert rule.message.count(". ") == 0, f"{rule.path}: the message must be ONE sentence"
    assert "  " not in rule.message, f"{rule.path}: the message has doubled spaces"
    assert len(rule.why) >= 60, f"{rule.path}: `why` must explain why this matters (2-4 sentences)"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_sources_cite_an_authority(rule):
    assert rule.sources, f"{rule.path}: add at least one [[sources]] entry with org, title and url"
    for source in rule.sources:
        assert source.url.startswith(("https://", "http://")), f"{rule.path}: source url {source.url!r} is not a URL"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_advice_ids_exist(rule):
    catalog = advice_catalog()
    assert rule.advice, f"{rule.path}: give at least one advice id from data/advice.toml"
    unknown = [a for a in rule.advice if a not in catalog]
    assert not unknown, f"{rule.path}: advice ids {unknown} are not in data/advice.toml"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_examples_both_ways(rule):
    positives = [e for e in rule.examples if e.expect is not False and not e.todo]
    negatives = [e for e in rule.examples if e.expect is False and not e.todo]
    assert positives, f"{rule.id} has no example that must trigger it; add one under [[examples]] with expect = \"the words\"."
    assert negatives, f"{rule.id} has no example that must not trigger it; add one under [[examples]] with expect = false."
    for example in positives:
        if isinstance(example.expect, str) and example.expect:
            assert example.expect in example.text, f"{rule.id}: expected quote {example.expect!r} is not in its example text"


@pytest.mark.parametrize("rule", [r for r in RULES if r.check == "language"], ids=lambda r: f"{r.id}-{r.lang}")
def test_language_rules_have_patterns(rule):
    assert rule.any, f"{rule.path}: a language rule needs [match] any = [...]"
    for pattern in rule.any + rule.unless + rule.requires:
        assert pattern.pattern == pattern.pattern.strip(), f"{rule.path}: pattern has stray whitespace"
        pattern.compiled()  # patterns compile lazily at check time; a broken one must fail here


def test_every_contact_rule_has_logic_and_every_predicate_a_rule():
    contact_ids = {r.id for r in ENGLISH if r.check == "contact"}
    predicates = set(PREDICATES) | set(EMAIL_PREDICATES)  # C1xx contact details, C2xx e-mail headers
    assert not set(PREDICATES) & set(EMAIL_PREDICATES), "a contact rule id has two predicates"
    assert contact_ids == predicates, (
        f"contact rules without a predicate: {sorted(contact_ids - predicates)}; "
        f"predicates without a rule file: {sorted(predicates - contact_ids)}"
    )


def test_every_domain_rule_has_logic_and_every_predicate_a_rule():
    domain_ids = {r.id for r in ENGLISH if r.check == "domain"}
    predicates = set(DOMAIN_PREDICATES) | set(LINK_PREDICATES)  # D1xx/D2xx domains, D3xx fetched links
    assert not set(DOMAIN_PREDICATES) & set(LINK_PREDICATES), "a domain rule id has two predicates"
    assert domain_ids == predicates, (
        f"domain rules without a predicate: {sorted(domain_ids - predicates)}; "
        f"predicates without a rule file: {sorted(predicates - domain_ids)}"
    )


def test_rule_count_covers_the_indicators():
    assert len(ENGLISH) >= 50, f"only {len(ENGLISH)} English rules; the indicators and articles need 50+"


@pytest.mark.parametrize("rule", [r for r in RULES if r.lang != "en"], ids=lambda r: f"{r.id}-{r.lang}")
def test_pack_rules_mirror_an_english_language_rule(rule):
    english = {r.id: r for r in ENGLISH}
    assert rule.id in english and english[rule.id].check == "language", f"{rule.path}: no English language rule {rule.id}"
    assert rule.message != english[rule.id].message, f"{rule.path}: the message must be written in {rule.lang}, not copied"
