"""Helpers for running a rule's own examples (used by the tests and `offercheck explain`)."""

from __future__ import annotations

from datetime import date, timedelta

from .model import Status
from .normalize import fold
from .rules import Example, Rule, match_language_rule

EXAMPLE_TODAY = date(2026, 1, 1)


def example_lookup(evidence: dict):
    """A stand-in for the RDAP/WHOIS lookups that answers every domain with the example's facts."""
    from .lookups import DomainRecord

    status = Status(evidence.get("status", "known"))
    age = evidence.get("age_days")

    def lookup(domains: list[str]) -> dict:
        return {
            domain: DomainRecord(
                domain=domain,
                unicode=domain,
                status=status,
                reason=str(evidence.get("reason", "")),
                registered=EXAMPLE_TODAY - timedelta(days=int(age)) if age is not None else None,
                statuses=tuple(evidence.get("statuses", ())),
                not_registered=bool(evidence.get("not_registered", False)),
                source="example",
            )
            for domain in domains
        }

    return lookup


def example_fetcher(url: str, evidence: dict, body: str = ""):
    """A stand-in for fetch.fetch_page: `url` redirects through `evidence["redirects"]` to a page
    whose body is `body` (or `evidence["page"]`), served as `evidence["content_type"]`."""
    from .fetch import READABLE_TYPES, FetchResult
    from .model import Hop

    chain = [url, *evidence.get("redirects", ())]
    hops = [Hop(a, 302, b, "192.0.2.1") for a, b in zip(chain, chain[1:])] + [Hop(chain[-1], 200, "", "192.0.2.1")]
    media = str(evidence.get("content_type", "text/html"))
    page = (body or str(evidence.get("page", ""))).encode("utf-8")

    def fetcher(_url: str) -> FetchResult:
        return FetchResult(url, Status.KNOWN, final_url=chain[-1], hops=tuple(hops), content_type=media,
                           kind=READABLE_TYPES.get(media, ""), body=page if media in READABLE_TYPES else b"",
                           not_opened="" if media in READABLE_TYPES else f"the link serves a file ({media}); not opened")

    return fetcher


def _structured_quotes(rule: Rule, text: str, evidence: dict) -> list[str]:
    """Examples of link and e-mail rules: `evidence.input` says how to read `text`.

    input = "eml":  text is a raw RFC 5322 message.
    input = "url":  text is the link as given; `redirects` (URLs) and `page` (HTML) say what it served.
    input = "page": text is the HTML served at `url` (default https://jobs.example.org/), after `redirects`.
    """
    from .api import check_email, check_url

    kind = evidence.pop("input")
    unanswered = example_lookup({"status": "unknown", "reason": "an example: not looked up"})
    if kind == "eml":
        report = check_email(text.encode("utf-8"), offline=True)
    elif kind == "url":
        report = check_url(text.strip(), offline=False, lookup=unanswered, fetcher=example_fetcher(text.strip(), evidence))
    elif kind == "page":
        url = str(evidence.get("url", "https://jobs.example.org/"))
        report = check_url(url, offline=False, lookup=unanswered, fetcher=example_fetcher(url, evidence, text))
    else:
        raise ValueError(f"{rule.path}: unknown example input {kind!r}; use eml, url or page")
    return [finding.quote for finding in report.findings if finding.rule_id == rule.id]


def quotes_for(rule: Rule, text: str, example: Example | None = None) -> list[str]:
    """The words `rule` quotes in `text`: the language matcher, or the full check for other rules."""
    if rule.check == "language":
        return [text[hit.start : hit.end] for hit in match_language_rule(rule, fold(text))]
    from .api import check_text

    evidence = dict(example.evidence) if example is not None else {}
    if "input" in evidence:
        return _structured_quotes(rule, text, evidence)
    if rule.check == "domain" and evidence:
        # ages are counted from a fixed day, so the examples never go stale
        report = check_text(text, offline=False, lookup=example_lookup(evidence), today=EXAMPLE_TODAY)
    else:
        report = check_text(text, offline=True)
    return [finding.quote for finding in report.findings if finding.rule_id == rule.id]
