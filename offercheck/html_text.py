"""HTML -> the text a reader sees, with every link kept, and the page's schema.org JobPosting.

`html_to_text(html, base_url)` drops scripts, styles, templates, frames and navigation
boilerplate, keeps block structure as line breaks, and writes each link as
`visible text (https://target)`, remembering where the visible text is so that a link whose
text names one domain but points at another can be reported with the reader's own words.
Nothing is executed or loaded. selectolax (lexbor) parses; it is imported on first use.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from .model import JobPosting

# Not shown to a reader, or navigation boilerplate.
_SKIP = frozenset("script style noscript template svg nav head iframe frame frameset object embed canvas math "
                  "select datalist audio video map".split())
_BLOCK = frozenset("address article aside blockquote br dd details dialog div dl dt fieldset figcaption figure "
                   "footer form h1 h2 h3 h4 h5 h6 header hr li main menu ol p pre section summary table tbody "
                   "thead tfoot tr td th ul caption label legend option".split())
_SPACE = re.compile(r"\s+")
MAX_TEXT = 1_000_000  # characters of page text kept
MAX_NODES = 200_000  # elements walked; a hostile page may nest far deeper than any reader sees


@dataclass(frozen=True, slots=True)
class Link:
    text: str  # the visible text
    href: str  # absolute
    start: int  # the visible text in PageText.text
    end: int


@dataclass(frozen=True, slots=True)
class PageText:
    text: str
    title: str = ""
    links: tuple[Link, ...] = ()
    job: JobPosting | None = None


class _Writer:
    """Appends text with HTML's whitespace rules, never rewriting what was written (offsets stay valid)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.last = "\n"

    def text(self, value: str) -> None:
        value = _SPACE.sub(" ", value)
        if self.last in " \n":
            value = value.lstrip(" ")
        if value and self.length < MAX_TEXT:
            self.parts.append(value)
            self.length += len(value)
            self.last = value[-1]

    def newline(self) -> None:
        if self.last != "\n":
            self.parts.append("\n")
            self.length += 1
            self.last = "\n"

    def value(self) -> str:
        return "".join(self.parts).rstrip()


