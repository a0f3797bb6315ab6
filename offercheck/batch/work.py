"""One input row -> one output row (a plain dict, the JSONL form) and its cluster keys.

Runs in whichever process checks the row; everything here is picklable and process-free.
`check_rows()` is the library entry point: an iterable of records in, an iterator of output
rows out, in order, one per record, never raising for a bad record.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from .reading import Columns, InputRow, _Resolver

# Contact kinds that identify a person or an account; a phone number reached through an app is
# still the same phone number, so those share one key kind.
_PHONE_KINDS = frozenset({"phone", "whatsapp", "signal", "viber"})
_ACCOUNT_KINDS = frozenset({"email", "telegram", "wechat", "line", "kik", "snapchat", "instagram", "wallet"})

# MinHash over word 3-grams: 32 hash functions in 4 bands of 8. Two texts share a band (and so a
# cluster) with probability 1-(1-J^8)^4: 0.99 at Jaccard 0.95, 0.89 at 0.9, 0.2 at 0.7, 0.02 at 0.5.
_PRIME = (1 << 61) - 1
_SEEDS = [int.from_bytes(hashlib.blake2b(f"offercheck-minhash-{i}".encode(), digest_size=16).digest(), "big")
          for i in range(32)]
_COEFFS = [((s >> 64) % (_PRIME - 1) + 1, (s & ((1 << 64) - 1)) % _PRIME) for s in _SEEDS]
_BANDS, _BAND_ROWS = 4, 8
_MIN_WORDS = 12  # shorter texts are too short for "near-identical" to mean anything
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Settings:
    """How each row is checked; the same in every worker."""

    country: str | None = None
    offline: bool = True
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    top: int = 5  # findings listed per row
    full_report: bool = False  # JSONL: the whole report under "report"
    clusters: bool = True  # compute cluster keys


def key_hash(key: str) -> int:
    """A signed 64-bit hash that is the same in every process (unlike hash())."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big", signed=True)


def _minhash_python(shingles: set[int]) -> list[int]:
    """The 32 MinHash values, (a*h + b) mod (2**61 - 1) minimised over the shingles, in Python ints."""
    return [min([(a * h + b) % _PRIME for h in shingles]) for a, b in _COEFFS]


def _minhash_numpy(shingles: set[int]) -> list[int]:
    """The same values as `_minhash_python`, computed exactly in uint64 arrays (about 10x faster)."""
    return _affine_mod_min(_np.fromiter(shingles, dtype=_np.uint64, count=len(shingles)), _A1, _A0, _B).tolist()


def _affine_mod_min(h, a1, a0, b):
    """min over h of (a*h + b) mod P, per row of the (k, 1) arrays a1, a0, b, with a = a1 * 2**32 + a0.

    Exact in uint64 for h < 2**32, a1 < 2**29, a0 < 2**32, b < P = 2**61 - 1: t = a1*h < 2**61, and
    t * 2**32 = (t >> 29) * 2**61 + (t mod 2**29) * 2**32 = (t >> 29) + (t mod 2**29) * 2**32 (mod P),
    since 2**61 = 1 (mod P); v = a0*h < 2**64 is (v & P) + (v >> 61) (mod P). Their sum with b stays
    under 2**63; one more fold leaves it under P + 4, and a conditional subtraction (before the
    minimum, so that every value compared is the residue itself) gives the residue in [0, P)."""
    t = a1 * h
    s = (t >> _U29) + ((t & _LOW29) << _U32)
    v = a0 * h
    s += (v & _P64) + (v >> _U61)
    s += b
    s = (s & _P64) + (s >> _U61)
    s -= _P64 * (s >= _P64)
    return s.min(axis=1)


_np: Any = None  # numpy, once text_keys first runs (a dependency of py3langid, so normally present)
_P64 = _U29 = _U32 = _U61 = _LOW29 = _A1 = _A0 = _B = None


def _minhash_first(shingles: set[int]) -> list[int]:
    """Choose the MinHash implementation on first use: numpy is imported only where keys are made."""
    global _np, _minhash, _P64, _U29, _U32, _U61, _LOW29, _A1, _A0, _B
    try:
        import numpy
    except ImportError:  # pragma: no cover - the pure-Python path gives the same values, slower
        _minhash = _minhash_python
        return _minhash(shingles)
    _P64 = numpy.uint64(_PRIME)
    _U29, _U32, _U61 = numpy.uint64(29), numpy.uint64(32), numpy.uint64(61)
    _LOW29 = numpy.uint64((1 << 29) - 1)
    _A1 = numpy.array([a >> 32 for a, _ in _COEFFS], dtype=numpy.uint64)[:, None]
    _A0 = numpy.array([a & 0xFFFFFFFF for a, _ in _COEFFS], dtype=numpy.uint64)[:, None]
    _B = numpy.array([b for _, b in _COEFFS], dtype=numpy.uint64)[:, None]
    _np, _minhash = numpy, _minhash_numpy
    return _minhash(shingles)


_minhash: Callable[[set[int]], list[int]] = _minhash_first


def text_keys(text: str) -> list[str]:
    """The MinHash band keys of a text: near-identical texts share at least one."""
    words = _WORD.findall(text.lower())
    if len(words) < _MIN_WORDS:
        return []
    shingles = {zlib.crc32(" ".join(words[i : i + 3]).encode("utf-8", "surrogatepass")) for i in range(len(words) - 2)}
    mins = _minhash(shingles)
    keys = []
    for band in range(_BANDS):
        part = mins[band * _BAND_ROWS : (band + 1) * _BAND_ROWS]
        keys.append(f"text:{band}:" + hashlib.blake2b(repr(part).encode(), digest_size=8).hexdigest())
    return keys


