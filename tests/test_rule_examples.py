"""Every example in every rule file: the words it must quote, or that it must stay silent."""

import pytest

from offercheck.rules import load_rules
from offercheck.testing import quotes_for

RULES = load_rules()


def _cases():
    for rule in RULES:
        for number, example in enumerate(rule.examples, start=1):
            marks = [pytest.mark.xfail(reason=example.todo, strict=True)] if example.todo else []
            yield pytest.param(rule, example, id=f"{rule.id}-{rule.lang}-{rule.name}-{number}", marks=marks)


@pytest.mark.parametrize(("rule", "example"), list(_cases()))
def test_rule_example(rule, example):
    quotes = quotes_for(rule, example.text, example)
    if example.expect is False:
        assert not quotes, f"{rule.id} must not fire on {example.text!r}, but quoted {quotes}"
    elif example.expect is True:
        assert quotes, f"{rule.id} should fire on {example.text!r}"
    else:
        assert example.expect in quotes, f"{rule.id} should quote {example.expect!r} in {example.text!r}, got {quotes}"
