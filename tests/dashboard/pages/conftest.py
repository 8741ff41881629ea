"""Every page test runs the dashboard on the fewest replications its compare page takes."""

import pytest


@pytest.fixture(autouse=True)
def few_replications(monkeypatch):
    monkeypatch.setenv("SIB_DASHBOARD_REPS", "50")  # the least the compare page takes
