"""Registration data for the domains in an offer: RDAP first, WHOIS as the fallback, and a cache.

    from offercheck.lookups import LookupSettings, lookup_domains, registrable_domain

    settings = LookupSettings.from_environment(os.environ, timeout=10.0)
    records = lookup_domains(["amazon-careers.co.uk"], settings)

Each `DomainRecord` is KNOWN (the registry answered; `not_registered` when it has no such
domain), UNKNOWN (tried and failed; `reason` says why) or SKIPPED (--offline). Nothing but
the registrable domain name ever leaves the machine.

Modules: `domains` (host -> registrable domain), `bootstrap` (IANA's RDAP bootstrap and
`update_bootstrap`), `rdap`, `whois`, `cache`, `engine` (`lookup_domains`), `record` (the values).
"""

from __future__ import annotations

from .bootstrap import update_bootstrap
from .domains import registrable_domain
from .engine import OFFLINE_REASON, lookup_domains
from .record import DomainRecord, LookupSettings

__all__ = [
    "OFFLINE_REASON",
    "DomainRecord",
    "LookupSettings",
    "lookup_domains",
    "registrable_domain",
    "update_bootstrap",
]
