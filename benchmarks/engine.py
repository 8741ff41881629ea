"""Engine speed: simulate() replications per second on one core, against a raw-simpy yardstick.

The yardstick is 200 simpy processes each doing 1,000 ``env.timeout(1)``; its rate (timeouts
per second) says how fast this machine runs simpy right now. Runs are interleaved, five pairs,
and the medians and their ratio are printed, so a busy or slow machine shows as a slow
yardstick, not as a slow engine. Target (issue 2): bostad_forst at >= 400 replications/s when
the yardstick runs 0.69 million timeouts/s, in proportion elsewhere.

    python benchmarks/engine.py [--reps N] [--pairs 5] [scenario.yaml ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import simpy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sib
from sib.engine.compiled import compile_scenario
from sib.engine.model import Model
from sib.engine.streams import Streams

TARGET_RATE = 400.0  # bostad_forst replications per second ...
TARGET_YARDSTICK = 0.69e6  # ... at this many yardstick timeouts per second


def yardstick() -> float:
    """Raw simpy timeouts per second: 200 processes × 1,000 timeouts."""
    env = simpy.Environment()

    def proc(env):
        for _ in range(1000):
            yield env.timeout(1)

    for _ in range(200):
        env.process(proc(env))
    t = time.perf_counter()
    env.run()
    return 200_000 / (time.perf_counter() - t)


def engine_rate(scenario: sib.Scenario, reps: int, offset: int, finance: bool = True) -> float:
    """Replications per second of the engine alone: no tables are built. ``finance=False``
    leaves out the treasury (financing and insolvency), as pricing runs it."""
    compiled, terms = compile_scenario(scenario), sib.price(scenario).terms
    t = time.perf_counter()
    for i in range(reps):
        Model(compiled, terms, Streams(0, offset + i), finance=finance).run()
    return reps / (time.perf_counter() - t)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", type=Path)
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--no-finance", action="store_true", help="time the engine without financing and insolvency")
    args = parser.parse_args(argv)
    files = args.scenarios or sorted(p for p in (ROOT / "scenarios").glob("*.yaml"))
    print(f"{'scenario':32} {'reps/s':>9} {'yardstick/s':>12} {'ratio':>10} {'target reps/s':>14} {'of target':>9}")
    for path in files:
        scenario = sib.load_scenario(path)
        sib.price(scenario)  # pricing is per scenario, not per replication: keep it out of the timing
        engine_rate(scenario, 5, 10_000)  # warm caches
        rates, sticks = [], []
        for pair in range(args.pairs):
            sticks.append(yardstick())
            rates.append(engine_rate(scenario, args.reps, pair * args.reps, finance=not args.no_finance))
        rate, stick = statistics.median(rates), statistics.median(sticks)
        target = TARGET_RATE * stick / TARGET_YARDSTICK
        print(f"{path.stem:32} {rate:9.1f} {stick:12,.0f} {rate / stick * 1e6:10.1f} {target:14.1f} {rate / target:9.0%}")
    print("ratio = replications per million yardstick timeouts; target ratio", f"{TARGET_RATE / TARGET_YARDSTICK * 1e6:.1f}")


if __name__ == "__main__":
    main()
