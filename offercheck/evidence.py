"""The caseworker's evidence bundle: `save_bundle(report, parent, options) -> Path`.

One new folder per check, never an existing one, holding:

    README.txt                     what each file is and how to verify them
    input/original.<ext>           the input exactly as received (bytes)
    fetch/NN-response.txt          each HTTP answer: status, URL, address, time, headers
    fetch/NN-body.<ext>            each page body as received (decompressed, capped)
    lookups/NN-record.json         each domain's registration record as offercheck read it
    lookups/NN-raw.<json|txt>      the registry's raw RDAP or WHOIS answer
    report.json, report.md         the report (JSON with the full text, and Markdown)
    manifest.json                  SHA-256 and size of every file, UTC times, versions, options
    SHA256SUMS                     the same hashes for `sha256sum -c SHA256SUMS`

Every name is generated here; nothing from the offer (a URL, an attachment's name, a domain)
becomes part of a path. Files are created exclusively (never overwritten), readable by the
owner only, because offers carry personal data.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import Report

_INPUT_EXT = {"email": "eml", "url": "url.txt", "text": "txt"}
_BODY_EXT = {"text/html": "html", "application/xhtml+xml": "xhtml", "text/plain": "txt"}
README = """offercheck evidence bundle
==========================

Made by offercheck {tool_version} (rule set {ruleset}) on {created} (UTC).

input/     the offer exactly as it was given to offercheck
fetch/     every HTTP answer when a link was opened: status, address, headers and body
lookups/   registration data (RDAP or WHOIS) for each domain, as the registry sent it
report.*   offercheck's report: report.md to read, report.json for tools
manifest.json  the SHA-256 of every file, the times, versions and options used

To check that nothing was changed since: run `sha256sum -c SHA256SUMS` in this folder
(on Windows: `Get-FileHash -Algorithm SHA256 <file>` and compare with manifest.json).
Do not open fetched pages in a browser: they may contain scripts from the scammer.
"""


@dataclass(frozen=True, slots=True)
class _File:
    path: str  # relative, POSIX
    sha256: str
    size: int
    what: str


class _Bundle:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: list[_File] = []

    def write(self, relative: str, data: bytes, what: str) -> None:
        target = self.folder / relative
        target.parent.mkdir(mode=0o700, exist_ok=True)
        with open(target, "xb") as handle:  # exclusive: never overwrite
            handle.write(data)
        os.chmod(target, 0o600)
        self.files.append(_File(relative, hashlib.sha256(data).hexdigest(), len(data), what))


def _new_folder(parent: Path, stamp: str) -> Path:
    parent.mkdir(parents=True, exist_ok=True)
    for number in range(1, 1000):
        folder = parent / (f"offercheck-{stamp}" + (f"-{number}" if number > 1 else ""))
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue
        return folder
    raise InputError(f"cannot create a new evidence folder in {parent}", "Choose another --save-evidence folder.")


def _response_text(exchange) -> bytes:
    lines = [f"HTTP status: {exchange.status}", f"URL: {exchange.url}", f"Connected to: {exchange.address or '-'}",
             f"Requested at (UTC): {exchange.started_at}", f"Took: {exchange.elapsed_ms} ms",
             f"Body truncated at the size limit: {'yes' if exchange.truncated else 'no'}", "", "Response headers:"]
    lines += [f"{name}: {value}" for name, value in exchange.headers]
    return ("\n".join(lines) + "\n").encode("utf-8", "replace")


def _media(exchange) -> str:
    for name, value in exchange.headers:
        if name.lower() == "content-type":
            return value.split(";")[0].strip().lower()
    return ""


def _rendered(report: Report, fmt: str) -> bytes:
    from .formatters import render

    out = io.StringIO()
    render(report, fmt, out, include_text=True, color=False)
    return out.getvalue().encode("utf-8")


def save_bundle(report: Report, parent: str | os.PathLike, options: dict[str, Any]) -> Path:
    """Write the evidence bundle of `report` into a new folder under `parent`; returns the folder."""
    created = datetime.now(timezone.utc)
    try:
        bundle = _Bundle(_new_folder(Path(parent), created.strftime("%Y%m%dT%H%M%SZ")))
    except OSError as exc:
        raise InputError(f"cannot create the evidence folder in {parent}: {exc.strerror or exc}",
                         "Check that the folder is writable, or choose another with --save-evidence.") from None
    artifacts = report.artifacts
    kind = report.offer.kind
    if artifacts is not None:
        bundle.write(f"input/original.{_INPUT_EXT.get(kind, 'txt')}", artifacts.original, "the input exactly as received")
        for number, exchange in enumerate(artifacts.exchanges, start=1):
            bundle.write(f"fetch/{number:02d}-response.txt", _response_text(exchange),
                         f"HTTP answer {number}: status and headers of {exchange.url}")
            if exchange.body:
                ext = _BODY_EXT.get(_media(exchange), "bin")
                bundle.write(f"fetch/{number:02d}-body.{ext}", exchange.body, f"HTTP answer {number}: body as received")
        for number, record in enumerate(artifacts.lookups, start=1):
            bundle.write(f"lookups/{number:02d}-record.json",
                         json.dumps(record.to_dict(), indent=2, ensure_ascii=False).encode("utf-8"),
                         f"registration record of {record.domain}")
            if record.raw:
                ext = "json" if record.raw.lstrip().startswith(("{", "[")) else "txt"
                bundle.write(f"lookups/{number:02d}-raw.{ext}", record.raw.encode("utf-8"),
                             f"raw answer about {record.domain} from {record.server or record.source}")
    bundle.write("report.json", _rendered(report, "json"), "the report, JSON (schema in README), with the full text")
    bundle.write("report.md", _rendered(report, "markdown"), "the report, Markdown")
    bundle.write("README.txt", README.format(tool_version=report.tool_version, ruleset=report.ruleset,
                                             created=created.isoformat(timespec="seconds")).encode("utf-8"),
                 "what this folder holds and how to verify it")
    manifest = {
        "bundle": "offercheck-evidence", "bundle_version": 1,
        "tool": "offercheck", "tool_version": report.tool_version, "ruleset": report.ruleset,
        "created_at": created.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "report_generated_at": report.generated_at.isoformat(),
        "input": {"kind": kind, "source": report.offer.source, "url": report.offer.url},
        "options": options,
        "level": report.level.label, "score": report.score,
        "files": [{"path": f.path, "sha256": f.sha256, "bytes": f.size, "what": f.what} for f in bundle.files],
    }
    bundle.write("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8"),
                 "this list")
    sums = "".join(f"{f.sha256}  {f.path}\n" for f in bundle.files)
    with open(bundle.folder / "SHA256SUMS", "x", encoding="utf-8") as handle:
        handle.write(sums)
    return bundle.folder
