"""`python -m offercheck` and the `offercheck` command. Imports the CLI only when run."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from .cli import app

    try:
        app(args=argv, prog_name="offercheck", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
