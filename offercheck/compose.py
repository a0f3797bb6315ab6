"""Turn a fetched link or an e-mail into the offer text the checks read, plus structured facts.

The text is what a reader saw, laid out so every check runs on it unchanged:

    https://bit.ly/x                      <- a link: the URL as given, then every hop
    Redirected to: https://jobs.example.top/apply
    Page title: ...
    <the page's text, links written as "text (target)">
    Job posting (schema.org): title, hiring organisation, salary, location, dates

    From: Amazon HR <amazon.hr@gmail.com>  <- an e-mail: sender headers, subject,
    Reply-To: ...                             authentication results, attachment names,
    Subject: ...                              then its HTML and text parts
    Attachment: offer.pdf.exe (application/x-msdownload, 12,345 bytes)

Facts carry spans into that text, so each finding quotes the reader's own words. `quiet`
spans (attachment names, bounce addresses) are not read as contact details: `cv.zip` is
a file, not a domain to look up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import (
    Attachment,
    AuthResult,
    Hop,
    JobPosting,
    MailAddress,
    MailFacts,
    PageFacts,
    PageLink,
    Span,
    Status,
)

_WORD = re.compile(r"\w{3,}")


@dataclass(frozen=True, slots=True)
class Composed:
    text: str
    page: PageFacts | None = None
    mail: MailFacts | None = None
    links: tuple[PageLink, ...] = ()
    quiet: tuple[Span, ...] = ()  # not read as contact details
    notices: tuple[str, ...] = ()


class _Text:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, value: str) -> Span:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        start = self.length
        self.parts.append(value)
        self.length += len(value)
        return Span(start, self.length)

    def line(self, label: str, value: str) -> Span:
        self.add(label)
        span = self.add(" ".join(value.split()))  # one line, whatever the source put in it
        self.add("\n")
        return span

    def value(self) -> str:
        return "".join(self.parts)


def _job_lines(out: _Text, job: JobPosting) -> None:
    out.add("\nJob posting (schema.org) on the page:\n")
    for label, value in (("Title: ", job.title), ("Hiring organisation: ", job.organization),
                         ("Organisation website: ", job.organization_url), ("Salary: ", job.salary),
                         ("Location: ", job.location), ("Employment type: ", job.employment_type),
                         ("Posted: ", job.date_posted), ("Valid through: ", job.valid_through)):
        if value:
            out.line(label, value)


def _page_body(out: _Text, body: bytes, kind: str, charset: str, base_url: str) -> tuple[str, str, tuple[PageLink, ...], JobPosting | None, str]:
    """Append the page's text; (title, charset used, links, job posting, charset note)."""
    from .charsets import decode_body

    decoded, used, note = decode_body(body, charset, html=kind == "html")
    if kind != "html":
        out.add("\n")
        out.add(decoded)
        return "", used, (), None, note
    from .html_text import html_to_text

    page = html_to_text(decoded, base_url)
    if page.title:
        out.line("Page title: ", page.title)
    out.add("\n")
    base = out.length
    out.add(page.text)
    out.add("\n")
    links = tuple(PageLink(link.text, link.href, Span(base + link.start, base + link.end)) for link in page.links)
    if page.job is not None:
        _job_lines(out, page.job)
    return page.title, used, links, page.job, note


def page_offer(result) -> Composed:
    """A FetchResult (fetch.py) -> the offer text and PageFacts."""
    out = _Text()
    url_span = out.line("", result.url)
    for hop in result.hops[1:]:
        out.line("Redirected to: ", hop.url)
    title, used, links, job, note = "", "", (), None, ""
    if result.kind and result.body:
        title, used, links, job, note = _page_body(out, result.body, result.kind, result.header_charset,
                                                   result.final_url or result.url)
    notices = [n for n in (note and f"Character set: {note}.",
                           result.truncated and "The page was larger than the size limit; only its beginning was read.") if n]
    page = PageFacts(
        url=result.url, status=result.status, span=url_span, reason=result.reason or result.not_opened,
        final_url=result.final_url, hops=tuple(result.hops), content_type=result.content_type, charset=used,
        title=title, not_opened=result.not_opened, truncated=result.truncated, job=job,
    )
    if page.status is Status.KNOWN and page.not_opened:
        page = _unknown(page, page.not_opened)
    return Composed(out.value().rstrip("\n") + "\n", page=page, links=links, notices=tuple(notices))


