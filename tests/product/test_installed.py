"""sib as a user installs it: a wheel built from this checkout, installed in an environment of
its own and used from a folder far from the checkout. The reference scenarios and their
sources come with it (package data), the command line takes a reference scenario by name,
``sib dashboard`` serves the dashboard with them, and nothing reaches back into the checkout.

The environment borrows this one's dependencies (a path entry to its site-packages, whose own
.pth files, such as the checkout's editable install, are then not read), so nothing is
downloaded."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest
import yaml
from helpers_paths import REPO

from tools.browser import answering, free_port

ROOT = REPO


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin folder of a fresh environment with sib installed from a wheel of this checkout."""
    base = tmp_path_factory.mktemp("installed")
    wheels, env = base / "wheels", base / "env"
    pip = [sys.executable, "-m", "pip"]
    quiet = {"capture_output": True, "text": True, "timeout": 300}
    # Built from a copy: two test workers may build at once, and setuptools writes build/ and
    # *.egg-info/ into the folder it builds.
    source = base / "source"
    for part in ("sib", "scenarios"):
        shutil.copytree(ROOT / part, source / part, ignore=shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    built = subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(source)], **quiet)
    assert built.returncode == 0, built.stdout + built.stderr
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True, timeout=120)
    python = env / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], **quiet).stdout.strip()
    Path(site, "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    wheel = next(wheels.glob("sib-*.whl"))
    done = subprocess.run([*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)], **quiet)
    assert done.returncode == 0, done.stdout + done.stderr
    return env / "bin"


def _away(tmp_path: Path) -> dict:
    """Run far from the checkout, with no coverage or path settings of the test run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COVERAGE", "PYTHONPATH", "SIB_"))}
    return {"cwd": tmp_path, "env": env, "capture_output": True, "text": True, "timeout": 300}


def test_every_package_of_the_checkout_is_listed_for_the_wheel():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "sib").rglob("__init__.py")}
    assert found <= listed, f"not in pyproject.toml's packages: {sorted(found - listed)}"


def test_an_installed_sib_finds_its_reference_scenarios_by_name(installed, tmp_path):
    where = subprocess.run([installed / "python", "-c", "import sib; print(sib.__file__)"], **_away(tmp_path))
    assert str(ROOT) not in where.stdout and where.stdout.strip().startswith(str(installed.parent)), where.stdout + where.stderr
    ok = subprocess.run([installed / "sib", "validate", "bostad_forst", "--lang", "en"], **_away(tmp_path))
    assert ok.returncode == 0 and ok.stdout.strip() == "OK", ok.stdout + ok.stderr
    run = subprocess.run([installed / "sib", "run", "arbetsintegrering", "--replication", "0", "--lang", "en"], **_away(tmp_path))
    assert run.returncode == 0 and "The municipality's whole cost" in run.stdout, run.stdout + run.stderr
    missing = subprocess.run([installed / "sib", "validate", "no_such_scenario", "--lang", "en"], **_away(tmp_path))
    assert missing.returncode == 2, missing.stdout + missing.stderr
    assert "'no_such_scenario': no such file, and no reference scenario of that name (the reference scenarios: " in missing.stderr
    assert "bostad_forst, bostad_forst_20," in missing.stderr
    check = subprocess.run([installed / "sib", "check", "--fast"], **_away(tmp_path))
    assert check.returncode == 1 and "är inte en utcheckning av sib" in check.stdout and "Traceback" not in check.stderr


def test_the_installed_dashboard_offers_the_reference_scenarios_with_their_sources(installed, tmp_path):
    probe = """
import sib.dashboard.app as app
from streamlit.testing.v1 import AppTest
from sib.references import references
at = AppTest.from_file(app.__file__, default_timeout=240)
at.run()
assert at.title[0].value == "What do you want to know?", at.title[0].value  # sib dashboard --lang en
at.button(key="ask_cash").click().run()  # the provider's question: the comparison of the default scenarios
assert not at.exception, [e.value for e in at.exception]
library = at.session_state["library"]
print(len(library.scenarios), len(library.broken), len(references()))
"""
    away = _away(tmp_path)
    got = subprocess.run(
        [installed / "python", "-c", probe], **{**away, "env": {**away["env"], "SIB_DASHBOARD_REPS": "50", "SIB_DASHBOARD_LANG": "en"}}
    )
    assert got.returncode == 0, got.stdout + got.stderr
    offered, broken, works = map(int, got.stdout.split())
    assert (offered, broken) == (len(list((ROOT / "scenarios").glob("*.yaml"))), 0)
    assert works == len(yaml.safe_load((ROOT / "sib" / "references.yaml").read_text(encoding="utf-8")))  # the works they cite


def test_sib_dashboard_serves_the_dashboard(installed, tmp_path):
    port = free_port()
    away = _away(tmp_path)
    served = subprocess.Popen(
        [installed / "sib", "dashboard", "--port", str(port), "--lang", "en"],
        cwd=away["cwd"],
        env={**away["env"], "STREAMLIT_SERVER_HEADLESS": "true"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        answering(served, f"http://127.0.0.1:{port}", timeout=120)
    finally:
        served.terminate()
        served.wait(timeout=30)
