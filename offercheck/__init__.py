"""offercheck: does this job or modelling offer look like a scam or a trafficking lure?

The library entry points are `check_text(text, country=...)` and `check(offer)`; both
return a `Report`. Imports are lazy so that `import offercheck` stays cheap.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "check", "check_rows", "check_text"]


def __getattr__(name: str):
    if name in ("check", "check_text"):
        from . import api

        return getattr(api, name)
    if name == "check_rows":
        from .batch.work import check_rows

        return check_rows
    raise AttributeError(f"module 'offercheck' has no attribute {name!r}")