def _is_hidden(node) -> bool:
    attrs = node.attributes
    if "hidden" in attrs or attrs.get("aria-hidden") == "true" or attrs.get("role") in ("navigation", "menu"):
        return True
    style = (attrs.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def _href(node, base_url: str) -> str:
    raw = (node.attributes.get("href") or "").strip()
    if not raw or raw.startswith("#"):
        return ""
    scheme = urlsplit(raw).scheme.lower()
    if scheme in ("mailto", "tel"):
        return raw
    if scheme not in ("", "http", "https"):
        return ""  # javascript:, data: ... are never followed or shown as targets
    absolute = urljoin(base_url, raw) if base_url else raw
    return absolute if urlsplit(absolute).scheme in ("http", "https") else ""


def _target_words(href: str) -> str:
    scheme = urlsplit(href).scheme.lower()
    return href.split(":", 1)[1].split("?")[0] if scheme in ("mailto", "tel") else href


def _close_link(out: _Writer, links: list[Link], mark: tuple[int, int], href: str) -> None:
    start, first_part = mark
    text = "".join(out.parts[first_part:])
    visible = text.strip()
    if not visible:
        out.text(" " + _target_words(href) + " ")
        return
    lead = len(text) - len(text.lstrip())
    target = _target_words(href)
    if urlsplit(href).scheme in ("http", "https"):
        links.append(Link(visible, href, start + lead, start + lead + len(visible)))
    if target.rstrip("/").lower() not in visible.lower():
        out.text(f" ({target}) ")


def html_to_text(html: str, base_url: str = "") -> PageText:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    title_node = tree.css_first("title")
    title = _SPACE.sub(" ", title_node.text()).strip()[:300] if title_node is not None else ""
    job = job_posting(n.text(deep=True) for n in tree.css('script[type="application/ld+json"]'))
    out = _Writer()
    links: list[Link] = []
    root = tree.body or tree.root
    stack: list[tuple[object, str, tuple[int, int]]] = [(root, "enter", (0, 0))] if root is not None else []
    walked = 0
    while stack and walked < MAX_NODES:
        node, event, start = stack.pop()
        if event == "close-link":
            _close_link(out, links, start, node)
            continue
        if event == "leave":
            out.newline()
            continue
        walked += 1
        tag = node.tag
        if tag == "-text":
            out.text(node.text(deep=False) or "")
            continue
        if tag in _SKIP or tag.startswith("-") or (node is not root and _is_hidden(node)):
            continue
        if tag in ("br", "hr"):
            out.newline()
            continue
        if tag == "img":
            out.text(" " + (node.attributes.get("alt") or "") + " ")
            continue
        block = tag in _BLOCK
        if block:
            out.newline()
            stack.append((node, "leave", (0, 0)))
        href = _href(node, base_url) if tag == "a" else ""
        if href:
            stack.append((href, "close-link", (out.length, len(out.parts))))
        stack.extend((child, "enter", (0, 0)) for child in reversed(list(node.iter(include_text=True))))
    return PageText(out.value(), title, tuple(links), job)


# --- schema.org JobPosting (JSON-LD) ---------------------------------------------------------------------


def _types(item: dict) -> set[str]:
    value = item.get("@type", ())
    values = value if isinstance(value, list) else [value]
    return {str(v).rsplit("/", 1)[-1] for v in values}


def _postings(data, depth: int = 0):
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data[:50]:
            yield from _postings(item, depth + 1)
    elif isinstance(data, dict):
        if "JobPosting" in _types(data):
            yield data
        for key in ("@graph", "mainEntity", "itemListElement", "item"):
            if key in data:
                yield from _postings(data[key], depth + 1)


def _text(value) -> str:
    if isinstance(value, dict):
        value = value.get("name") or value.get("@id") or ""
    if isinstance(value, list):
        return ", ".join(filter(None, (_text(v) for v in value[:5])))
    return _SPACE.sub(" ", str(value or "")).strip()[:200]


def _salary(value) -> str:
    if not isinstance(value, dict):
        return _text(value)
    currency = _text(value.get("currency"))
    amount = value.get("value")
    unit = ""
    if isinstance(amount, dict):
        unit = _text(amount.get("unitText"))
        low, high, exact = amount.get("minValue"), amount.get("maxValue"), amount.get("value")
        amount = f"{low}-{high}" if low is not None and high is not None else (exact if exact is not None else low or high)
    words = [str(amount) if amount not in (None, "") else "", currency, f"per {unit.lower()}" if unit else ""]
    return " ".join(w for w in words if w)


def _location(value) -> str:
    places = value if isinstance(value, list) else [value]
    out = []
    for place in places[:3]:
        address = place.get("address", place) if isinstance(place, dict) else place
        if isinstance(address, dict):
            parts = [_text(address.get(k)) for k in ("addressLocality", "addressRegion", "addressCountry")]
            out.append(", ".join(p for p in parts if p))
        else:
            out.append(_text(address))
    return "; ".join(o for o in out if o)


def job_posting(scripts) -> JobPosting | None:
    """The first JobPosting in the page's JSON-LD blocks, or None (bad JSON is ignored)."""
    for raw in scripts:
        try:
            data = json.loads(raw[:500_000])
        except (ValueError, RecursionError):
            continue
        for item in _postings(data):
            organization = item.get("hiringOrganization")
            org_url = _text(organization.get("sameAs") or organization.get("url")) if isinstance(organization, dict) else ""
            return JobPosting(
                title=_text(item.get("title")),
                organization=_text(organization),
                organization_url=org_url,
                salary=_salary(item.get("baseSalary") or item.get("estimatedSalary")),
                location=_location(item.get("jobLocation")) or _text(item.get("applicantLocationRequirements")),
                date_posted=_text(item.get("datePosted")),
                valid_through=_text(item.get("validThrough")),
                employment_type=_text(item.get("employmentType")),
            )
    return None
