"""The command line: parse, call the library, pick a formatter, exit. Nothing else.

offercheck check "Hi dear, ... send passport copy and 150 USD registration fee"
offercheck check --file offer.txt --format json
offercheck rules | explain L101 | contacts GB
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Optional

import typer

from . import __version__
from .errors import ExitStatus, OffercheckError, UsageError

app = typer.Typer(
    name="offercheck",
    help="Check a job or modelling offer for signs of a scam or a trafficking lure: why, how to verify it, whom to call.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,  # locals would contain the offer text
    rich_markup_mode=None,
)


class OutputFormat(str, Enum):
    text = "text"
    plain = "plain"
    json = "json"
    markdown = "markdown"


class CheckName(str, Enum):
    language = "language"
    contact = "contact"


class FailLevel(str, Enum):
    medium = "medium"
    high = "high"
    critical = "critical"


def _stderr_error(message: str, hint: str = "") -> None:
    """Errors are plain text on stderr, made terminal-safe: they may quote the user's input."""
    from .safety import one_line

    sys.stderr.write(f"offercheck: error: {one_line(message, 500)}\n")
    if hint:
        sys.stderr.write(f"{one_line(hint, 500)}\n")


def _run(action, traceback: bool) -> int:
    """Run a command body, mapping errors to exit statuses and one-line messages."""
    try:
        return action()
    except OffercheckError as exc:
        if traceback:
            raise
        _stderr_error(exc.message, exc.hint)
        return exc.exit_status
    except KeyboardInterrupt:
        sys.stderr.write("offercheck: interrupted\n")
        return ExitStatus.ERROR_CTRL_C
    except BrokenPipeError:
        return ExitStatus.SUCCESS
    except Exception as exc:  # noqa: BLE001 - the one place internal errors become a message
        if traceback:
            raise
        _stderr_error(
            f"internal error: {type(exc).__name__}: {exc}",
            "This is a bug in offercheck. Run again with --traceback to see where it happened.",
        )
        return ExitStatus.ERROR


def _default_format() -> OutputFormat:
    """Colour only on a terminal and only without NO_COLOR (bandit's and httpie's rule)."""
    is_tty = sys.stdout.isatty()
    if is_tty and os.environ.get("NO_COLOR") is None and os.environ.get("TERM") != "dumb":
        return OutputFormat.text
    return OutputFormat.plain


def _resolve_country(value: Optional[str], what: str = "--country") -> Optional[str]:
    from .reporting_contacts import country_from_environment, normalise_country

    if value is None:
        return country_from_environment(os.environ)
    country = normalise_country(value)
    if country is None:
        raise UsageError(
            f"{what} {value!r} is not an ISO 3166-1 country code",
            "Use a two-letter code such as GB, US, PH or BR; `offercheck contacts` lists those with contacts.",
        )
    return country


def _read_offer(text: Optional[str], file: Optional[str], max_bytes: int, encoding: Optional[str]) -> tuple[str, str]:
    from .inputs import read_argument, read_file, read_stream

    if text is not None and file is not None:
        raise UsageError("give the offer either as TEXT or with --file, not both", "See `offercheck check --help`.")
    if file is not None:
        if file == "-":
            return read_stream(sys.stdin.buffer, "standard input", max_bytes, encoding), "stdin"
        return read_file(file, max_bytes, encoding), os.path.basename(file) or file
    if text == "-":
        return read_stream(sys.stdin.buffer, "standard input", max_bytes, encoding), "stdin"
    if text is None:
        raise UsageError(
            "no offer given",
            'Paste it in quotes: offercheck check "...", pipe it with `-`, or use --file PATH.',
        )
    return read_argument(text, max_bytes, encoding), "argument"


@dataclass(frozen=True)
class _Input:
    """The offer as received: its kind, a label for the report, and its exact bytes."""

    kind: str  # text | url | email
    source: str
    text: str = ""
    data: bytes = b""
    url: str = ""


def _looks_like_url(value: str) -> bool:
    if not value.lstrip()[:4].lower() == "http":
        return False
    from .fetch import is_web_url  # only now: the fetch module imports asyncio

    return is_web_url(value)


