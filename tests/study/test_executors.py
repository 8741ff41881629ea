"""Where replications run (sib/study/executors.py): what a caller who picks the executor sees
when the choice is wrong, when a task fails in this process, and when the pool is stopped."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from helpers_paths import REPO

import sib
from sib.study import executors
from sib.study.executors import SerialExecutor


@pytest.fixture(scope="module")
def scenario():

    return sib.load_scenario(REPO / "scenarios" / "bostad_forst.yaml")


def test_an_executor_of_an_unknown_kind_is_refused_by_name(scenario):
    with pytest.raises(TypeError, match="executor must be None, 'serial', .* got str"):
        sib.run(scenario, reps=2, executor="threads")
    with pytest.raises(TypeError, match="got int"):
        sib.run(scenario, reps=2, executor=4)


def test_a_pool_without_workers_is_refused():
    with pytest.raises(ValueError, match="workers must be >= 1, got 0"):
        executors.local_pool(0)


def test_a_failing_task_fails_its_future_but_ctrl_c_stops_the_caller():
    serial = SerialExecutor()
    future = serial.submit(int, "not a number")
    with pytest.raises(ValueError, match="invalid literal"):
        future.result()
    assert serial.submit(int, "12").result() == 12

    def interrupted():
        raise KeyboardInterrupt

    stopped = serial.submit(interrupted)  # run where its result is asked for, not in submit
    with pytest.raises(KeyboardInterrupt):
        stopped.result()


def test_capacity_is_what_the_executor_runs_at_once():
    assert executors.capacity(SerialExecutor()) == 1
    with ThreadPoolExecutor(3) as threads:
        assert executors.capacity(threads) == 3
    assert executors.capacity(executors.resolve(None)) == executors.workers()


def test_stop_leaves_an_executor_it_does_not_own_running():
    with ThreadPoolExecutor(1) as threads:
        executors.stop(threads)
        assert threads.submit(sum, [1, 2]).result() == 3


def test_a_task_carries_its_arguments_as_they_were_when_it_was_sent():
    """The pool pickles a task when a worker is free for it: the caller, going on meanwhile
    (filling a cache in an object the task holds), made the pickler fail with 'dictionary
    changed size during iteration' in the dashboard's sweep. ``send`` pickles at once."""
    import time

    pool = executors.local_pool(1)
    busy = executors.send(pool, time.sleep, 1.0)  # the one worker is busy: the rest wait in the pool
    held = {i: i for i in range(1000)}
    futures = [executors.send(pool, len, held) for _ in range(6)]
    held.clear()  # as the caller goes on
    busy.result()
    assert [f.result() for f in futures] == [1000] * 6


def test_a_stop_asked_for_before_the_run_whose_exception_was_lost_still_stops_it(scenario):
    """The command's handler remembers a stop as well as raising it: a SIGTERM that landed in a
    callback of numba's compiler, before the run began, was lost there (Python only reports
    it), and a run of 100 000 replications went on to its end. The run's first look sees it."""
    import signal

    from sib.scenario.edit import with_values

    sc = with_values(scenario, {"contract.pricing.replications": 20})
    executors.remember_stop(signal.SIGTERM)
    try:
        with pytest.raises(sib.RunInterrupted) as stopped:
            sib.run(sc, reps=100_000, executor="serial")
    finally:
        executors.forget_stops()
    assert (stopped.value.done, stopped.value.total) == (0, 100_000)
    assert not executors.stop_asked(), "a finished run leaves no stop behind for the next"