def cluster_keys(report) -> list[tuple[int, str]]:
    """(hash, label) of what links this row to others: contacts, domains, near-identical text.
    Labels of text keys are empty: they only say "near-identical text"."""
    labels: dict[str, None] = {}
    for contact in report.evidence.contacts:
        if contact.hidden:
            continue
        if contact.kind in _PHONE_KINDS:
            labels.setdefault(f"phone {contact.value}", None)
        elif contact.kind in _ACCOUNT_KINDS:
            labels.setdefault(f"{contact.kind} {contact.value.lower()}", None)
    for fact in report.evidence.domains:
        labels.setdefault(f"domain {fact.domain}", None)
    out = [(key_hash(label), label) for label in labels]
    out += [(key_hash(key), "") for key in text_keys(report.offer.text)]
    return out


def _offer_text(row: InputRow) -> str:
    """The row's text, with its sender and URL as labelled lines so that their contacts and
    domains are examined like the text's own."""
    text = row.text
    if row.sender:
        text = f"sender: {row.sender}\n\n{text}"
    if row.url:
        text = f"{text}\n\nurl: {row.url}"
    return text


def _internal_errors(report) -> str:
    broken = [f"{run.check} check: {run.reason}" for run in report.checks if run.reason.startswith("internal error")]
    return "; ".join(broken)


def error_row(row: InputRow, message: str) -> dict[str, Any]:
    return {"row": row.row, "id": row.id, "level": None, "score": None, "danger": None, "findings_count": None,
            "rule_ids": [], "findings": [], "cluster_id": None, "cluster_size": None, "error": message}


def check_row(row: InputRow, settings: Settings, lookup: Callable | None = None) -> tuple[dict[str, Any], list[tuple[int, str]]]:
    """Check one row. Never raises for the row's content: a failure is the row's `error`."""
    if row.error:
        return error_row(row, row.error), []
    from ..api import check, normalise_newlines
    from ..model import Offer
    from ..reporting_contacts import normalise_country

    try:
        country = normalise_country(row.country) if row.country else None
        offer = Offer(normalise_newlines(_offer_text(row)), f"row {row.row}", row.url or None)
        report = check(offer, country=country or settings.country, offline=settings.offline,
                       select=settings.select, ignore=settings.ignore, lookup=lookup)
    except Exception as exc:  # noqa: BLE001 - one row must not sink the run
        return error_row(row, f"row {row.row}: internal error: {type(exc).__name__}: {exc}"), []
    findings = [f for f in report.findings if not f.preview]
    out = {
        "row": row.row,
        "id": row.id,
        "level": report.level.label,
        "score": report.score,
        "danger": report.danger,
        "findings_count": len(findings),
        "rule_ids": [f.rule_id for f in findings],
        "findings": [{"rule_id": f.rule_id, "name": f.name, "severity": f.severity.label,
                      "contribution": f.contribution, "quote": f.quote} for f in findings[: settings.top]],
        "cluster_id": None,
        "cluster_size": None,
        "error": (f"row {row.row}: " + _internal_errors(report)) if _internal_errors(report) else None,
    }
    if settings.full_report:
        out["report"] = report.to_dict()
    return out, (cluster_keys(report) if settings.clusters else [])


def check_rows(
    records: Iterable[Mapping[str, Any] | str],
    *,
    text_columns: Sequence[str] = (),
    id_column: str | None = None,
    url_column: str | None = None,
    sender_column: str | None = None,
    country_column: str | None = None,
    country: str | None = None,
    offline: bool = True,
    lookup: Callable | None = None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    max_bytes: int = 1_000_000,
    top: int = 5,
    full_report: bool = False,
    with_keys: bool = False,
) -> Iterator[dict[str, Any]]:
    """Check each record (a mapping of column -> value, or the text itself) and yield one output
    row per record, in order: {"row", "id", "level", "score", "danger", "findings_count",
    "rule_ids", "findings", "cluster_id", "cluster_size", "error"}. A bad record gives a row
    whose `error` says why; nothing is raised for it. Offline unless `offline=False`.

    Clusters need every row, so `cluster_id`/`cluster_size` stay None here; `with_keys=True`
    adds each row's cluster keys ("keys": [[hash, label], ...]) for `clusters.cluster_keys_table`.
    """
    settings = Settings(country=country, offline=offline, select=tuple(select) if select else None,
                        ignore=tuple(ignore) if ignore else None, top=top, full_report=full_report, clusters=with_keys)
    columns = Columns(tuple(text_columns), url_column, sender_column, country_column, id_column)
    resolver: _Resolver | None = None
    for number, record in enumerate(records, start=1):
        if isinstance(record, str):
            row = InputRow(number, str(number), record) if record.strip() else \
                InputRow(number, str(number), error=f"row {number}: no text")
            if row.text and len(row.text.encode("utf-8", "surrogatepass")) > max_bytes:
                row = InputRow(number, str(number), error=f"row {number}: text larger than the limit of {max_bytes:,} bytes")
        elif isinstance(record, Mapping):
            if resolver is None:
                resolver = _Resolver([str(k) for k in record], columns, "jsonl")
            row = resolver.row(number, {str(k): v for k, v in record.items()}, max_bytes, "utf-8")
        else:
            row = InputRow(number, str(number), error=f"row {number}: a {type(record).__name__}, not a mapping or text")
        out, keys = check_row(row, settings, lookup)
        if with_keys:
            out["keys"] = [list(k) for k in keys]
        yield out
