"""Pull contact details out of an offer once: e-mails, phones, links, messaging handles, wallets.

Everything here is offline. Bare domains are recognised against a bundled list of TLDs so
that start-up never imports tldextract; registrable-domain logic lives with the lookups.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from .model import Contact, Span

MESSAGING_KINDS = ("whatsapp", "telegram", "signal", "wechat", "line", "kik", "snapchat", "instagram", "viber", "skype")

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@(?:[\w-]{1,63}\.)+[a-zA-Z\u00a1-\uffff]{2,24}(?![\w-])")
_URL = re.compile(r"\b(?:https?://|www\.)(?:\[[0-9a-fA-F:.]{2,45}\])?[^\s<>\"'`{}|\\^\[\]]{2,2000}", re.IGNORECASE)
_BARE_DOMAIN = re.compile(r"(?<![\w@./-])((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+([a-z]{2,24}|xn--[a-z0-9-]{2,59}))(?:/[^\s<>\"']{0,500})?(?![\w-])")
_MASKED = re.compile(r"#(EMAIL|PHONE|URL)_[0-9a-fA-F]{4,}#")
_PHONE_HINT = re.compile(r"\+?\d[\d\s().\-]{5,}\d")
_TRAILING_PUNCT = ".,;:!?)]}'\""

_WALLETS = (
    ("wallet", "bitcoin", re.compile(r"(?<![\w])(?:bc1[ac-hj-np-z02-9]{25,87}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})(?![\w])")),
    ("wallet", "ethereum", re.compile(r"(?<![\w])0x[0-9a-fA-F]{40}(?![\w])")),
    ("wallet", "tron", re.compile(r"(?<![\w])T[1-9A-HJ-NP-Za-km-z]{33}(?![\w])")),
)

# Messaging links and handles. Group "id" is the handle or number.
_MESSAGING_LINKS = (
    ("whatsapp", re.compile(r"\b(?:https?://)?(?:wa\.me|api\.whatsapp\.com/send\?phone=|chat\.whatsapp\.com)/?(?P<id>[\w+-]{3,40})", re.IGNORECASE)),
    ("telegram", re.compile(r"\b(?:https?://)?(?:t\.me|telegram\.me|telegram\.dog)/(?P<id>[\w+]{3,40})", re.IGNORECASE)),
    ("signal", re.compile(r"\b(?:https?://)?signal\.me/#?(?:p/|eu/)?(?P<id>[\w+%/.-]{3,60})", re.IGNORECASE)),
    ("line", re.compile(r"\b(?:https?://)?line\.me/(?:ti/p/|R/ti/p/)?(?P<id>[\w~@%-]{3,40})", re.IGNORECASE)),
    ("instagram", re.compile(r"\b(?:https?://)?(?:www\.)?instagram\.com/(?P<id>[\w.]{2,30})", re.IGNORECASE)),
    ("snapchat", re.compile(r"\b(?:https?://)?(?:www\.)?snapchat\.com/add/(?P<id>[\w.-]{2,30})", re.IGNORECASE)),
    ("viber", re.compile(r"\bviber://(?:chat|add)\?number=(?P<id>[\w%+]{3,30})", re.IGNORECASE)),
)
_APP_WORDS = {
    "whatsapp": r"whats\s?app|wh?at?sap+|wa",
    "telegram": r"telegram|tg|telegr\.?",
    "signal": r"signal",
    "wechat": r"we\s?chat|weixin",
    "line": r"line(?:\s+id)?",
    "kik": r"kik",
    "snapchat": r"snapchat|snap|sc",
    "instagram": r"instagram|insta|ig",
    "viber": r"viber",
    "skype": r"skype",
}
# "WhatsApp: +44 7911 123456", "Telegram @hr_anna", "WeChat ID: lucy_8899"
_APP_HANDLE = re.compile(
    r"(?<![\w])(?P<app>" + "|".join(f"(?:{v})" for v in _APP_WORDS.values()) + r")\b\s*(?:id|username|handle|number|no\.?|#)?\s*(?:[:=\-–>]|is|on|at)?\s*"
    r"(?P<id>@[A-Za-z][\w.]{2,31}|\+?\d[\d\s().-]{6,18}\d|(?<=[:=]\s)[A-Za-z][\w.-]{3,31}|(?<=[:=])[A-Za-z][\w.-]{3,31})",
    re.IGNORECASE,
)
# Apps whose ids are written as a bare word after a colon ("WeChat: lucy_8899").
_PLAIN_HANDLE_APPS = frozenset({"wechat", "we chat", "weixin", "kik", "skype", "telegram", "snapchat", "instagram", "line id", "viber"})
_APP_OF = [(kind, re.compile(rf"^(?:{pattern})$", re.IGNORECASE)) for kind, pattern in _APP_WORDS.items()]


@lru_cache(maxsize=1)
def known_tlds() -> frozenset[str]:
    """TLDs recognised in bare domains ("jobs-hr.top"), from data/lists/tlds.txt."""
    raw = resources.files("offercheck.data").joinpath("lists", "tlds.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in raw.splitlines() if line.strip() and not line.startswith("#"))


def _strip_trailing(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in _TRAILING_PUNCT:
        if text[end - 1] == ")" and "(" in text[start:end]:
            break
        end -= 1
    return start, end


def host_of(url: str) -> str:
    """The lower-cased host of a URL or bare domain, without user info or port."""
    rest = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip(), flags=re.IGNORECASE)
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    host = authority.rsplit("@", 1)[-1]
    if host.startswith("["):
        return host.split("]")[0] + "]"
    return host.split(":")[0].rstrip(".").lower()


def _app_kind(word: str) -> str:
    for kind, pattern in _APP_OF:
        if pattern.match(word.strip()):
            return kind
    return ""


def _emails(text: str, taken: list[tuple[int, int]]) -> list[Contact]:
    found = []
    for match in _EMAIL.finditer(text):
        if text[max(0, match.start() - 3) : match.start()].endswith(("://", "/")):
            continue  # user info inside a link (https://amazon.com@evil.top/), not an address
        start, end = _strip_trailing(text, match.start(), match.end())
        value = text[start:end].lower()
        domain = value.rsplit("@", 1)[1]
        found.append(Contact("email", value, Span(start, end), detail=(("domain", domain),)))
        taken.append((start, end))
    return found


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in taken)


# Every messaging link names one of these hosts; without one, the seven link patterns (slow to
# scan because their scheme is optional) cannot match and are skipped.
_MESSAGING_LINK_HINT = re.compile(
    r"wa\.me|whatsapp\.com|t\.me/|telegram\.(?:me|dog)/|signal\.me|line\.me/|instagram\.com/|snapchat\.com/|viber://",
    re.IGNORECASE,
)


def _messaging(text: str, taken: list[tuple[int, int]]) -> list[Contact]:
    found = []
    link_patterns = _MESSAGING_LINKS if _MESSAGING_LINK_HINT.search(text) else ()
    for kind, pattern in link_patterns:
        for match in pattern.finditer(text):
            start, end = _strip_trailing(text, match.start(), match.end())
            found.append(Contact(kind, match.group("id").lower(), Span(start, end), detail=(("via", "link"),)))
            taken.append((start, end))
    for match in _APP_HANDLE.finditer(text):
        start, end = _strip_trailing(text, match.start(), match.end())
        if _overlaps(start, end, taken):
            continue
        kind = _app_kind(match.group("app"))
        handle = match.group("id").strip().rstrip(_TRAILING_PUNCT)
        is_plain_word = handle[:1].isalpha()
        if not kind or (is_plain_word and match.group("app").lower() not in _PLAIN_HANDLE_APPS):
            continue  # "Reporting line: Head of Sales" is not a LINE id
        if handle[:1].isdigit() or handle.startswith("+"):
            handle = re.sub(r"[^\d+]", "", handle)
        found.append(Contact(kind, handle.lower(), Span(start, end), detail=(("via", "handle"),)))
        taken.append((start, end))
    return found


def _links(text: str, taken: list[tuple[int, int]]) -> list[Contact]:
    found = []
    for match in _URL.finditer(text):
        start, end = _strip_trailing(text, match.start(), match.end())
        if _overlaps(start, end, taken):
            continue
        value = text[start:end]
        found.append(Contact("link", value, Span(start, end), detail=(("host", host_of(value)),)))
        taken.append((start, end))
    tlds = known_tlds()
    for match in _BARE_DOMAIN.finditer(text):
        start, end = _strip_trailing(text, match.start(), match.end())
        if _overlaps(start, end, taken) or match.group(2) not in tlds:
            continue
        value = text[start:end]
        host = host_of(value)
        if host.count(".") == 0 or len(host.split(".")[-2]) < 2 and not host.startswith("xn--"):
            continue
        found.append(Contact("domain", value, Span(start, end), detail=(("host", host),)))
        taken.append((start, end))
    return found


def _phones(text: str, taken: list[tuple[int, int]], region: str | None) -> list[Contact]:
    if not _PHONE_HINT.search(text):
        return []
    import phonenumbers  # imported only when a digit run could be a phone number

    found = []
    # VALID leniency: salary ranges ("300-800") and dates are not phone numbers.
    matcher = phonenumbers.PhoneNumberMatcher(text, region or "ZZ", leniency=phonenumbers.Leniency.VALID)
    for match in matcher:
        start, end = match.start, match.end
        if _overlaps(start, end, taken):
            continue  # already part of a WhatsApp number, a link or an e-mail
        number = match.number
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        detail = (
            ("region", phonenumbers.region_code_for_number(number) or ""),
            ("calling_code", str(number.country_code)),
            ("valid", "yes" if phonenumbers.is_valid_number(number) else "no"),
        )
        found.append(Contact("phone", e164, Span(start, end), detail=detail))
        taken.append((start, end))
    return found


def _messaging_phones(contacts: list[Contact], region: str | None) -> list[Contact]:
    """Add region facts to messaging contacts that are phone numbers (WhatsApp +44...)."""
    out = []
    for contact in contacts:
        if contact.kind in MESSAGING_KINDS and contact.value.lstrip("+").isdigit() and len(contact.value) >= 8:
            import phonenumbers

            try:
                number = phonenumbers.parse(contact.value, region or "ZZ")
            except phonenumbers.NumberParseException:
                out.append(contact)
                continue
            if not contact.value.startswith("+") and region is None:
                facts: tuple[tuple[str, str], ...] = (("region", ""),)
            else:
                facts = (
                    ("region", phonenumbers.region_code_for_number(number) or ""),
                    ("calling_code", str(number.country_code)),
                )
            contact = Contact(contact.kind, contact.value, contact.span, contact.hidden, contact.detail + facts)
        out.append(contact)
    return out


def _masked(text: str) -> list[Contact]:
    kinds = {"EMAIL": "email", "PHONE": "phone", "URL": "link"}
    return [Contact(kinds[m.group(1)], m.group(), Span(m.start(), m.end()), hidden=True) for m in _MASKED.finditer(text)]


def _wallets(text: str, taken: list[tuple[int, int]]) -> list[Contact]:
    found = []
    for kind, chain, pattern in _WALLETS:
        for match in pattern.finditer(text):
            if _overlaps(match.start(), match.end(), taken):
                continue
            value = match.group()
            if chain == "bitcoin" and not value.startswith("bc1") and (value.isdigit() or value.isalpha()):
                continue  # long pure digits or words are not base58check addresses worth flagging
            found.append(Contact(kind, value, Span(match.start(), match.end()), detail=(("chain", chain),)))
            taken.append((match.start(), match.end()))
    return found


def extract_contacts(text: str, region: str | None = None) -> tuple[Contact, ...]:
    """Every contact detail in `text`, in order of appearance. `region` helps read local phone numbers."""
    taken: list[tuple[int, int]] = []
    masked = _masked(text)
    taken.extend((c.span.start, c.span.end) for c in masked)
    contacts = masked + _emails(text, taken) + _messaging(text, taken) + _links(text, taken)
    contacts += _wallets(text, taken) + _phones(text, taken, region)
    contacts = _messaging_phones(contacts, region)
    return tuple(sorted(contacts, key=lambda c: (c.span.start, c.span.end)))
