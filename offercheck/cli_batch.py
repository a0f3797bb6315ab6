"""`offercheck batch`: check exported listings (CSV, JSONL, stdin, .gz) row by row.

Registered in cli.py with `app.command("batch")(batch)`; everything heavy is imported inside.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Optional

import typer

from .errors import ExitStatus

ROWS_FAILED = ExitStatus.ROWS_FAILED  # some rows could not be checked: their `error` column says why


def batch(
    input_path: Annotated[str, typer.Argument(metavar="INPUT", help="A .csv, .tsv or .jsonl file (optionally .gz), or - for standard input.")],
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Output file: .csv or .jsonl (default: JSONL on standard output).")] = None,
    output_format: Annotated[Optional[str], typer.Option("--format", help="csv or jsonl; default from -o's extension.")] = None,
    input_format: Annotated[Optional[str], typer.Option("--input-format", help="csv or jsonl; default from the name, else sniffed.")] = None,
    text_columns: Annotated[Optional[str], typer.Option("--text-columns", "--text-field", "--text-column", help="Columns (or JSON fields) that hold the offer's text, comma-separated; several are joined under their names. Default: text, body, message, description, title, ... when present.")] = None,
    url_column: Annotated[Optional[str], typer.Option("--url-column", "--url-field", help="Column with the listing's URL (default: url or link when present).")] = None,
    sender_column: Annotated[Optional[str], typer.Option("--sender-column", "--sender-field", help="Column with the sender (e-mail, phone, handle); default: sender or from when present.")] = None,
    country_column: Annotated[Optional[str], typer.Option("--country-column", "--country-field", help="Column with each row's country (ISO code); default: country when present.")] = None,
    id_column: Annotated[Optional[str], typer.Option("--id-column", "--id-field", help="Column with a unique row id (default: id when present, else the row number).")] = None,
    country: Annotated[Optional[str], typer.Option("--country", "-c", help="Country for rows without one (ISO code).")] = None,
    encoding: Annotated[Optional[str], typer.Option("--encoding", help="The input's encoding (default: BOM, else UTF-8, else cp1252/Latin-1, guessed).")] = None,
    delimiter: Annotated[Optional[str], typer.Option("--delimiter", help="CSV delimiter (default: sniffed from the header line among , ; tab |).")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", "-j", min=1, help="Processes checking rows (default: the number of cores).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Keep the rows already in the output file and check only the others.")] = False,
    offline: Annotated[bool, typer.Option("--offline", help="Make no network request: domain ages are not looked up. Also $OFFERCHECK_OFFLINE=1.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Deadline in seconds for the domain lookups of one row.")] = 10.0,
    lookup_concurrency: Annotated[int, typer.Option("--lookup-concurrency", min=1, help="Domain lookups in flight at once, across all workers.")] = 16,
    rdap_url: Annotated[Optional[str], typer.Option("--rdap-url", help="Send every RDAP query to this base URL.")] = None,
    whois_server: Annotated[Optional[str], typer.Option("--whois-server", help="Send every WHOIS query to HOST[:PORT].")] = None,
    cache_dir: Annotated[Optional[str], typer.Option("--cache-dir", help="Where lookup results are cached.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the lookup cache.")] = False,
    select: Annotated[Optional[str], typer.Option("--select", help="Only these rules (ids, prefixes or names, comma-separated).")] = None,
    ignore: Annotated[Optional[str], typer.Option("--ignore", help="Skip these rules.")] = None,
    max_bytes: Annotated[int, typer.Option("--max-bytes", min=1, help="Rows whose text is larger than this are reported as errors, not checked.")] = 1_000_000,
    top: Annotated[int, typer.Option("--top", min=0, help="Findings listed per row.")] = 5,
    full: Annotated[bool, typer.Option("--full", help="JSONL: add each row's whole report under \"report\".")] = False,
    no_clusters: Annotated[bool, typer.Option("--no-clusters", help="Do not link rows that share contacts or text (output streams to stdout as rows finish).")] = False,
    fail_on: Annotated[Optional[str], typer.Option("--fail-on", help="Exit with status 3 when any row is at or above this level (medium, high, critical).")] = None,
    progress: Annotated[Optional[bool], typer.Option("--progress/--no-progress", help="Live progress bar on stderr (default: only when stderr is a terminal).", show_default=False)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary at the end.")] = False,
    traceback: Annotated[bool, typer.Option("--traceback", help="Show the traceback of an internal error.")] = False,
) -> None:
    """Check every row of a CSV or JSONL export; one output row per input row, in order.

    \b
    Examples:
      offercheck batch listings.csv -o checked.csv
      offercheck batch export.jsonl --text-field body --url-field link -o out.jsonl --offline
      offercheck batch postings.csv --text-columns title,description --id-column job_id -o out.jsonl
      zcat dump.csv.gz | offercheck batch - --offline > out.jsonl

    \b
    Exit status: 0 every row was checked; 4 some rows have an error (see their error
    column); 3 with --fail-on, a row is at or above that level; 2 usage or unreadable
    input; 1 internal error; 130 interrupted (the output holds every finished row:
    run again with --resume).
    """
    from .cli import _codes, _resolve_country, _run
    from .errors import ExitStatus, UsageError

    def action() -> int:
        from .batch.reading import Columns
        from .batch.runner import Job, resume_hint, run, summary
        from .batch.work import Settings
        from .safety import one_line

        if fail_on is not None and fail_on not in ("medium", "high", "critical"):
            raise UsageError(f"--fail-on {fail_on!r} is not a level", "Use medium, high or critical.")
        if output_format is not None and output_format not in ("csv", "jsonl"):
            raise UsageError(f"--format {output_format!r} is not csv or jsonl", "Use --format csv or --format jsonl.")
        if delimiter is not None and len(delimiter.replace("\\t", "\t")) != 1:
            raise UsageError("--delimiter must be one character", "For example --delimiter ';' or --delimiter '\\t'.")
        is_offline = offline or os.environ.get("OFFERCHECK_OFFLINE", "") not in ("", "0")
        settings = Settings(country=_resolve_country(country), offline=is_offline, select=_tuple(_codes(select)),
                            ignore=_tuple(_codes(ignore)), top=top, full_report=full, clusters=not no_clusters)
        job = Job(
            input=input_path, output=output, out_format=output_format, in_format=input_format,
            columns=Columns(tuple(_codes(text_columns) or ()), url_column, sender_column, country_column, id_column),
            encoding=encoding, delimiter=delimiter.replace("\\t", "\t") if delimiter else None, max_bytes=max_bytes,
            workers=workers or os.cpu_count() or 1, resume=resume, progress=progress, settings=settings,
            lookup_settings=None if is_offline else _lookup_settings(timeout, lookup_concurrency, rdap_url, whois_server, cache_dir, no_cache),
            lookup_parallel=max(1, lookup_concurrency // 4),
        )
        try:
            outcome = run(job)
        except KeyboardInterrupt:  # Ctrl-C outside the runner's own handler (start-up, final rewrite)
            sys.stderr.write("offercheck: interrupted; the output holds whole rows only.\n")
            if job.output not in (None, "-"):
                sys.stderr.write(one_line(f"Resume with: {resume_hint(job)}", 1000) + "\n")
            return ExitStatus.ERROR_CTRL_C
        if not quiet or outcome.interrupted:
            for line in summary(outcome, job):
                sys.stderr.write(one_line(line, 1000) + "\n")
        if outcome.interrupted:
            where = job.output if job.output not in (None, "-") else "standard output"
            sys.stderr.write(one_line(f"offercheck: interrupted after {outcome.written:,} rows; {where} holds every finished row.", 1000) + "\n")
            if job.output not in (None, "-"):
                sys.stderr.write(one_line(f"Resume with: {resume_hint(job)}", 1000) + "\n")
            return ExitStatus.ERROR_CTRL_C
        if outcome.errors:
            return ROWS_FAILED
        if fail_on is not None and outcome.at_or_above[fail_on]:
            return ExitStatus.RISK_AT_OR_ABOVE
        return ExitStatus.SUCCESS

    raise typer.Exit(_run(action, traceback))


def _tuple(values):
    return tuple(values) if values else None


def _lookup_settings(timeout: float, concurrency: int, rdap_url, whois_server, cache_dir, no_cache: bool):
    from .errors import UsageError
    from .lookups import LookupSettings

    overrides = {"timeout": timeout, "per_lookup_timeout": min(5.0, timeout), "use_cache": not no_cache,
                 "max_concurrency": min(16, concurrency)}
    overrides.update({k: v for k, v in (("rdap_url", rdap_url), ("whois_server", whois_server), ("cache_dir", cache_dir)) if v})
    try:
        return LookupSettings.from_environment(os.environ, **overrides)
    except ValueError as exc:
        raise UsageError(str(exc), "Check --rdap-url, --whois-server and --cache-dir.") from None
