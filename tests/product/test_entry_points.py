"""A study runs on the default pool however Python was started: a script without a main guard,
code piped to ``python -``, ``python -c``, an interactive session — each gives the numbers a
run in this process gives (the pool is loky's: its workers never re-run the caller's
``__main__``)."""

from __future__ import annotations

import os
import subprocess
import sys

from helpers_paths import REPO

import sib

ROOT = REPO
BOSTAD = ROOT / "scenarios" / "bostad_forst.yaml"

#: What a new user writes first: no main guard, the default pool (of one worker here: each
#: process may use one core, which is all the test needs and spares the machine eight starts of Python).
STUDY = f"""
import sib
results = sib.run(sib.load_scenario({str(BOSTAD)!r}), reps=6, seed=11)
print("RESULT", results.summary["commissioner_paid"].sum().round(2))
"""


def _said(completed: subprocess.CompletedProcess) -> float:
    lines = [line for line in completed.stdout.splitlines() if line.startswith("RESULT ")]
    assert completed.returncode == 0 and lines, completed.stdout + completed.stderr
    assert "Traceback" not in completed.stderr, completed.stderr
    return float(lines[0].split()[1])


def test_every_way_of_starting_python_runs_a_study_with_the_same_numbers(tmp_path):
    script = tmp_path / "study.py"
    script.write_text(STUDY, encoding="utf-8")
    python = sys.executable
    forms = {
        "a script without a main guard": ([python, str(script)], None),
        "code piped to python -": ([python, "-"], STUDY),
        "python -c": ([python, "-c", STUDY], None),
        "an interactive session": ([python, "-i", "-q"], STUDY),
    }
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SIB_SCHEDULER": ""}
    cores = sorted(os.sched_getaffinity(0))
    pins = [{cores[i % len(cores)]} for i in range(len(forms))]
    started = {
        name: subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env=env,
            preexec_fn=lambda pin=pins[i]: os.sched_setaffinity(0, pin),
        )
        for i, (name, (argv, _)) in enumerate(forms.items())
    }
    said = {}
    for name, proc in started.items():
        out, err = proc.communicate(forms[name][1], timeout=180)
        said[name] = _said(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    here = sib.run(sib.load_scenario(BOSTAD), reps=6, seed=11, executor="serial").summary["commissioner_paid"].sum().round(2)
    assert said == dict.fromkeys(forms, here)
