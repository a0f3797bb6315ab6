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


# --- M102, the message model ---------------------------------------------------------------

from offercheck.checks.model import reads_like_message  # noqa: E402

TASK_PITCH = (
    "Hello dear, our company is looking for part-time staff, you only need your phone, "
    "30 minutes a day, we pay you daily. Can I tell you more?"
)
SHIFT_TEXT = "Your shift at the warehouse on Saturday starts at 7am. Reply Y to confirm or N if you can't make it. Thanks, City Staffing"


def _m102(text: str, **kwargs):
    return [f for f in check_text(text, **kwargs).findings if f.rule_id == "M102"]


def test_message_model_ships_with_its_own_tokeniser():
    model = load_model("message-words")
    assert model is not None and model.tokens == "message-words" and len(model.weights) > 1000
    assert load_model("posting-words").tokens == "words"


def test_task_pitch_is_flagged_and_explained():
    (finding,) = _m102(TASK_PITCH)
    settings = model_settings("message_model")
    assert finding.weight in (settings["medium_weight"], settings["high_weight"])
    assert "recruitment-scam messages" in finding.message and '"' in finding.message
    assert finding.sources, "every finding cites its source"


def test_everyday_and_staffing_messages_are_not_flagged():
    assert _m102(SHIFT_TEXT) == []
    assert _m102("Running late for work, the bus broke down. Save me a coffee please!") == []


def test_message_model_judges_messages_only():
    settings = model_settings("message_model")
    assert reads_like_message(TASK_PITCH, settings)
    assert not reads_like_message("we pay you daily", settings)  # too few words
    assert not reads_like_message(TEMPLATE_POSTING, settings)  # a posting: M101's field
    long_unaddressed = " ".join(["We are a growing team in the city and value good work."] * 10)
    assert not reads_like_message(long_unaddressed, settings)
    assert reads_like_message("Hi Ana,\n\n" + long_unaddressed, settings)


def test_m101_and_m102_never_both_judge_one_text():
    for text in (TASK_PITCH, TEMPLATE_POSTING, "Hi Kwame,\n\n" + TEMPLATE_POSTING):
        ids = {f.rule_id for f in check_text(text).findings}
        assert not {"M101", "M102"} <= ids


def test_message_model_is_silent_on_languages_it_never_learnt():
    assert "de" not in load_model("message-words").languages
    german = "Hallo, wir sind eine Firma und suchen Teilzeitkräfte, Sie brauchen nur Ihr Handy, wir zahlen Ihnen jeden Tag."
    assert _m102(german) == []


def test_message_model_speaks_the_languages_it_learnt():
    model = load_model("message-words")
    assert {"en", "es", "ru"} <= set(model.languages)
    spanish = ("Hola amiga, trabajo fácil desde tu celular: das like a videos y ganas 300 pesos diarios. "
               "Para activar tu cuenta solo haz una recarga de 500 y te regresamos todo con comisión.")
    russian = ("Привет! Есть подработка: ставишь лайки в приложении и получаешь от 3000 рублей в день. "
               "Чтобы начать, нужно пополнить баланс на 2000, потом всё вернём с процентами.")
    everyday = {"es": "Hola mamá, ya llegué al trabajo, luego te llamo para lo de la cena del domingo.",
                "ru": "Мам, я уже на работе, вечером позвоню насчёт ужина в воскресенье."}
    for code, text in (("es", spanish), ("ru", russian)):
        assert reads_like_message(text, model_settings("message_model"))
        assert code in model.languages
        assert model.score(text)[0] > model.score(everyday[code])[0] + 0.2, code


def test_ignoring_m102_removes_it():
    assert _m102(TASK_PITCH, ignore=["M102"]) == []


def test_pasted_letters_and_chats_are_personal_messages():
    forwarded = "---------- Forwarded message ---------\nFrom: hr@example.com\nSubject: Offer\n\nDear Grace,\nWe are pleased"
    handle_first = "northlight.models.ldn\nHi Zara! I'm Ben, a scout"
    transcript = "Dan: is this legit?\nMe: which agency\nDan: Crestline"
    whatsapp = "12/03/2025, 10:42 - Anna HR: hello\n12/03/2025, 10:43 - Anna HR: the job pays well"
    inline_sign_off = "Here is the summary of your relocation.\nBest, Claire Dunn, Talent Acquisition"
    for text in (forwarded, handle_first, transcript, whatsapp, inline_sign_off):
        assert reads_like_personal_message(text), text
    # postings that greet a crowd, or whose company is called "hello ...", stay postings
    for text in ("Title\nQA, , \nGreetings from VAM SYSTEMS, a business", "Battery Expert\nhello worldtalents23_ drives the change"):
        assert not reads_like_personal_message(text), text


def test_model_findings_quote_their_weightiest_words_in_the_offer():
    for text, rule_id in ((TASK_PITCH, "M102"), (TEMPLATE_POSTING, "M101")):
        (finding,) = [f for f in check_text(text).findings if f.rule_id == rule_id]
        assert finding.span is not None and finding.quote
        assert text[finding.span.start : finding.span.end] == finding.quote
        assert f'"{finding.quote.lower()}"' in finding.message.lower() or " " in finding.quote


def test_a_word_pair_is_found_across_the_common_words_dropped_between_them():
    # "work from home": "from" is a stop word, so the pair feature is "work home"
    (finding,) = [f for f in check_text(TEMPLATE_POSTING).findings if f.rule_id == "M101"]
    quotes = [TEMPLATE_POSTING[h.start : h.end] for h in (finding.span, *finding.more_spans)]
    top = [feature for feature, weight in load_model().score(TEMPLATE_POSTING)[1][:6] if weight > 0]
    assert len(quotes) == len(top), f"every word named in the message is quoted: {top} -> {quotes}"
    assert all(q.strip() for q in quotes)


def test_model_quotes_are_whole_words_in_any_script():
    text = ("Привет! Есть подработка: ставишь лайки в приложении и получаешь от 3000 рублей в день. "
            "Срочно нужно пополнить баланс на 2000, потом всё вернём с процентами. Пиши в телеграм, "
            "работа для всех, деньги каждый день, без опыта")
    (finding,) = [f for f in check_text(text).findings if f.rule_id == "M102"]
    for span in (finding.span, *finding.more_spans):
        before = text[span.start - 1] if span.start else " "
        after = text[span.end] if span.end < len(text) else " "
        assert not before.isalpha() and not after.isalpha(), text[span.start : span.end]
