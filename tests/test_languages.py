"""Language detection, rule packs by language, and the notice for languages without rules."""

import pytest

from offercheck.api import check_text
from offercheck.i18n import active_languages, language_notices, report_language
from offercheck.languages import detect_languages
from offercheck.normalize import fold
from offercheck.rules import load_rules, pack_languages

THAI = "สวัสดีค่ะ มีงานที่ประเทศไทย เงินเดือนสูง ส่งรูปหนังสือเดินทางมาทางไลน์ ค่าธรรมเนียมห้าพันบาท"
GERMAN = "Hallo! Wir suchen Mitarbeiter für eine Stelle in Dubai, Flug und Visum werden bezahlt, schicken Sie uns Ihren Pass."


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Hi dear, we have a job for you in Dubai, tickets paid, send your passport copy today.", "en"),
        ("Olá querida! Temos vaga de emprego em Portugal com passagem paga, mande foto do passaporte.", "pt"),
        ("Hola, buscamos chicas para trabajar en España, pasaje y visa pagados, envíanos tu pasaporte.", "es"),
        ("Magandang araw po! May trabaho po kami sa Dubai, libre ang pamasahe at visa.", "tl"),
        ("Chào bạn, công ty tuyển nhân viên làm việc tại Campuchia, lương cao, bao vé máy bay và visa.", "vi"),
        ("Привет! Работа в Дубае, высокая зарплата, билеты и виза оплачены.", "ru"),
        ("Привіт! Робота в Польщі, висока зарплата, квитки та віза оплачені.", "uk"),
        (THAI, "th"),
    ],
)
def test_main_language_is_detected(text, code):
    found = detect_languages(text)
    assert found and found[0].code == code, f"expected {code} first, got {found}"


def test_mixed_language_offer_lists_both():
    text = (
        "Olá querida! Temos uma vaga de emprego muito boa em Lisboa com passagem paga e alojamento.\n"
        "Position: Senior Customer Service Agent. Please send your CV and your passport to our HR team today."
    )
    codes = [share.code for share in detect_languages(text)]
    assert set(codes) >= {"pt", "en"}, f"both languages should be present, got {codes}"


def test_too_little_text_detects_nothing():
    assert detect_languages("ok 👍") == (), "a reply with no words is in no language"


@pytest.mark.parametrize("text", [THAI, GERMAN])
def test_language_without_a_pack_gets_a_notice(text):
    report = check_text(text)
    language = report.evidence.languages[0][0]
    assert language not in pack_languages(), f"this test needs a language with no pack; {language} has one"
    assert any("rules yet" in notice for notice in report.notices), (
        f"an offer in a language without rules must say so, got notices {report.notices}"
    )
    assert report.to_dict()["languages"][0]["code"] == language


def test_english_offer_has_no_language_notice():
    report = check_text("Hi dear, pay the registration fee of 150 USD before you start the job.")
    assert not [n for n in report.notices if "rules yet" in n], f"English has rules: {report.notices}"


def test_english_rules_always_run_and_packs_only_for_present_languages():
    assert active_languages(()) == {"en"}
    assert active_languages((("th", 1.0),)) == {"en"}, "no Thai pack: English rules only"
    for lang in pack_languages():
        assert lang in active_languages(((lang, 0.7), ("en", 0.3))), f"the {lang} pack must run when {lang} is present"


@pytest.mark.parametrize(
    ("requested", "found", "expected"),
    [
        ("en", (("th", 1.0),), "en"),
        (None, (("th", 1.0),), "en"),
        (None, (), "en"),
    ],
)
def test_report_language(requested, found, expected):
    assert report_language(requested, found) == expected


def test_notice_names_the_share():
    notices = language_notices((("th", 0.8), ("en", 0.2)))
    assert len(notices) == 1 and "Thai" in notices[0] and "80%" in notices[0], notices


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Теlegram", "telegram"),  # a Cyrillic Т inside a Latin word is a look-alike
        ("Работа в Дубае", "работа в дубае"),  # a Russian word stays Russian
        ("Йошкар-Ола, ёлка", "иошкар-ола, елка"),
        ("Việc làm Đà Nẵng", "viec lam da nang"),
        ("Pasaporte y VISA pagados ñ", "pasaporte y visa pagados n"),
    ],
)
def test_folding_in_other_scripts(text, folded):
    assert fold(text).text == folded


@pytest.mark.parametrize("lang", pack_languages())
def test_pack_report_is_worded_in_its_language(lang):
    rule = next(r for r in load_rules() if r.lang == lang and any(e.expect not in (False,) and not e.todo for e in r.examples))
    example = next(e for e in rule.examples if e.expect is not False and not e.todo)
    report = check_text(example.text, lang=lang)
    messages = [f.message for f in report.findings if f.rule_id == rule.id]
    assert rule.message in messages, f"with --lang {lang}, {rule.id} should speak {lang}: got {messages}"
