"""``make docs`` (``python -m tools.scenario_reference``): writes the scenario reference, and with
``--check`` says whether the committed page is stale, by its exit code."""

from __future__ import annotations

import subprocess
import sys

from helpers_paths import REPO

from tools import scenario_reference as reference

ROOT = REPO


def generate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tools.scenario_reference", *args], capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_the_committed_reference_passes_the_check():
    result = generate("--check")
    assert result.returncode == 0, result.stderr
    assert "docs/scenario-reference.md is up to date" in result.stdout


def test_it_writes_the_reference_where_it_is_told_creating_the_folder(tmp_path):
    out = tmp_path / "new" / "reference.md"
    assert reference.main(["--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == reference.render()
    assert reference.main(["--check", "--out", str(out)]) == 0


def test_a_stale_or_missing_page_fails_the_check_and_says_what_to_run(tmp_path, capsys):
    stale = tmp_path / "reference.md"
    stale.write_text(reference.render() + "A line written by hand.\n", encoding="utf-8")
    assert reference.main(["--check", "--out", str(stale)]) == 1
    assert "is stale: run `make docs`" in capsys.readouterr().err
    assert reference.main(["--check", "--out", str(tmp_path / "missing.md")]) == 1
    assert stale.read_text(encoding="utf-8") != reference.render(), "--check rewrote the file"