def _unknown(page: PageFacts, reason: str) -> PageFacts:
    from dataclasses import replace

    return replace(page, status=Status.UNKNOWN, reason=reason)


# --- e-mail -------------------------------------------------------------------------------------------


def _address_line(out: _Text, item) -> MailAddress:
    out.add(f"{item.header}: ")
    if not item.address:
        span = out.line("", item.raw)
        return MailAddress(item.header, "", "", span)
    name = " ".join(item.display_name.split())
    if name:
        out.add(name + " <")
    span = out.add(item.address)
    out.add(">\n" if name else "\n")
    return MailAddress(item.header, name, item.address, span)


def _body_texts(mail) -> tuple[list[tuple[str, str]], tuple]:
    """[(kind, text)] of the parts to read, HTML parts as rendered text with their links."""
    from .html_text import html_to_text

    rendered = [html_to_text(html) for html in mail.html_parts]
    html_words = {w.lower() for page in rendered for w in _WORD.findall(page.text)}
    chosen: list[tuple[str, object]] = [("html", page) for page in rendered]
    for text in mail.text_parts:
        words = {w.lower() for w in _WORD.findall(text)}
        if not rendered or len(words - html_words) > max(5, len(words) // 10):
            chosen.append(("text", text))  # says something the HTML part does not
    return chosen, tuple(rendered)


def email_offer(mail) -> Composed:
    """A ParsedMail (email_input.py) -> the offer text and MailFacts."""
    out = _Text()
    addresses, quiet = [], []
    for item in mail.addresses:
        fact = _address_line(out, item)
        addresses.append(fact)
        if item.header in ("Return-Path", "Sender"):
            quiet.append(Span(fact.span.start - len(item.header) - 2, out.length))
    if mail.subject:
        out.line("Subject: ", mail.subject)  # the date stays in MailFacts: "paid\nDate" must not read as "paid date"
    auth = []
    if mail.auth:
        start = out.length
        out.add("Authentication results: ")
        for number, (method, result) in enumerate(mail.auth):
            auth.append(AuthResult(method, result, out.add(f"{method}={result}")))
            out.add("; " if number < len(mail.auth) - 1 else "\n")
        quiet.append(Span(start, out.length))
    attachments = []
    for item in mail.attachments:
        start = out.length
        out.add("Attachment: ")
        span = out.add(" ".join(item.filename.split()) or "(no name)")
        out.add(f" ({item.content_type}, {item.size:,} bytes)\n")
        attachments.append(Attachment(item.filename, item.content_type, item.size, span))
        quiet.append(Span(start, out.length))
    links: list[PageLink] = []
    chosen, _rendered = _body_texts(mail)
    for kind, body in chosen:
        out.add("\n")
        if kind == "html":
            base = out.length
            out.add(body.text)
            links += [PageLink(l.text, l.href, Span(base + l.start, base + l.end)) for l in body.links]
        else:
            out.add(body.strip("\n"))
        out.add("\n")
    parts = tuple(["text/html"] * len(mail.html_parts) + ["text/plain"] * len(mail.text_parts))
    facts = MailFacts(tuple(addresses), tuple(auth), tuple(attachments), mail.subject, mail.date, parts)
    return Composed(out.value(), mail=facts, links=tuple(links), quiet=tuple(quiet))


__all__ = ["Composed", "Hop", "email_offer", "page_offer"]
