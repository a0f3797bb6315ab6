"""Formatters turn a Report into text; they never see the engine.

Registered by name as "module:function" and imported on use, so `--format json` never
imports rich.
"""

from __future__ import annotations

from importlib import import_module
from typing import Callable, TextIO

from ..model import Report

FORMATTERS: dict[str, str] = {
    "text": "offercheck.formatters.text:render",
    "plain": "offercheck.formatters.plain:render",
    "json": "offercheck.formatters.json:render",
    "markdown": "offercheck.formatters.markdown:render",
}

Renderer = Callable[..., None]


def get_formatter(name: str) -> Renderer:
    module_name, function = FORMATTERS[name].split(":")
    return getattr(import_module(module_name), function)


def render(report: Report, name: str, out: TextIO, **options) -> None:
    get_formatter(name)(report, out, **options)
