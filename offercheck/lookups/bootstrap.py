"""IANA's RDAP bootstrap registry for domains (RFC 9224): which RDAP server serves which TLD.

A copy ships in `data/rdap/dns.json` (see `data/rdap/README.md` for its date and checksum).
`offercheck update-data` calls `update_bootstrap()`, which downloads IANA's current file into
the user data directory; the loader uses that copy when it is newer than the bundled one.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import OffercheckError

LOG = logging.getLogger(__name__)

IANA_DNS_URL = "https://data.iana.org/rdap/dns.json"
MAX_BOOTSTRAP_BYTES = 4 * 1024 * 1024


def user_data_dir() -> Path:
    """platformdirs' user data dir, else $XDG_DATA_HOME or ~/.local/share, + /offercheck."""
    try:
        import platformdirs
    except ImportError:
        base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
        return Path(base) / "offercheck"
    return Path(platformdirs.user_data_dir("offercheck", appauthor=False))


def user_bootstrap_path() -> Path:
    return user_data_dir() / "rdap" / "dns.json"


@dataclass(frozen=True, slots=True)
class Bootstrap:
    publication: str  # "2026-07-23T02:00:03Z"
    origin: str  # "bundled" or the path of a user-updated copy
    bases: dict[str, str]  # TLD (ASCII, lower-case) -> RDAP base URL ending in "/"

    def base_for(self, domain: str) -> str | None:
        """The RDAP base URL for `domain` (longest matching suffix), None if its TLD has none."""
        labels = domain.lower().rstrip(".").split(".")
        for start in range(1, len(labels)):
            base = self.bases.get(".".join(labels[start:]))
            if base:
                return base
        return None


def _publication_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def parse_bootstrap(data: Any, origin: str) -> Bootstrap:
    """Validate a decoded dns.json; ValueError says what is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("services"), list):
        raise ValueError("not an RDAP bootstrap file: no 'services' list")
    publication = data.get("publication")
    if not isinstance(publication, str):
        raise ValueError("not an RDAP bootstrap file: no 'publication' date")
    _publication_time(publication)  # raises ValueError when malformed
    bases: dict[str, str] = {}
    for service in data["services"]:
        if not (isinstance(service, list) and len(service) >= 2):
            raise ValueError("malformed service entry in the bootstrap file")
        tlds, urls = service[0], service[1]
        urls = [u for u in urls if isinstance(u, str) and u.startswith(("https://", "http://"))]
        if not urls:
            continue
        url = next((u for u in urls if u.startswith("https://")), urls[0])
        url = url if url.endswith("/") else url + "/"
        for tld in tlds:
            if isinstance(tld, str) and tld:
                bases[tld.lower().strip(".")] = url
    if not bases:
        raise ValueError("the bootstrap file names no RDAP servers")
    return Bootstrap(publication=publication, origin=origin, bases=bases)


def _read(path: Path | Any, origin: str) -> Bootstrap:
    return parse_bootstrap(json.loads(path.read_bytes()), origin)


@lru_cache(maxsize=1)
def load_bootstrap() -> Bootstrap:
    """The bundled bootstrap, or the user-updated copy when that one is newer and valid."""
    bundled = _read(resources.files("offercheck.data") / "rdap" / "dns.json", "bundled")
    user_path = user_bootstrap_path()
    if not user_path.is_file():
        return bundled
    try:
        updated = _read(user_path, str(user_path))
    except (OSError, ValueError) as exc:
        LOG.warning("Ignoring the RDAP bootstrap file at %s (%s); using the bundled copy. "
                    "Run `offercheck update-data` to replace it.", user_path, exc)
        return bundled
    return updated if _publication_time(updated.publication) > _publication_time(bundled.publication) else bundled


def clear_cache() -> None:
    load_bootstrap.cache_clear()


def update_bootstrap(target_dir: str | os.PathLike | None = None, url: str = IANA_DNS_URL, timeout: float = 20.0) -> str:
    """Download IANA's dns.json, validate it and write it atomically; returns a one-line summary.

    Raises OffercheckError (message + hint) when the download or the file is bad; the old
    copy is then left as it was.
    """
    import httpx

    folder = Path(target_dir) if target_dir is not None else user_bootstrap_path().parent
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True, headers={"Accept": "application/json"}) as client:
            with client.stream("GET", url) as response:
                if response.status_code != 200:
                    raise OffercheckError(f"Could not update the RDAP bootstrap: {url} answered HTTP {response.status_code}.",
                                          "Try again later; the bundled copy is still used.")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > MAX_BOOTSTRAP_BYTES:
                        raise OffercheckError(f"Could not update the RDAP bootstrap: {url} sent more than 4 MB.",
                                              "Check the URL.")
    except httpx.HTTPError as exc:
        raise OffercheckError(f"Could not update the RDAP bootstrap from {url}: {type(exc).__name__}: {exc}",
                              "Check your connection and try again; the bundled copy is still used.") from exc
    try:
        new = parse_bootstrap(json.loads(bytes(body)), "downloaded")
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        raise OffercheckError(f"Could not update the RDAP bootstrap: the file from {url} is not valid ({exc}).",
                              "Nothing was changed; the bundled copy is still used.") from exc
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "dns.json"
    handle, temp_name = tempfile.mkstemp(prefix=".dns.json.", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(bytes(body))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    clear_cache()
    bundled = _read(resources.files("offercheck.data") / "rdap" / "dns.json", "bundled")
    newer = _publication_time(new.publication) > _publication_time(bundled.publication)
    note = "newer than the bundled copy, so it will be used" if newer else \
        f"not newer than the bundled copy ({bundled.publication}), which stays in use"
    return (f"RDAP bootstrap published {new.publication}: {len(new.bases):,} TLDs, "
            f"written to {target} ({note}).")
