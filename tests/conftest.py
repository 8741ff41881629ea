"""Shared test helpers. Each block below belongs to one group of tests; keep them separate."""

from __future__ import annotations

# ==================================================================================================
# The dashboard keeps a user's own scenarios in a folder of theirs: never the real one in a test.
# Processes the tests start (a served dashboard) get a fresh folder of the session's; each test in
# this process one of its own, so that a version one test saves is not in the next one's library.
# ==================================================================================================
import os
import tempfile

import pytest

os.environ["SIB_USER_DIR"] = tempfile.mkdtemp(prefix="sib-user-scenarios-")


@pytest.fixture(autouse=True)
def library_language():
    """Each test starts in the library's own language (English); one that runs the dashboard
    or the CLI in this thread cannot leave its language to the next."""
    from sib import i18n

    with i18n.speaking("en"):
        yield


@pytest.fixture(autouse=True)
def own_scenarios(tmp_path, monkeypatch):
    """The folder where this test's saved and uploaded scenarios are kept."""
    folder = tmp_path / "own scenarios"
    monkeypatch.setenv("SIB_USER_DIR", str(folder))
    return folder


# ==================================================================================================
# The statistical engine tests' helpers (helpers_statistics.py) as fixtures.
# ==================================================================================================
from collections.abc import Callable

from helpers_statistics import Checks, engine_scenario, run_engine

import sib
from sib.scenario.schema import Scenario


@pytest.fixture
def checks() -> Checks:
    return Checks()


@pytest.fixture
def make_engine_scenario() -> Callable[..., Scenario]:
    return engine_scenario


@pytest.fixture
def engine_run() -> Callable[..., sib.Replication]:
    return run_engine
