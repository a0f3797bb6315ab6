"""The word model behind M101: it judges postings, names its words, and stays out of letters and chats."""

from __future__ import annotations

from offercheck.api import check_text
from offercheck.checks.model import model_settings, reads_like_personal_message, reads_like_posting
from offercheck.wordmodel import features, load_model

# Written for these tests: a 2012-style work-from-home template and a plain engineering posting.
TEMPLATE_POSTING = """Data Entry Clerk - Work From Home
US, TX, Houston
We are seeking individuals to work from home as data entry clerks and payroll typists. No experience is required, full training is provided. Duties include typing forms, entering customer information and processing payroll online. You can earn weekly pay and set your own hours, part time or full time. Requirements: computer with internet access, basic typing skills, must be 18 or older. Benefits: flexible schedule, weekly payment, work at home. Apply now with your resume and our hiring manager will contact you for an online interview."""

ENGINEERING_POSTING = """Senior Backend Engineer
DE, BE, Berlin
Northwind Logistics builds routing software used by 400 freight carriers across Europe. Founded in 2009, we are a team of 120 engineers, designers and analysts.
You will design and operate the services behind our pricing engine, review code, mentor two junior engineers and take part in an on-call rotation shared across the team.
Requirements: five years of experience with Java or Kotlin, PostgreSQL, distributed systems and observability; fluent English.
Benefits: 30 days of holiday, a yearly learning budget, public transport ticket, pension plan and a hybrid office in Kreuzberg."""


def _m101(text: str):
    return [f for f in check_text(text).findings if f.rule_id == "M101"]


def test_model_ships_and_scores_between_0_and_1():
    model = load_model()
    assert model is not None and len(model.weights) > 1000
    probability, present = model.score(TEMPLATE_POSTING)
    assert 0.0 <= probability <= 1.0
    assert present and all(feature in model.weights for feature, _ in present)


def test_template_posting_is_flagged_with_the_words_that_weighed_most():
    (finding,) = _m101(TEMPLATE_POSTING)
    settings = model_settings()
    assert finding.weight in (settings["medium_weight"], settings["high_weight"])
    assert "model probability" in finding.message
    top_words = [feature for feature, weight in load_model().score(TEMPLATE_POSTING)[1][:3] if weight > 0]
    assert top_words and all(f'"{word}"' in finding.message for word in top_words)


def test_ordinary_engineering_posting_is_not_flagged():
    assert load_model().score(ENGINEERING_POSTING)[0] < model_settings()["medium_probability"]
    assert _m101(ENGINEERING_POSTING) == []


def test_short_chat_is_never_judged_even_with_template_words():
    chat = "work from home data entry, weekly pay, no experience, training provided, apply now"
    assert not reads_like_posting(chat, model_settings())
    assert _m101(chat) == []


def test_letter_to_one_person_is_not_judged_as_a_posting():
    letter = "Hi Kwame,\n\n" + TEMPLATE_POSTING
    signed = TEMPLATE_POSTING + "\n\nKind regards,\nDele, HR office"
    for text in (letter, signed):
        assert reads_like_personal_message(text)
        assert not reads_like_posting(text, model_settings())
        assert _m101(text) == []
    assert not reads_like_personal_message(TEMPLATE_POSTING)
    assert not reads_like_personal_message("Thanks to our clients we grew 40% last year.\nJob: cook")


def test_masked_contacts_and_entities_are_not_features():
    assert features("Call #PHONE_ab12cd# or mail #EMAIL_99ff# &amp; apply") == {"call", "mail", "apply", "call mail", "mail apply"}
