"""Host -> registrable domain, in ASCII (punycode) and Unicode forms.

Uses tldextract's bundled Public Suffix List snapshot only: no download, no cache writes.
Private suffixes (blogspot.com, github.io) are NOT split off: the registry that knows the
registration date of `foo.github.io` knows only `github.io`.
"""

from __future__ import annotations

import ipaddress
import re
import threading

_LDH_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")  # "_" only below the registrable name
_EXTRACTOR = None
_EXTRACTOR_LOCK = threading.Lock()


def _extractor():
    global _EXTRACTOR
    if _EXTRACTOR is None:
        with _EXTRACTOR_LOCK:
            if _EXTRACTOR is None:
                import tldextract

                _EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    return _EXTRACTOR


def _is_ip_literal(host: str) -> bool:
    candidate = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    try:
        ipaddress.ip_address(candidate.split("%", 1)[0])
    except ValueError:
        return bool(re.fullmatch(r"[0-9.]+", candidate))  # 1.2.3, 0x7f.1 and friends are not names either
    return True


def _ascii_label(label: str) -> str | None:
    """One label in A-label form, or None if it cannot be part of a registrable name."""
    if label.isascii():
        label = label.lower()
        if not _LDH_LABEL.match(label):
            return None
        if label.startswith("xn--"):
            try:
                import idna

                idna.decode(label)
            except (idna.IDNAError, UnicodeError, ValueError):
                return None
        return label
    try:
        import idna

        encoded = idna.encode(label, uts46=True, transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return None
    return encoded if all(_LDH_LABEL.match(part) for part in encoded.split(".")) else None


def to_ascii(host: str) -> str | None:
    """'Bücher-Jobs.DE.' -> 'xn--bcher-jobs-9db.de'; None if not a valid host name."""
    host = host.strip().rstrip(".")
    if not host or len(host) > 253 * 4 or any(c.isspace() for c in host):
        return None
    # UTS 46 maps ideographic full stops (U+3002 and friends) to '.'; do it before splitting
    host = re.sub("[\u3002\uff0e\uff61]", ".", host)
    labels = []
    for label in host.split("."):
        encoded = _ascii_label(label) if label else None
        if encoded is None:
            return None
        labels.append(encoded)
    name = ".".join(labels)
    return name if len(name) <= 253 else None


def to_unicode(ascii_name: str) -> str:
    """'xn--bcher-jobs-9db.de' -> 'bücher-jobs.de'; unchanged when a label will not decode."""
    if "xn--" not in ascii_name:
        return ascii_name
    import idna

    parts = []
    for label in ascii_name.split("."):
        try:
            parts.append(idna.decode(label) if label.startswith("xn--") else label)
        except (idna.IDNAError, UnicodeError, ValueError):
            parts.append(label)
    return ".".join(parts)


def registrable_domain(host: str) -> tuple[str, str] | None:
    """'jobs.Amazon-Careers.co.uk' -> ('amazon-careers.co.uk', 'amazon-careers.co.uk').

    IDN hosts give (punycode, unicode). None for IP literals, bare public suffixes (`co.uk`),
    single labels (`localhost`) and anything that is not a valid host name.
    """
    if not isinstance(host, str):
        return None
    host = host.strip()
    if re.fullmatch(r".+:\d{1,5}", host) and host.count(":") == 1:
        host = host.rsplit(":", 1)[0]  # a port that came along with the host
    if not host or _is_ip_literal(host):
        return None
    ascii_host = to_ascii(host)
    if ascii_host is None or "." not in ascii_host:
        return None
    parts = _extractor()(ascii_host)
    if not parts.domain or not parts.suffix:
        return None
    domain = f"{parts.domain}.{parts.suffix}".lower()
    if "_" in domain:
        return None
    return domain, to_unicode(domain)


def tld_of(domain: str) -> str:
    return domain.rsplit(".", 1)[-1]
