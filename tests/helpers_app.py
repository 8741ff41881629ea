"""The dashboard under Streamlit's AppTest: the app, its pages, and reading a chart or a card."""

from __future__ import annotations

import base64
import json

import numpy as np
from helpers_paths import REPO
from streamlit.testing.v1 import AppTest

APP = str(REPO / "app.py")
TIMEOUT = 240  # the first run prices the contracts and starts the worker pool
PAGES = "sib/dashboard/pages/{}.py"
WHOLE, WHOLE_EN = "Kommunens hela kostnad, genomsnitt", "The municipality's whole cost, average"
PAID = "Betalt till utföraren, genomsnitt"
CREDIT, CREDIT_EN = "Extra kredit som bär utföraren i 95 % av fallen", "Extra credit that carries the provider in 95% of cases"


def app() -> AppTest:
    """The app on its compare page (the first page asks the questions)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return on(at, "compare")


def on(at: AppTest, page: str) -> AppTest:
    at.switch_page(PAGES.format(page)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def figure(chart) -> dict:
    """A chart on the page as the plotly spec it was drawn from, its numbers as lists (plotly
    sends arrays as base64)."""

    def decode(value):
        if isinstance(value, dict) and set(value) == {"dtype", "bdata"}:
            return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).tolist()
        if isinstance(value, dict):
            return {k: decode(v) for k, v in value.items()}
        if isinstance(value, list):
            return [decode(v) for v in value]
        return value

    return decode(json.loads(chart.proto.spec))


def title(spec: dict) -> str:
    return spec["layout"]["title"]["text"]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def lever(widgets, path: str):
    """The editor's control for ``path`` in the scenario on screen (keys name the scenario)."""
    return next(w for w in widgets if w.key and w.key.startswith("lever:") and w.key.endswith(f":{path}"))
