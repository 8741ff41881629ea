"""Monte Carlo speed and memory: the process pool against one core, a warm comparison, and the
peak memory of a long study, each printed with the yardstick of the same run.

Targets (issue 4), in proportion to the yardstick (``benchmarks/engine.py``):
- pool throughput on 2 cores >= 85 % of twice the single-core rate (~700 bostad_forst
  replications per second at the issue-2 target on a 0.69 M timeouts/s yardstick);
- a 3-scenario comparison at 1,000 replications each in under 3 s on a warm pool;
- peak memory for 100,000 replications under 2 GiB (``--memory``: takes a minute or two).

    python benchmarks/montecarlo.py [--reps 2000] [--memory]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from engine import TARGET_RATE, TARGET_YARDSTICK, yardstick

import sib
from sib.study import executors

SCENARIOS = ROOT / "scenarios"


def rate(scenario: sib.Scenario, reps: int, executor) -> float:
    t = time.perf_counter()
    sib.run(scenario, reps, seed=1, executor=executor)
    return reps / (time.perf_counter() - t)


def _peak_gib(pid: int) -> float:
    """A live process's peak resident memory (Linux: VmHWM), in GiB; 0 where unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024**2
    except OSError:
        pass
    return 0.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=2000, help="replications per throughput measurement")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--memory", action="store_true", help="also run 100,000 replications and report peak memory")
    args = parser.parse_args(argv)

    bostad = sib.load_scenario(SCENARIOS / "bostad_forst.yaml")
    sib.price(bostad)
    pool = executors.default_pool()
    n = executors.capacity(pool)
    sib.run(bostad, 4 * n, executor=pool)  # start the workers, price and compile in each

    singles, pooled, sticks = [], [], []
    for _ in range(args.pairs):
        sticks.append(yardstick())
        singles.append(rate(bostad, max(200, args.reps // 4), "serial"))
        pooled.append(rate(bostad, args.reps, pool))
    single, multi, stick = (statistics.median(x) for x in (singles, pooled, sticks))
    target = 2 * TARGET_RATE * 0.85 * stick / TARGET_YARDSTICK
    print(f"yardstick: {stick:,.0f} timeouts/s (median of {args.pairs})")
    print(f"one core (serial study):   {single:8.1f} reps/s")
    print(f"pool of {n} workers:         {multi:8.1f} reps/s = {multi / (n * single):.0%} of {n} × one core (target >= 85 %)")
    print(f"pool against the proportional target {target:.0f} reps/s: {multi / target:.0%}")

    names = ["bostad_forst", "bostad_forst_utan_garanti", "bostad_forst_kommunal_borgen"]
    three = {k: sib.load_scenario(SCENARIOS / f"{k}.yaml") for k in names}
    sib.compare(three, reps=50, seed=0, executor=pool)  # warm: priced, compiled in the workers
    times = []
    for _ in range(args.pairs):
        t = time.perf_counter()
        sib.compare(three, reps=1000, seed=0, executor=pool)
        times.append(time.perf_counter() - t)
    print(f"compare 3 scenarios × 1,000 reps on a warm pool: {statistics.median(times):.2f} s (target < 3 s)")

    if args.memory:
        t = time.perf_counter()
        results = sib.run(bostad, 100_000, seed=2, executor=pool)
        results.summary, results.timeseries  # noqa: B018 (build the tables too)
        took = time.perf_counter() - t
        parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
        child = max((_peak_gib(p.pid) for p in (getattr(pool, "_processes", None) or {}).values()), default=0.0)
        print(
            f"100,000 replications: {took:.0f} s, peak memory: this process {parent:.2f} GiB, largest worker {child:.2f} GiB"
            f" (target < 2 GiB)"
        )


if __name__ == "__main__":
    main()
