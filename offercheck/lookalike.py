"""Offline domain analysis: every fact about one link, host or e-mail domain that needs no network.

Look-alikes of the bundled brands (data/lists/brands.toml) and of the companies an offer names, by
homoglyph, mixed script, typo, look-alike characters, brand in a subdomain or beside other words, and
"@" tricks; plus free site builders, shorteners, IP literals, abused TLDs and punycode. A brand name
counts only as a whole label, a whole part between hyphens, or joined to a job word ("amazonhiring");
ordinary-word or short names ("apple", "ups") only as "name-jobword" and never by spelling distance.
Typos: one edit for names of 5+ letters, two for 9+. A brand's real domains are never imitations.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from .hosts import abused_tld, fold, fold_how, ip_literal, lookalike_letters, mixed_scripts, osa, parse_link
from .hosts import site_builder, skeleton, typo_variants
from .lists import brands, is_shortener, registrable_guess

# Words that scam domains put beside a brand ("amazon-jobs", "hr-tesla", "walmarthiring").
JOB_WORDS = frozenset("""
jobs job careers career hiring hire hr recruit recruiting recruitment recruiter recruiters talent staff staffing
work works employ employment employer apply application team official support help helpdesk service services
secure security login signin verify verification account accounts portal online web app global group intl
international corp inc llc ltd hq office center centre pay payment payments payroll bonus reward rewards gift
task tasks earn earning promo prime store shop mall vip agent agency partner partners affiliate express delivery
logistics shipping cargo courier tracking models model casting management crypto invest trade trading wallet
bank usa us uk eu asia africa europe india dubai uae intern internship remote vacancy vacancies opportunity
offer offers interview onboarding member members contact info mail email news plus pro now today direct connect
home world hub my get join the""".split())
# Brand names that are ordinary words, places or surnames: never fuzzy, and only "name-word" with a job word.
GENERIC_NAMES = frozenset("apple booking carnival emirates hilton indeed manpower meta nike oracle randstad sea shell "
                          "target uber ups vogue zara".split())
# Recruiting platforms that host employers' careers pages under the employer's name (walmart.wd5.myworkdayjobs.com).
ATS_DOMAINS = frozenset("""myworkdayjobs.com myworkdaysite.com workday.com greenhouse.io lever.co smartrecruiters.com
icims.com taleo.net successfactors.com successfactors.eu sapsf.com sapsf.eu bamboohr.com workable.com recruitee.com
jobvite.com breezy.hr ashbyhq.com teamtailor.com personio.de personio.com applytojob.com jazzhr.com oraclecloud.com
ultipro.com avature.net phenompeople.com eightfold.ai brassring.com csod.com paylocity.com adp.com dayforcehcm.com
paycomonline.net pinpointhq.com""".split())
COMPANY_FILLER = frozenset("the and of ltd llc inc gmbh plc co corp corporation company limited sa srl bv pte pty sdn "
                           "bhd ag llp lp group holding holdings".split())
# Ordinary words and names within typo distance of a brand name (finance/binance), found by running the
# matcher over Debian's English word lists (wamerican, wbritish).
NOT_TYPOS = frozenset("accentuate adventure aidas condense finance fiver macdonald mcdonald nestled nettle papal "
                      "pestle tessa".split())
_OWN_ENDINGS = ("com", "net", "org", "edu", "gov")
_EDITS = ("one letter left out", "one letter changed", "one letter added")
KINDS = ("userinfo-trick", "ip-literal", "punycode", "mixed-script", "homoglyph", "lookalike", "brand-in-subdomain",
         "brand-plus-word", "site-builder", "shortener", "abused-tld")


@dataclass(frozen=True, slots=True)
class HostFacts:
    host: str
    registrable: str
    kind: str  # one of KINDS
    detail: str  # one sentence for the report; names no offer text but the host
    brand: str = ""  # the brand or company imitated, if any


@dataclass(frozen=True, slots=True)
class _Target:
    brand: str  # "Amazon", or the company name as the offer gives it
    domains: tuple[str, ...]  # the brand's real registrable domains; () for a company the offer names
    generic: bool  # an ordinary word or <= 3 letters
    concat: bool  # counts when joined to a job word without a hyphen ("amazonhiring")

    @property
    def shown(self) -> str:
        return f"{self.domains[0]} ({self.brand})" if self.domains else "the company named in the offer"


@dataclass(frozen=True, slots=True)
class _Index:
    exact: dict[str, _Target]
    folded: dict[str, tuple[str, _Target]]  # fold(name) -> (name, target)
    typo: dict[str, tuple[str, _Target]]  # one-edit typo of a brand name -> (how it differs, target)
    far: dict[str, tuple[tuple[str, _Target, int], ...]]  # first 2 letters ("": any) -> (name, target, most edits)
    concat: bool  # some target counts when joined to a job word


def _index(targets: dict[str, _Target], *, typo_table: bool) -> _Index:
    folded: dict[str, tuple[str, _Target]] = {}
    typo: dict[str, tuple[str, _Target]] = {}
    far: dict[str, tuple[tuple[str, _Target, int], ...]] = {}
    for key, target in targets.items():
        folded.setdefault(fold(key), (key, target))
        if target.generic or len(key) < 5:
            continue
        if typo_table:  # one edit from a table; two edits (names of 9+ letters) by distance, first two letters kept
            typo.update((v, (how, target)) for v, how in typo_variants(key) if v not in typo)
        if len(key) >= 9 or not typo_table:
            first = key[:2] if typo_table else ""
            far[first] = far.get(first, ()) + ((key, target, 2 if len(key) >= 9 else 1),)
    typo = {v: hit for v, hit in typo.items() if v not in targets and v not in NOT_TYPOS}
    return _Index(targets, folded, typo, far, any(t.concat for t in targets.values()))


@lru_cache(maxsize=1)
def _brand_index() -> tuple[_Index, dict[str, str]]:
    """The bundled brands' names, and their real registrable domains -> brand name."""
    targets: dict[str, _Target] = {}
    real: dict[str, str] = {}
    for brand in brands():
        domains = tuple(dict.fromkeys(registrable_guess(d) for d in brand.domains))
        real.update((d, brand.name) for d in domains)
        names = [d.split(".")[0] for d in domains] + [re.sub(r"[\s'’.&]+", "", a) for a in brand.aliases]
        for name in names + [re.sub(r"[\s'’.&]+", "-", a) for a in brand.aliases if " " in a]:
            generic = name in GENERIC_NAMES or len(name) <= 3
            concat = not generic or (len(name) == 3 and name.isalpha() and name not in GENERIC_NAMES)
            for key in (name, name.replace("-", "")):
                targets.setdefault(key, _Target(brand.name, domains, generic, concat))
    return _index(targets, typo_table=True), real


