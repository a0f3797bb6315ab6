"""The link check: what opening a link showed. Rules in data/rules/domain/D3xx-*.toml.

D301 a link whose visible text is one web address but whose target is another;
D302 a link that redirected to another registrable domain;
D303 a link that went through two or more link shorteners.
Runs only when the offer is a fetched link or has HTML links (a page, an e-mail's HTML part).
"""

from __future__ import annotations

import re
from typing import Callable, Sequence
from urllib.parse import urlsplit

from ..lists import brands, is_shortener, registrable_guess
from ..rules import Rule
from .base import CheckResult, Context, run_predicates

# The whole visible text is a web address: "www.amazon.com", "https://paypal.com/login".
_ADDRESS_TEXT = re.compile(r"^(?:https?://)?(?:www\.)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})(?::\d+)?(?:[/?#]\S*)?$", re.IGNORECASE)


def _registrable(url: str) -> str:
    return registrable_guess(urlsplit(url).hostname or "")


def _same_owner(a: str, b: str) -> bool:
    """Same registrable domain, or two domains of one brand (amazon.com and amazon.co.uk)."""
    if a == b:
        return True
    return any(a in brand.domains and b in brand.domains for brand in brands())


def shown_domain(text: str) -> str:
    """The registrable domain a link's visible text names, or "" when the text is not an address."""
    match = _ADDRESS_TEXT.match(text.strip())
    return registrable_guess(match.group(1)) if match else ""


def link_text_domain_mismatch(context: Context):
    hits = []
    for link in context.evidence.links:
        shown = shown_domain(link.text)
        target = _registrable(link.href)
        if shown and target and not _same_owner(shown, target):
            hits.append((link, shown, target))
    if not hits:
        return None
    link, shown, target = hits[0]
    return [h[0].span for h in hits], f"A link shows {shown} but leads to {target}."


def _hop_domains(context: Context) -> list[str]:
    page = context.evidence.page
    if page is None:
        return []
    return [_registrable(h.url) for h in page.hops if urlsplit(h.url).hostname]


def redirected_to_other_domain(context: Context):
    page = context.evidence.page
    domains = _hop_domains(context)
    if page is None or len(domains) < 2:
        return None
    first, last = domains[0], domains[-1]
    if not first or not last or _same_owner(first, last):
        return None
    refused = " (the last step was refused)" if page.hops[-1].refused else ""
    return [page.span], f"The link {first} redirected to {last}, a different domain{refused}."


def shortener_chain(context: Context):
    page = context.evidence.page
    if page is None:
        return None
    shorteners = list(dict.fromkeys(h.url for h in page.hops if is_shortener(urlsplit(h.url).hostname or "")))
    if len(shorteners) < 2:
        return None
    names = ", ".join(dict.fromkeys(urlsplit(u).hostname or "" for u in shorteners))
    return [page.span], f"The link passes through {len(shorteners)} link shorteners ({names}) before the page."


PREDICATES: dict[str, Callable[[Context], object]] = {
    "D301": link_text_domain_mismatch,
    "D302": redirected_to_other_domain,
    "D303": shortener_chain,
}


class LinkCheck:
    name = "link"
    rule_check = "domain"  # its rules live with the domain rules (data/rules/domain/D3xx)

    def applies(self, context: Context) -> bool:
        return context.evidence.page is not None or bool(context.evidence.links)

    def run(self, context: Context, rules: Sequence[Rule]) -> CheckResult:
        return run_predicates(context, rules, PREDICATES)
