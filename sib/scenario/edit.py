"""Changing a scenario: values set at paths as written in the file, the result validated like
a file (so an edit from the dashboard or a sweep gets the same messages as a typo would),
and a scenario written back as YAML that ``sib validate`` accepts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from sib.i18n import say
from sib.scenario.errors import ScenarioError
from sib.scenario.loader import build
from sib.scenario.schema import Scenario

_STEP = re.compile(r"^([^.\[\]]+)|\.([^.\[\]]+)|\[(\d+)\]")


def parse_path(path: str) -> list[str | int]:
    """'participants.referrals.cohorts[0].size' → ['participants', 'referrals', 'cohorts', 0, 'size']."""
    keys: list[str | int] = []
    pos = 0
    while pos < len(path):
        m = _STEP.match(path, pos)
        if m is None or bool(m.group(1)) != (pos == 0):  # a name first, then .name or [index]
            raise ScenarioError(
                [
                    say(
                        "{path}: inte en parametersökväg (skriv den som i filen, t.ex. contract.outcome_share)",
                        "{path}: not a parameter path (write it as in the file, e.g. contract.outcome_share)",
                        path=path,
                    )
                ]
            )
        keys.append(int(m.group(3)) if m.group(3) else (m.group(1) or m.group(2)))
        pos = m.end()
    if not keys:
        raise ScenarioError([say("parametersökvägen är tom", "the parameter path is empty")])
    return keys


def as_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data, defaults left out (what a person would write)."""
    return scenario.model_dump(mode="json", by_alias=True, exclude_defaults=True)


def with_values(scenario: Scenario, changes: Mapping[str, Any], name: str | None = None) -> Scenario:
    """``scenario`` with each path in ``changes`` set to its value (None removes the key, so the
    default applies), validated once; every problem is reported with its path."""
    data = scenario.model_dump(mode="json", by_alias=True)
    for path, value in changes.items():
        _set(data, path, value)
    if name is not None:
        data["name"] = name
    return build(data)


def with_value(scenario: Scenario, path: str, value: Any) -> Scenario:
    """One value changed; the name says which (for sweeps)."""
    return with_values(scenario, {path: value}, name=f"{scenario.name} [{path} = {value}]")


def without_guarantee(scenario: Scenario, name: str | None = None) -> Scenario:
    """``scenario`` without its guarantee, and so without the credit the guarantee secured: the
    bank lends only what the provider's own standing carries (``Financing.credit_limit``)."""
    return with_values(scenario, {"financing.guarantee": None}, name=name)


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    keys = parse_path(path)
    node: Any = data
    try:
        for key in keys[:-1]:
            if isinstance(node, dict):
                if node.get(key) is None:
                    node[key] = {}
                node = node[key]
            else:
                node = node[key]
        if value is None and isinstance(node, dict):
            node.pop(keys[-1], None)
        else:
            node[keys[-1]] = value
    except (IndexError, TypeError, KeyError):
        raise ScenarioError(
            [say("{path}: det finns ingen sådan plats i scenariot", "{path}: no such place in the scenario", path=path)]
        ) from None


def to_yaml(scenario: Scenario) -> str:
    """The scenario as a YAML file that loads back to the same scenario."""
    return yaml.safe_dump(as_data(scenario), allow_unicode=True, sort_keys=False, width=100)