@lru_cache(maxsize=1024)
def _company_index(companies: tuple[str, ...]) -> _Index | None:
    brand_names = _brand_index()[0].exact
    targets: dict[str, _Target] = {}
    for company in companies:
        plain = skeleton(company.lower().replace("'", ""))
        words = [w for w in re.findall(r"[a-z0-9]+", plain) if w not in COMPANY_FILLER]
        compact = "".join(words)
        if len(compact) < 4 or compact in brand_names or words[0] in brand_names:
            continue  # too short to judge, or a bundled brand (whose real domains are known)
        first = [words[0]] if len(words) > 1 and len(words[0]) >= 6 and words[0] not in JOB_WORDS else []
        for key in [compact, "-".join(words), *first]:
            targets.setdefault(key, _Target(company.strip(), (), False, False))
    return _index(targets, typo_table=False) if targets else None


def _fuzzy(text: str, idx: _Index, loose: bool) -> tuple[_Target, str] | None:
    """(target, how) when `text` is a near miss of a name: a hyphen added, look-alike characters, a typo."""
    compact = text.replace("-", "")
    target = idx.exact.get(compact)
    if target and compact != text and not target.generic:
        return target, "a hyphen added"
    key, target = idx.folded.get(fold(compact), ("", None))
    if target and key != compact and (loose or not target.generic or any(c.isdigit() for c in text)):
        return target, fold_how(compact, key)
    if text in idx.typo:
        return idx.typo[text][1], idx.typo[text][0]
    for key, target, most in idx.far.get(compact[:2], ()) + idx.far.get("", ()):
        if abs(len(key) - len(compact)) <= 1 and compact != key and compact not in NOT_TYPOS:
            edits = osa(compact, key, most)
            if edits == 1 and len(compact) == len(key) and sorted(compact) == sorted(key):
                return target, "two letters swapped"
            if edits == 1 or (edits == 2 and compact[:2] == key[:2]):
                return target, _EDITS[len(compact) - len(key) + 1] if edits == 1 else "two letters changed"
    return None


