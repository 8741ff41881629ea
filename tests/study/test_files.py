"""A study's folder (sib/study/files.py): what a run killed outright left half written beside it
is cleared by the next run that writes there; a stage still being written is left alone."""

from __future__ import annotations

import os
import subprocess
import sys

from helpers_paths import REPO

import sib
from sib.study.files import write_study

ROOT = REPO


def _gone_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_killed_runs_half_written_folder_is_cleared_by_the_next_run(tmp_path):
    out = tmp_path / "study"
    stale = tmp_path / f".study.partial-{_gone_pid()}"
    (stale / "replications").mkdir(parents=True)
    (stale / "summary.parquet").write_bytes(b"half")
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as sleeper:
        live = tmp_path / f".study.partial-{sleeper.pid}"  # another run, still writing
        live.mkdir()
        try:
            results = sib.run(sib.load_scenario(ROOT / "scenarios" / "bostad_forst.yaml"), reps=4, executor="serial")
            write_study(results, out)
            assert (out / "manifest.json").is_file()
            assert not stale.exists(), "a dead run's half-written folder was left"
            assert live.is_dir(), "a live run's folder was removed"
        finally:
            sleeper.kill()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != live.name) == ["study"]
    assert os.listdir(out)
