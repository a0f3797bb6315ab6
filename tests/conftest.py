"""Shared test set-up. No test may send a packet past loopback.

Every lookup a test forgets to point at its own local server goes to 127.0.0.1 port 9
(discard; nothing listens), so it fails at once as "unknown" instead of reaching the
internet, and the lookup cache lives in a temporary folder.
"""

import pytest

DEAD_LOOPBACK_RDAP = "http://127.0.0.1:9/"
DEAD_LOOPBACK_WHOIS = "127.0.0.1:9"


@pytest.fixture(autouse=True)
def _lookups_stay_on_loopback(monkeypatch, tmp_path_factory):
    monkeypatch.setenv("OFFERCHECK_RDAP_URL", DEAD_LOOPBACK_RDAP)
    monkeypatch.setenv("OFFERCHECK_WHOIS_SERVER", DEAD_LOOPBACK_WHOIS)
    monkeypatch.setenv("OFFERCHECK_CACHE_DIR", str(tmp_path_factory.mktemp("lookup-cache")))