def _argument_bytes(text: str) -> bytes:
    try:
        return os.fsencode(text)  # the argv bytes, surrogate escapes undone
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def _read_input(text: Optional[str], file: Optional[str], url: Optional[str], max_bytes: int, encoding: Optional[str]) -> _Input:
    """A link (--url or a URL alone), an e-mail (recognised by content) or text; see _read_offer."""
    import io

    from .email_input import EMAIL_MAX_BYTES, looks_like_email
    from .inputs import read_file_bytes, read_stream

    if url is not None:
        if text is not None or file is not None:
            raise UsageError("give either a link with --url or the offer itself, not both", "See `offercheck check --help`.")
        if not _looks_like_url(url):
            raise UsageError(f"--url {url!r} is not an http or https link", "Give a full link such as https://example.com/jobs/1; no other kind is opened.")
        return _Input("url", "url", url=url.strip(), data=url.encode("utf-8", "surrogatepass"))
    if text is not None and file is None and text != "-" and _looks_like_url(text):
        return _Input("url", "url", url=text.strip(), data=_argument_bytes(text))
    if file is None and text != "-":
        offer_text, source = _read_offer(text, file, max_bytes, encoding)
        return _Input("text", source, text=offer_text, data=_argument_bytes(text or ""))
    if text is not None and file is not None:
        raise UsageError("give the offer either as TEXT or with --file, not both", "See `offercheck check --help`.")
    limit = max(max_bytes, EMAIL_MAX_BYTES)  # an e-mail with attachments may pass --max-bytes
    if file is None or file == "-":
        what, source = "standard input", "stdin"
        data = sys.stdin.buffer.read(limit + 1)
    else:
        what, source = file, os.path.basename(file) or file
        data = read_file_bytes(file, limit)
    if len(data) <= limit and looks_like_email(data):
        return _Input("email", source, data=data)
    return _Input("text", source, text=read_stream(io.BytesIO(data), what, max_bytes, encoding), data=data)


def _fetch_options(timeout: float, allow_loopback: bool, allow_private: bool):
    from .fetch import FetchOptions

    return FetchOptions(timeout=timeout, connect_timeout=min(5.0, timeout), read_timeout=min(5.0, timeout),
                        allow_loopback=allow_loopback, allow_private=allow_private)


def _save_evidence(report, folder: str, options: dict) -> None:
    from .evidence import save_bundle

    saved = save_bundle(report, folder, options)
    from .safety import one_line

    sys.stderr.write(f"offercheck: evidence saved in {one_line(str(saved), 500)}\n")