def _match(label: str, idx: _Index, loose: bool = False) -> tuple[_Target, str, tuple[str, ...]] | None:
    """(target, how the spelling differs or "", the words beside it) when `label` uses a name of `idx`:
    whole, as a near miss, beside other words after a hyphen, or joined to a job word."""
    if label in idx.exact:
        return idx.exact[label], "", ()
    near = _fuzzy(label, idx, loose)
    if near:
        return *near, ()
    parts = [p for p in label.split("-") if p]
    runs = [(parts[i:j], tuple(parts[:i] + parts[j:])) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)]
    runs = [(run, others) for run, others in runs if others]
    for run, others in runs:
        target = idx.exact.get("-".join(run))
        if target and target.domains and (not target.generic or any(w in JOB_WORDS for w in others)):
            return target, "", others
    for run, others in runs:
        near = _fuzzy("-".join(run), idx, loose)
        if near and not near[0].generic:
            return *near, others
    for n, part in enumerate(parts):
        others = tuple(parts[:n] + parts[n + 1 :])
        cuts = [(part[:k], part[k:]) for k in range(2, len(part) - 1)] if idx.concat else []
        splits = [(name, word) for a, b in cuts for name, word in ((a, b), (b, a)) if word in JOB_WORDS]
        exact = [(idx.exact[name], "", word) for name, word in splits if name in idx.exact]  # exact names first
        near_misses = ((*near, w) for name, w in splits if len(name) >= 6 and (near := _fuzzy(name, idx, loose)))
        for target, how, word in chain(exact, near_misses):
            if target.concat:
                return target, how, (word, *others)
    return None


def _label_fact(host: str, shown: str, reg: str, label: str, idx: _Index, in_sub: bool) -> HostFacts | None:
    homoglyph = not label.isascii()
    hit = _match(skeleton(label) if homoglyph else label, idx, homoglyph)
    if hit is None:
        return None
    t, how, words = hit[0], hit[1], " and ".join(f'"{w}"' for w in hit[2])
    ending = reg[len(label) + 1 :]  # only read when the label is the ASCII registrable label
    if homoglyph:
        letters = ", ".join(f"{script} '{c}' for '{a}'" for c, script, a in lookalike_letters(label))
        kind, detail = "homoglyph", f"{shown} ({host}) imitates {t.shown} with look-alike letters ({letters})"
    elif in_sub and (how or words or not t.generic):  # not apple.stackexchange.com
        kind, detail = "brand-in-subdomain", f"{host} starts with the name of {t.shown}, but the site belongs to {reg}"
    elif in_sub:
        return None
    elif how:
        kind, detail = "lookalike", f"{host} looks like {t.shown}: {how}" + (f", plus {words}" if words else "")
    elif words:
        domains = ", ".join(t.domains[:3])
        kind = "brand-plus-word"
        detail = f"{host} puts the name of {t.shown} beside {words}, but it is not a domain of {t.brand} ({domains})"
    elif t.generic or not t.domains or "." in ending or len(ending) == 2 or ending in _OWN_ENDINGS:
        return None  # the same name under a country ending or .com/.net/.org is often the brand's own
    else:
        kind, detail = "lookalike", f"{host} looks like {t.shown}: the same name under another ending"
    return HostFacts(host, reg, kind, detail, t.brand)


def _brand_facts(host: str, shown: str, reg: str, idx: _Index) -> list[HostFacts]:
    """Imitations of the names in `idx`: in the registrable label, then in subdomains."""
    brand_index, real = _brand_index()
    labels, shown_labels = host.split("."), shown.split(".")
    if "." not in reg or reg in real or any(".".join(labels[i:]) in real for i in range(len(labels) - 1)):
        return []  # a brand's real domain, or no domain at all
    n = min(reg.count(".") + 1, len(labels))
    sub, sub_shown = labels[:-n], [s for s in shown_labels[:-n] if s != "www"]
    facts = [f for f in (_label_fact(host, shown, reg, shown_labels[-n], idx, False),) if f]
    if not sub or reg in ATS_DOMAINS or (idx is not brand_index and site_builder(host)):
        return facts  # a company's own name on a site builder is reported as the site builder
    pieces = (".".join(sub[i:j]) for i in range(len(sub)) for j in range(i + 2, len(sub) + 1))
    inside = next((d for d in pieces if d in real), "") if idx is brand_index else ""
    if inside:
        detail = f"{host} starts with {inside} ({real[inside]}), but the site belongs to {reg}"
        return [*facts, HostFacts(host, reg, "brand-in-subdomain", detail, real[inside])]
    return facts + [f for f in (_label_fact(host, shown, reg, s, idx, True) for s in sub_shown) if f][:1]


