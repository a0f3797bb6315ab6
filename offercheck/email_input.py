"""Offers that arrive as e-mails: recognise a raw RFC 5322 message by its content and read it.

`looks_like_email(data)` decides from the header block alone (not the file name), so a saved
`.eml`, a `.txt` holding a raw message, or a message piped to stdin are all read as e-mails.
`parse_email(data)` uses the standard library's `email` package with `policy.default`
(encoded words decoded, addresses parsed) and returns the parts the checks need: the sender
headers, Authentication-Results, the text and HTML parts, and the attachments' names.
Attachments are never opened or saved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A header field name (RFC 5322 3.6.8): printable ASCII but the colon, then a colon.
_FIELD = re.compile(rb"^([!-9;-~]{1,76}):")
_KNOWN = frozenset(b"from to cc subject date message-id received return-path mime-version content-type "
                   b"reply-to sender delivered-to authentication-results dkim-signature x-mailer "
                   b"content-transfer-encoding arc-seal received-spf".split())
_AUTH = re.compile(r"\b(spf|dkim|dmarc)\s*=\s*([a-z]+)", re.IGNORECASE)
EMAIL_MAX_BYTES = 25_000_000  # a message with attachments is larger than any offer text


@dataclass(frozen=True, slots=True)
class ParsedAddress:
    header: str
    display_name: str
    address: str  # lower-cased
    raw: str  # the decoded header value as shown


@dataclass(frozen=True, slots=True)
class ParsedAttachment:
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True, slots=True)
class ParsedMail:
    addresses: tuple[ParsedAddress, ...]
    subject: str
    date: str
    auth: tuple[tuple[str, str], ...]  # (method, result) from every Authentication-Results header
    text_parts: tuple[str, ...]
    html_parts: tuple[str, ...]
    attachments: tuple[ParsedAttachment, ...]


def looks_like_email(data: bytes) -> bool:
    """True when `data` starts with an RFC 5322 header block naming a sender: at least three
    well-known fields, From among them, and only header or continuation lines before the body."""
    head = data[:65536].lstrip(b"\r\n")
    if head.startswith(b"From "):  # an mbox "From " separator line
        head = head.split(b"\n", 1)[1] if b"\n" in head else b""
    names: set[bytes] = set()
    for line in head.split(b"\n"):
        line = line.rstrip(b"\r")
        if not line:
            break
        if line[:1] in (b" ", b"\t") and names:
            continue  # a folded continuation line
        match = _FIELD.match(line)
        if not match:
            return False
        names.add(match.group(1).lower())
    else:
        return False  # no empty line closing the header block within the first 64 KB
    return b"from" in names and len(names & _KNOWN) >= 3


def _addresses(message, header: str) -> list[ParsedAddress]:
    out = []
    for value in message.get_all(header, []) or []:
        try:
            shown = str(value)
            parsed = getattr(value, "addresses", ())
        except Exception:  # noqa: BLE001 - a malformed header is shown as it is, without an address
            shown, parsed = str(value), ()
        if header == "Return-Path" and not parsed:
            bare = shown.strip().strip("<>").strip()
            out.append(ParsedAddress(header, "", bare.lower() if "@" in bare else "", shown))
            continue
        if not parsed:
            out.append(ParsedAddress(header, "", "", shown))
        for item in parsed:
            out.append(ParsedAddress(header, item.display_name or "", (item.addr_spec or "").lower(), shown))
    return out


def _content(part) -> str:
    try:
        return part.get_content()
    except (LookupError, ValueError, AssertionError):  # unknown charset or broken transfer encoding
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")


def parse_email(data: bytes) -> ParsedMail:
    from email import policy
    from email.parser import BytesParser

    message = BytesParser(policy=policy.default).parsebytes(data)
    addresses: list[ParsedAddress] = []
    for header in ("From", "Sender", "Reply-To", "Return-Path"):
        addresses += _addresses(message, header)
    auth = tuple((m.lower(), r.lower()) for value in message.get_all("Authentication-Results", []) or []
                 for m, r in _AUTH.findall(str(value)))
    texts, htmls, attachments = [], [], []
    for part in message.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        ctype = part.get_content_type()
        if filename or part.get_content_disposition() == "attachment":
            payload = part.get_payload(decode=True) or b""
            attachments.append(ParsedAttachment(str(filename or "(no name)"), ctype, len(payload)))
        elif ctype == "text/plain":
            texts.append(_content(part))
        elif ctype == "text/html":
            htmls.append(_content(part))
    return ParsedMail(
        addresses=tuple(addresses),
        subject=str(message.get("Subject", "") or ""),
        date=str(message.get("Date", "") or ""),
        auth=auth,
        text_parts=tuple(texts),
        html_parts=tuple(htmls),
        attachments=tuple(attachments),
    )