@app.command()
def check(
    text: Annotated[Optional[str], typer.Argument(help="The offer's text in quotes, or - to read standard input.", show_default=False)] = None,
    file: Annotated[Optional[str], typer.Option("--file", "-f", help="Read the offer from this text file (- for stdin).")] = None,
    country: Annotated[Optional[str], typer.Option("--country", "-c", help="Your country (ISO code, e.g. GB) for reporting contacts. Default: $OFFERCHECK_COUNTRY, else your locale.")] = None,
    output_format: Annotated[Optional[OutputFormat], typer.Option("--format", help="Output format. Default: text on a terminal, else plain.")] = None,
    fail_on: Annotated[Optional[FailLevel], typer.Option("--fail-on", help="Exit with status 3 when the level is at or above this.")] = None,
    offline: Annotated[bool, typer.Option("--offline", help="Make no network request at all: domain ages are then reported as not looked up. Also $OFFERCHECK_OFFLINE=1.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Overall deadline in seconds for opening a link (redirects included), and for the domain lookups of one check.")] = 10.0,
    rdap_url: Annotated[Optional[str], typer.Option("--rdap-url", help="Send every RDAP query to this base URL (your own mirror). Also $OFFERCHECK_RDAP_URL.")] = None,
    whois_server: Annotated[Optional[str], typer.Option("--whois-server", help="Send every WHOIS query to HOST[:PORT]. Also $OFFERCHECK_WHOIS_SERVER.")] = None,
    cache_dir: Annotated[Optional[str], typer.Option("--cache-dir", help="Where lookup results are cached. Also $OFFERCHECK_CACHE_DIR.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the lookup cache.")] = False,
    select: Annotated[Optional[str], typer.Option("--select", help="Only these rules: ids, id prefixes or names, comma-separated (L1,C101).")] = None,
    ignore: Annotated[Optional[str], typer.Option("--ignore", help="Skip these rules: ids, id prefixes or names, comma-separated.")] = None,
    max_bytes: Annotated[int, typer.Option("--max-bytes", min=1, help="Refuse offers larger than this many bytes.")] = 1_000_000,
    encoding: Annotated[Optional[str], typer.Option("--encoding", help="The file's text encoding when it is not UTF-8 (e.g. latin-1).")] = None,
    include_text: Annotated[bool, typer.Option("--include-text", help="Put the whole offer text in JSON output (off: only quotes).")] = False,
    lang: Annotated[Optional[str], typer.Option("--lang", help="Word the report in this language (en, es, pt, ...) where a rule pack has it. Default: the offer's main language if it has a pack, else English.")] = None,
    url: Annotated[Optional[str], typer.Option("--url", help="Open this http(s) link and check it, every redirect and the page's text (a URL given as TEXT does the same).")] = None,
    allow_loopback: Annotated[bool, typer.Option("--allow-loopback", help="Let a link open addresses on this machine (127.0.0.0/8, ::1), e.g. a local mirror. Nothing else private.")] = False,
    allow_private_network: Annotated[bool, typer.Option("--allow-private-network", help="Let a link open private network addresses (10/8, 172.16/12, 192.168/16, fc00::/7), e.g. an intranet.")] = False,
    save_evidence: Annotated[Optional[str], typer.Option("--save-evidence", help="Write an evidence bundle (input, pages, lookups, report, SHA-256 manifest) into a new folder inside this one.")] = None,
    traceback: Annotated[bool, typer.Option("--traceback", help="Show the traceback of an internal error.")] = False,
) -> None:
    """Check one offer and print an explained risk report.

    \b
    Examples:
      offercheck check "Hi dear, send passport copy and 150 USD registration fee"
      offercheck check --file offer.txt --country GB
      offercheck check https://jobs.example-careers.top/apply
      offercheck check --file offer.eml --save-evidence ~/cases/1234
      pbpaste | offercheck check -
      offercheck check --file offer.txt --format json | jq .level

    \b
    Exit status: 0 the check ran (whatever the verdict); 3 the level is at or above
    --fail-on; 2 usage or input error; 1 internal error; 130 interrupted.
    """

    def action() -> int:
        from .api import check_text
        from .formatters import render

        given = _read_input(text, file, url, max_bytes, encoding)
        chosen_country = _resolve_country(country)
        is_offline = offline or os.environ.get("OFFERCHECK_OFFLINE", "") not in ("", "0")
        common = dict(
            country=chosen_country,
            offline=is_offline,
            select=_codes(select),
            ignore=_codes(ignore),
            lookup=None if is_offline else _lookup(timeout, rdap_url, whois_server, cache_dir, no_cache),
            lang=_resolve_lang(lang),
        )
        if given.kind == "url":
            from .api import check_url

            report = check_url(given.url, fetch_options=_fetch_options(timeout, allow_loopback, allow_private_network),
                               original=given.data, **common)
        elif given.kind == "email":
            from .api import check_email

            report = check_email(given.data, source=given.source, **common)
        else:
            report = check_text(given.text, source=given.source, original=given.data, **common)
        fmt = (output_format or _default_format()).value
        if save_evidence is not None:
            _save_evidence(report, save_evidence, {
                "country": chosen_country, "format": fmt, "offline": is_offline, "timeout": timeout,
                "select": _codes(select), "ignore": _codes(ignore), "max_bytes": max_bytes, "encoding": encoding,
                "allow_loopback": allow_loopback, "allow_private_network": allow_private_network,
                "rdap_url": rdap_url, "whois_server": whois_server, "no_cache": no_cache,
            })
        render(report, fmt, sys.stdout, include_text=include_text, color=os.environ.get("NO_COLOR") is None)
        sys.stdout.flush()
        if fail_on is not None:
            from .model import Level

            if report.level >= Level.parse(fail_on.value):
                return ExitStatus.RISK_AT_OR_ABOVE
        return ExitStatus.SUCCESS

    raise typer.Exit(_run(action, traceback))


