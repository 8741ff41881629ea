"""Thousands of generated and mutated scenario files, each through ``sib validate`` and, where
valid, one replication (``sib run FILE --replication 0``), as a user's file goes. ``make
validate`` runs 10 000; every one must end within 10 s, under 1 GiB, with exit 0 or 2 and no
traceback.

    python tests/fuzz_files.py [--files 10000] [--seed 1] [--jobs 2] [--failures DIR]

Each file runs in a child forked from a process that has loaded sib and compiled its kernels
once (a fresh interpreter per file would spend most of the time starting Python): the child
calls the command's own ``main``, so what it does is exactly what ``sib`` does with the file.
The parent times each child, stops one that passes 10 s, and reads its peak memory from the
kernel's accounting of it (``wait4``; it includes what the child shares with the parent, about
300 MB). The files: the hostile files and mutations of ``helpers_fuzz`` (tree mutations of the
reference scenarios priced on 20 replications, text mutations of the files as written, which
price on their own 400), and cases aimed at the limits (``AIMED``). Each is written into a
folder beside copies of the reference scenarios, so that ``extends`` finds its base. A failing
file is kept with its output in ``--failures`` and named with its case, to be run again.
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from helpers_fuzz import RAWS, SPECIAL, text_mutant, tree_mutant  # noqa: E402

SCENARIOS = HERE.parent / "scenarios"
SECONDS = 10.0  # a file that takes longer is a hang
MEMORY = 1 << 30  # a file that takes more is a failure (bytes of peak resident memory)
ADDRESS_SPACE = 6 << 30  # a child's hard limit, so that a runaway one cannot take the machine down

BOSTAD = (SCENARIOS / "bostad_forst.yaml").read_text(encoding="utf-8")


def _bostad(**replace: str) -> str:
    text = BOSTAD
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


#: Cases aimed at the limits and at what once went wrong (issue 15): each is a plausible file
#: near an edge, not noise.
AIMED: list[tuple[str, str]] = [
    ("a number in quotes", _bostad(**{"payment_terms_days: 30": 'payment_terms_days: "30"'})),
    ("base 60", _bostad(**{"places: 110": "places: 1:50"})),
    ("a yes/no value for a number", _bostad(**{"places: 110": "places: yes"})),
    ("rich markup in the name", _bostad(**{"\nname: ": "\nname: '[bold]x[/] [/] [utkast]' #"})),
    ("markdown in the name", _bostad(**{"\nname: ": "\nname: '![x](http://example.invalid/a.png) [l](javascript:x) `` `' #"})),
    ("a start date far in the future", _bostad(**{"start_date: 2027-01-01": "start_date: 9999-06-01"})),
    ("a start date long ago", _bostad(**{"start_date: 2027-01-01": "start_date: 1900-01-01"})),
    (
        "referrals at their limit, pricing at the joint limit",
        _bostad(**{"\ncontract:\n": "\ncontract:\n  pricing: {replications: 83}\n", "    per_month: {": "    per_month: 1000 #{"}),
    ),
    (
        "referrals and pricing each at their limit",
        _bostad(**{"\ncontract:\n": "\ncontract:\n  pricing: {replications: 10000}\n", "    per_month: {": "    per_month: 1000 #{"}),
    ),
    ("no places at all", _bostad(**{"places: 110": "places: 0"})),
    ("unlimited places", _bostad(**{"places: 110": "places: null"})),
    ("an amount in scientific notation", _bostad(**{"opening_equity: 2000000": "opening_equity: 2e6"})),
    ("an amount past the bound in scientific notation", _bostad(**{"opening_equity: 2000000": "opening_equity: 1.5e12"})),
]


@dataclass
class Outcome:
    label: str
    valid: bool  # validate said OK (and the replication was run)
    seconds: float
    peak: int  # bytes
    problem: str | None  # None: the file passed


def cases(n: int, seed: int, fixed: bool = True) -> Iterator[tuple[str, str | bytes]]:
    """``n`` files: the hostile and aimed ones first (unless not ``fixed``), then mutations
    (7 tree : 3 text)."""
    first = [(f"hostile: {label}", text) for label, text in SPECIAL] + [(f"aimed: {label}", text) for label, text in AIMED]
    first = first[:n] if fixed else []
    yield from first
    r = random.Random(seed)
    for i in range(len(first), n):
        label, text = tree_mutant(r, CHEAP) if r.random() < 0.7 else text_mutant(r)
        yield f"#{i} {label}", text


def _cheap(raws: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    """The reference scenarios priced on 20 replications, for tree mutations: pricing is what a
    valid file spends its time on, and the mutations are about the file, not the price."""
    out = []
    for name, raw in raws:
        raw = copy.deepcopy(raw)
        raw.setdefault("contract", {}).setdefault("pricing", {})["replications"] = 20
        out.append((name, raw))
    return out


CHEAP = _cheap(RAWS)


def _child(path: Path, log: int) -> None:
    """In the forked child: the file through ``sib validate``, then one replication."""
    os.dup2(log, 1)
    os.dup2(log, 2)
    # Python's own streams onto them too (a caller such as pytest may have replaced them).
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 (open for the rest of the child)
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    code = 70
    try:
        from sib.cli import main

        code = main(["validate", str(path), "--lang", "en"])
        print(f"\n@@ validate {code}", flush=True)
        if code == 0:
            code = main(["run", str(path), "--replication", "0", "--lang", "en"])
            print(f"\n@@ run {code}", flush=True)
    except BaseException:  # noqa: BLE001 - anything that escapes the command is what we look for
        traceback.print_exc()
        code = 70
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _judge(label: str, status: int, usage: resource.struct_rusage, seconds: float, stopped: bool, output: str) -> Outcome:
    code = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss * 1024
    valid = "@@ validate 0" in output
    if stopped:
        problem = f"did not end within {SECONDS:.0f} s"
    elif code < 0:
        problem = f"killed by signal {-code}"
    elif "Traceback" in output:
        problem = "a traceback"
    elif code not in (0, 2):
        problem = f"exit code {code}"
    elif peak > MEMORY:
        problem = f"peak memory {peak / 2**20:.0f} MB"
    else:
        problem = None
    return Outcome(label, valid, seconds, peak, problem)


def warm(folder: Path) -> None:
    """Load sib and compile its kernels here, once, so that each child starts warm."""
    from sib.cli import main

    with open(os.devnull, "w") as null:
        saved = os.dup(1)
        os.dup2(null.fileno(), 1)
        try:
            main(["run", str(folder / "bostad_forst.yaml"), "--replication", "0", "--lang", "en"])
        finally:
            os.dup2(saved, 1)


def fuzz(n: int, seed: int, jobs: int, failures: Path | None, fixed: bool = True) -> list[Outcome]:
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="sib-fuzz-") as work:
        folder = Path(work)
        for p in SCENARIOS.glob("*.yaml"):
            shutil.copy(p, folder / p.name)
        warm(folder)
        running: dict[int, tuple[str, Path, Path, float]] = {}
        pending = iter(enumerate(cases(n, seed, fixed)))
        stopped: set[int] = set()
        exhausted = False
        while running or not exhausted:
            while len(running) < jobs and not exhausted:
                try:
                    i, (label, text) = next(pending)
                except StopIteration:
                    exhausted = True
                    break
                path, log = folder / f"case-{i:05d}.yaml", folder / f"case-{i:05d}.out"
                if isinstance(text, bytes):
                    path.write_bytes(text)
                else:
                    path.write_text(text, encoding="utf-8")
                with open(log, "wb") as out:
                    pid = os.fork()
                    if pid == 0:
                        _child(path, out.fileno())
                running[pid] = (label, path, log, time.monotonic())
            pid, status, usage = os.wait4(-1, os.WNOHANG)
            now = time.monotonic()
            if pid == 0:
                for p, (_, _, _, started) in running.items():
                    if now - started > SECONDS and p not in stopped:
                        os.kill(p, 9)
                        stopped.add(p)
                time.sleep(0.002)
                continue
            label, path, log, started = running.pop(pid)
            output = log.read_text(encoding="utf-8", errors="replace")
            outcome = _judge(label, status, usage, now - started, pid in stopped, output)
            stopped.discard(pid)
            outcomes.append(outcome)
            if outcome.problem is not None and failures is not None:
                failures.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, failures / path.name)
                (failures / log.name).write_text(f"{label}\n{outcome.problem}\n\n{output}", encoding="utf-8")
            path.unlink()
            log.unlink()
    return outcomes


def report(outcomes: list[Outcome], seconds: float) -> str:
    failed = [o for o in outcomes if o.problem is not None]
    kinds = Counter(o.problem.split(" ")[0] if o.problem else "passed" for o in outcomes)
    slowest = max(outcomes, key=lambda o: o.seconds)
    largest = max(outcomes, key=lambda o: o.peak)
    lines = [
        f"{len(outcomes)} files in {seconds / 60:.1f} min: {sum(o.valid for o in outcomes)} valid (validated and simulated), "
        f"{sum(not o.valid for o in outcomes)} refused with their problems",
        f"failures: {len(failed)} ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()) if k != 'passed') or 'none'})",
        f"slowest: {slowest.seconds:.1f} s ({slowest.label[:90]})",
        f"largest: {largest.peak / 2**20:.0f} MB ({largest.label[:90]})",
    ]
    lines += [f"  FAILED {o.label[:100]}: {o.problem}" for o in failed[:30]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--failures", type=Path, default=Path("fuzz-failures"), help="where failing files are kept")
    args = parser.parse_args(argv)
    t0 = time.monotonic()
    outcomes = fuzz(args.files, args.seed, args.jobs, args.failures)
    print(report(outcomes, time.monotonic() - t0))
    return 1 if any(o.problem for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
