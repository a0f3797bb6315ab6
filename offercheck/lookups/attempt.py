"""What one exchange with one server gave (`Attempt`), and the clock it ran against (`Deadline`).

A lookup is at most two exchanges: RDAP, then WHOIS when RDAP could not answer. Each gets
`per_lookup_timeout`, and none may run past the batch's overall deadline. The deadline is
enforced around the whole exchange (connect, headers, body), because a server that sends one
byte a second never trips a per-read timeout.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

MAX_ANSWER_BYTES = 1024 * 1024  # an RDAP or WHOIS answer larger than this is not read to the end


@dataclass(slots=True)
class Attempt:
    ok: bool  # the registry answered (including "no such domain")
    server: str  # RDAP base URL or WHOIS host:port
    fields: dict[str, Any] = field(default_factory=dict)  # DomainRecord fields read from the answer
    raw: str = ""
    reason: str = ""  # when not ok: why, in words for the report
    fallback: bool = False  # when not ok: is it worth asking WHOIS instead?
    cacheable: bool = True  # False when our own deadline, not the server, cut the exchange short


class Deadline:
    """The overall deadline of one batch, and the window each exchange gets inside it."""

    def __init__(self, overall: float, per_exchange: float) -> None:
        self.overall = overall
        self.per_exchange = per_exchange
        self.end = time.monotonic() + overall

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def window(self) -> tuple[float, bool]:
        """(seconds this exchange may take, True if the overall deadline is what limits it)."""
        left = self.remaining()
        if self.per_exchange < left:
            return self.per_exchange, False
        return max(left, 0.0), True

    def ran_out(self, what: str) -> str:
        return f"{what} had not answered when the overall lookup deadline of {self.overall:g} s ran out"

    def timed_out(self, what: str, window: float, overall_bound: bool) -> str:
        if overall_bound:
            return self.ran_out(what)
        return f"{what} timed out after {window:.1f} s"
