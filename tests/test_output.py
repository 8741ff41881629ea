"""Writing one replication's folder (sib/output.py) from the command line: runs that write into
one folder at once keep every replication, and a folder that cannot be written is refused
before the simulating."""

from __future__ import annotations

import json
import subprocess
import sys

from helpers_cli import command
from helpers_paths import REPO

ROOT = REPO
BOSTAD = ROOT / "scenarios" / "bostad_forst.yaml"


def _run(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sib.cli", "run", str(BOSTAD), *args, "--lang", "en"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )


def test_runs_writing_into_one_folder_at_once_keep_every_replication(tmp_path):
    out = tmp_path / "together"
    started = [_run("--replication", str(i), "--out", str(out)) for i in (0, 1, 2, 5)]
    for proc in started:
        said, _ = proc.communicate(timeout=180)
        assert proc.returncode == 0, said
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["replications"] == [0, 1, 2, 5]
    assert all((out / "replications" / str(i) / "ledger.csv").is_file() for i in (0, 1, 2, 5))


def test_a_folder_that_cannot_be_written_is_refused_before_the_simulating(tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder", encoding="utf-8")
    said = command("run", str(BOSTAD), "--lang", "en", "--replication", "0", "--out", str(blocker / "results"))
    assert said.returncode == 2 and "cannot write the results" in said.stdout and "Traceback" not in said.stdout + said.stderr, said
    assert "Municipality" not in said.stdout, "the key figures were computed (and shown) before the folder was tried"