@lru_cache(maxsize=32768)
def _host_facts(host: str, shown: str, registrable: Callable[[str], str]) -> tuple[str, tuple[HostFacts, ...]]:
    """(the registrable domain, the facts that depend on the host alone)."""
    ip = ip_literal(host)
    if ip:
        how = f"the IP address {ip[0]} written in disguise" if ip[1] else "a bare IP address"
        return host, (HostFacts(host, host, "ip-literal", f"{host} is {how}, not a domain name"),)
    try:
        reg = registrable(host) or host
    except Exception:  # a helper that cannot parse this host: fall back to the offline guess
        reg = registrable_guess(host)
    facts: list[HostFacts] = []
    if "xn--" in host:
        facts.append(HostFacts(host, reg, "punycode", f"{host} is an internationalised name that shows as {shown}"))
        scripts = next((m for m in map(mixed_scripts, shown.split(".")) if m), ())
        if scripts:
            detail = f"{shown} ({host}) mixes {' and '.join(scripts)} letters in one name, a look-alike trick"
            facts.append(HostFacts(host, reg, "mixed-script", detail))
    return reg, tuple(facts + _brand_facts(host, shown, reg, _brand_index()[0]))


def _userinfo_trick(userinfo: str, host: str, reg: str) -> HostFacts | None:
    text = userinfo.lower()
    index, real = _brand_index()
    named = [real[r] for d in re.findall(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+", text) if (r := registrable_guess(d)) in real]
    tokens = (index.exact.get(t) for t in re.split(r"[^a-z0-9-]+", text))
    named += [t.brand for t in tokens if t and not t.generic]
    if not named and not re.search(r"[a-z0-9-]+\.[a-z]{2,}", text):
        return None
    what = f"the address of {named[0]}" if named else "a web address"
    return HostFacts(host, reg, "userinfo-trick", f"the link puts {what} before an '@'; a browser ignores that part "
                     f"and opens {host}", named[0] if named else "")


def analyse_url(url_or_host: str, *, companies: Sequence[str] = (),
                registrable: Callable[[str], str] = registrable_guess) -> tuple[HostFacts, ...]:
    """All offline facts about one link/host/e-mail domain. `companies` are company names the offer itself
    claims (e.g. "Brightwave Logistics"): a domain imitating them counts as well as the bundled brands."""
    link = parse_link(url_or_host)
    if link is None:
        return ()
    host = link.host
    reg, host_facts = _host_facts(host, link.display, registrable)
    facts = list(host_facts)
    is_ip = bool(facts) and facts[0].kind == "ip-literal"
    company_index = _company_index(tuple(companies)) if companies and not is_ip else None
    if company_index and not any(f.brand for f in facts):  # a bundled brand's imitation comes first
        facts += _brand_facts(host, link.display, reg, company_index)
    if link.userinfo and reg not in _brand_index()[1]:
        facts[:0] = [f for f in (_userinfo_trick(link.userinfo, host, reg),) if f]
    builder = site_builder(host, link.path)
    if builder:
        facts.append(HostFacts(host, reg, "site-builder", f"{host} is a free {builder} page, which anyone can make "
                               "in minutes; a real employer's website has its own domain"))
    if is_shortener(host):
        facts.append(HostFacts(host, reg, "shortener", f"{host} is a link shortener: where it leads is hidden until "
                               "you click"))
    tld = abused_tld(host)
    if tld:
        facts.append(HostFacts(host, reg, "abused-tld", f"{host} ends in .{tld.tld}, where {tld.score / 100:.1f}% of "
                               f"domains were reported for phishing in {tld.period} (.com: 0.3%)"))
    return tuple(facts)