def _lookup(timeout: float, rdap_url, whois_server, cache_dir, no_cache: bool):
    """Lookups configured from the environment, then the options. Built lazily: no domain, no httpx."""
    settings = {}

    def lookup(domains: list[str]) -> dict:
        from .api import default_lookup
        from .lookups import LookupSettings

        if "value" not in settings:
            overrides = {"timeout": timeout, "per_lookup_timeout": min(5.0, timeout), "use_cache": not no_cache}
            overrides.update({k: v for k, v in (("rdap_url", rdap_url), ("whois_server", whois_server), ("cache_dir", cache_dir)) if v})
            try:
                settings["value"] = LookupSettings.from_environment(os.environ, **overrides)
            except ValueError as exc:
                raise UsageError(str(exc), "Check --rdap-url, --whois-server and --cache-dir.") from None
        return default_lookup(settings["value"])(domains)

    return lookup


def _resolve_lang(value: Optional[str]) -> Optional[str]:
    from .rules import pack_languages

    if value is None:
        return None
    code = value.strip().lower()
    available = ("en",) + pack_languages()
    if code not in available:
        raise UsageError(f"--lang {value!r}: no rule pack speaks that language", f"Choose one of: {', '.join(available)}.")
    return code


def _codes(value: Optional[str]) -> Optional[list[str]]:
    if not value:
        return None
    return [code.strip() for code in value.split(",") if code.strip()]


@app.command()
def rules(
    check_name: Annotated[Optional[CheckName], typer.Option("--check", help="Only rules of this check.")] = None,
    output_format: Annotated[Optional[OutputFormat], typer.Option("--format", help="text, plain, json or markdown.")] = None,
) -> None:
    """List every rule: id, name, severity, weight and check."""
    from .explain import render_rules

    def action() -> int:
        render_rules(sys.stdout, check_name.value if check_name else None, (output_format or _default_format()).value)
        return ExitStatus.SUCCESS

    raise typer.Exit(_run(action, False))


@app.command()
def explain(
    code: Annotated[str, typer.Argument(help="A rule id (L101) or name (upfront-fee).")],
    output_format: Annotated[Optional[OutputFormat], typer.Option("--format", help="text, plain, json or markdown.")] = None,
    lang: Annotated[Optional[str], typer.Option("--lang", help="Show a language pack's version of the rule (es, pt, ...).")] = None,
) -> None:
    """Explain one rule: why it matters, what to do, examples, sources."""
    from .explain import render_rule
    from .rules import find_rule

    def action() -> int:
        rule = find_rule(code, _resolve_lang(lang) or "en")
        if rule is None:
            raise UsageError(f"no rule called {code!r}", "`offercheck rules` lists them all.")
        render_rule(sys.stdout, rule, (output_format or _default_format()).value)
        return ExitStatus.SUCCESS

    raise typer.Exit(_run(action, False))


@app.command()
def contacts(
    country: Annotated[Optional[str], typer.Argument(help="ISO country code (GB, US, ...). Default: $OFFERCHECK_COUNTRY or your locale.", show_default=False)] = None,
    output_format: Annotated[Optional[OutputFormat], typer.Option("--format", help="text, plain, json or markdown.")] = None,
) -> None:
    """Where to report a scam or trafficking and get help, for a country."""
    from .explain import render_contacts

    def action() -> int:
        render_contacts(sys.stdout, _resolve_country(country, "country"), (output_format or _default_format()).value)
        return ExitStatus.SUCCESS

    raise typer.Exit(_run(action, False))


@app.command("update-data")
def update_data(
    traceback: Annotated[bool, typer.Option("--traceback", help="Show the traceback of an internal error.")] = False,
) -> None:
    """Refresh IANA's RDAP bootstrap file (which server answers for which TLD). Needs the network."""

    def action() -> int:
        from .lookups import update_bootstrap

        try:
            summary = update_bootstrap()
        except OSError as exc:
            raise OffercheckError(f"could not update the RDAP bootstrap: {exc}", "Check your connection and try again.") from None
        sys.stdout.write(summary.rstrip() + "\n")
        return ExitStatus.SUCCESS

    raise typer.Exit(_run(action, traceback))


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"offercheck {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """offercheck: is this job or modelling offer a scam or a trafficking lure?"""


from .cli_batch import batch as _batch  # noqa: E402 - registered last; the command imports lazily

app.command("batch")(_batch)
from .cli_eval import eval_command as _eval; app.command("eval")(_eval)  # noqa: E402
