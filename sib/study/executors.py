"""Where replications run: in this process, in a local process pool, or on a Dask cluster.

Results never depend on the choice: replication i always draws from its own streams, and
batches come back in order. The local pool is loky's: its workers are fresh interpreters
(fork and exec) that never re-run the caller's ``__main__``, so a study starts the same from a
script without an ``if __name__ == "__main__":`` guard, from code piped to ``python -``, from
``python -c``, a notebook, the dashboard or the CLI. It is started once per process and
reused; its workers ignore Ctrl-C (the parent alone decides how to stop) and end when their
parent does.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future
from typing import Any

from sib.i18n import say


# The two ways a run ends early, here with the pool (light to import: the command line names
# them before it loads numpy and the engine).
class PoolFailed(RuntimeError):
    """The local pool's worker processes could not start, or one died while working (out of
    memory, killed): said in one line, with the exit codes the pool saw."""


class RunInterrupted(Exception):
    """Ctrl-C (or SIGTERM) stopped a run; ``done`` of ``total`` replications had finished."""

    def __init__(self, done: int, total: int):
        self.done, self.total = done, total
        super().__init__(
            say("avbröts efter {done} av {total} simuleringar", "stopped after {done} of {total} replications", done=done, total=total)
        )


class SerialExecutor(Executor):
    """Runs each task in this process when its result is asked for: for small runs, tests and
    debugging. Lazily, so that the caller's loop, not ``submit``, is where the work happens
    (a stopped run then knows how far it came)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        return _Deferred(fn, args, kwargs)


def send(pool: Executor, fn: Callable[..., Any], *args: Any) -> Future:
    """``pool.submit(fn, *args)`` with the arguments pickled here and now.

    A process pool pickles a task in a thread of its own, when a worker is free for it, and
    by then the caller may be filling a cache inside an object the task holds; the pickler
    then fails ("dictionary changed size during iteration") or sends the object as it is at
    that later moment. Pickled at once, a task is what it was when it was sent."""
    if isinstance(pool, SerialExecutor):
        return pool.submit(fn, *args)
    return pool.submit(_unpickled, fn, pickle.dumps(args, protocol=pickle.HIGHEST_PROTOCOL))


def _unpickled(fn: Callable[..., Any], args: bytes) -> Any:
    """In the worker: ``fn`` called with the arguments ``send`` pickled."""
    return fn(*pickle.loads(args))


class _Deferred(Future):
    """A future whose work is done by the first ``result()``."""

    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict[str, Any]):
        super().__init__()
        self._work: tuple | None = (fn, args, kwargs)

    def result(self, timeout: float | None = None) -> Any:
        if self._work is not None and not self.cancelled():
            fn, args, kwargs = self._work
            self._work = None
            try:
                self.set_result(fn(*args, **kwargs))
            except KeyboardInterrupt:
                self._work = (fn, args, kwargs)
                raise
            except BaseException as exc:  # noqa: BLE001 (kept for the caller, as a pool would)
                self.set_exception(exc)
        return super().result(timeout)


def workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextlib.contextmanager
def held_signals() -> Iterator[None]:
    """Ctrl-C and SIGTERM, where they would raise KeyboardInterrupt, wait until the block ends.

    Starting or stopping a pool takes locks and writes to pipes in the library's own code; an
    exception raised in the middle of that can leave a lock held or a worker half started,
    and the run then hangs instead of stopping. Held here, the signal is delivered the moment
    the block is left, where stopping is clean. Outside the main thread (where Python delivers
    no signals) this does nothing."""
    held: list[int] = []
    try:
        with _stop_handlers(lambda previous: lambda number, frame: held.append(number)) as previous:
            yield
    finally:
        if held:
            previous[held[0]](held[0], None)


@contextlib.contextmanager
def _stop_handlers(make: Callable[[dict[int, Any]], Callable[[int, Any], None]]) -> Iterator[dict[int, Any]]:
    """For the block, Ctrl-C's and SIGTERM's Python handlers (Python's own, or a caller's such
    as the CLI's SIGTERM) are replaced by ``make(previous)``; yields ``previous`` (signal → the
    handler restored after). Outside the main thread, where Python delivers no signals, nothing
    is replaced and ``previous`` is empty."""
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        replacement = make(previous)
        for signum in (signal.SIGINT, signal.SIGTERM):
            if callable(signal.getsignal(signum)):
                previous[signum] = signal.signal(signum, replacement)
    try:
        yield previous
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


#: The stop signals (Ctrl-C, SIGTERM) received during the ``stoppable`` block now running.
_asked: list[int] = []


@contextlib.contextmanager
def stoppable() -> Iterator[None]:
    """A run: a stop signal raises KeyboardInterrupt as before, and is also remembered.

    Python drops an exception raised where nobody can catch it — in a weakref callback or a
    ``__del__`` it prints "Exception ignored" and goes on — so a signal that lands there would
    be lost and the run would go on to its end. Remembered, ``stop_asked`` sees it at the next
    wait for a worker. Outside the main thread this does nothing."""

    def remembering(previous: dict[int, Any]) -> Callable[[int, Any], None]:
        def remember(number: int, frame: Any) -> None:
            _asked.append(number)
            previous[number](number, frame)

        return remember

    try:
        with _stop_handlers(remembering):
            yield
    finally:
        _asked.clear()


def remember_stop(signum: int) -> None:
    """A stop asked for before the run began (the command line's own handler): the run's
    first look sees it."""
    _asked.append(signum)


def forget_stops() -> None:
    """The stops asked for are done with (the command has ended)."""
    _asked.clear()


def stop_asked() -> bool:
    """Whether a stop signal came during the ``stoppable`` block now running, or before it
    from the command line's handler."""
    return bool(_asked)


def outcome(future: Future) -> Any:
    """``future.result()``, looking up twice a second to see whether a stop was asked for
    (KeyboardInterrupt then, even if the signal's own exception was lost)."""
    while True:
        try:
            return future.result(timeout=0.5)
        except TimeoutError:
            if stop_asked():
                raise KeyboardInterrupt from None


def _worker_start(owner: int) -> None:
    """In each worker: Ctrl-C is the owner's to handle; and when the owning process is gone
    (even killed outright, or not yet reaped) the worker goes too, rather than wait for work
    forever. A worker is the owner's child, so the owner's end shows as a new parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == owner:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="sib-owner-watch", daemon=True).start()


_pools: dict[int, Any] = {}  # loky's ProcessPoolExecutor (untyped) by size


def default_pool() -> Any:
    """The local process pool, sized to the machine, started on first use and then reused."""
    return local_pool(workers())


def local_pool(size: int) -> Any:
    """A local pool of ``size`` worker processes, started once and reused."""
    if size < 1:
        raise ValueError(say("workers måste vara minst 1, angivet: {n}", "workers must be >= 1, got {n}", n=size))
    pool = _pools.get(size)
    if pool is None:
        from loky import ProcessPoolExecutor

        pool = _pools[size] = ProcessPoolExecutor(max_workers=size, initializer=_worker_start, initargs=(os.getpid(),))
        if len(_pools) == 1:
            atexit.register(shutdown)
    return pool


#: Seconds a stopped pool's manager thread is given to kill the workers and end.
STOP_WAIT = 5.0


def stop(executor: Any, futures: Iterable[Future] = ()) -> None:
    """After Ctrl-C: a local pool of ours kills its workers now (what they compute nobody
    wants; its futures fail) and is started afresh next time; on another executor, left to
    its owner, ``futures`` are cancelled."""
    for size, pool in list(_pools.items()):
        if pool is executor:
            del _pools[size]
            with held_signals():
                pool.shutdown(wait=False, kill_workers=True)
            manager = getattr(pool, "_executor_manager_thread", None)
            if manager is not None:
                manager.join(STOP_WAIT)
            return
    for future in futures:
        future.cancel()


def shutdown() -> None:
    """Stop the local pools (at exit, or to free their memory)."""
    for pool in _pools.values():
        pool.shutdown(wait=False, kill_workers=True)
    _pools.clear()


def resolve(executor: Any = None, scheduler: str | None = None) -> Executor:
    """The executor to use: None → the default pool (or the Dask cluster at ``scheduler``, or
    at ``$SIB_SCHEDULER``); "serial" → this process; a Dask ``Client`` → its executor; any
    ``concurrent.futures.Executor`` as it is."""
    if executor is None:
        address = scheduler or os.environ.get("SIB_SCHEDULER")
        if address:
            return dask_executor(address)
        return default_pool()
    if executor == "serial":
        return SerialExecutor()
    if isinstance(executor, Executor):
        return executor
    if hasattr(executor, "get_executor"):  # a dask.distributed Client
        return executor.get_executor()
    raise TypeError(
        say(
            "executor måste vara None, 'serial', en concurrent.futures.Executor eller en Dask Client, angivet: {name}",
            "executor must be None, 'serial', a concurrent.futures.Executor or a Dask Client, got {name}",
            name=type(executor).__name__,
        )
    )


_clients: dict[str, Any] = {}


class SchedulerUnreachable(RuntimeError):
    """The Dask scheduler a run was sent to cannot be reached: said in one line."""


def dask_executor(address: str) -> Executor:
    """An executor on the Dask scheduler at ``address`` (tcp://host:port), connected once."""
    client = _clients.get(address)
    if client is None:
        from distributed import Client

        try:
            client = _clients[address] = Client(address, timeout="10s")
        except (OSError, TimeoutError) as exc:  # refused, no such host, no answer within 10 s
            raise SchedulerUnreachable(
                say(
                    "Dask-schemaläggaren på {address} svarar inte: {why}",
                    "the Dask scheduler at {address} does not answer: {why}",
                    address=address,
                    why=" ".join(str(exc).split()) or type(exc).__name__,
                )
            ) from None
    return client.get_executor()


def capacity(executor: Executor) -> int:
    """How many tasks the executor runs at once (for sizing batches)."""
    if isinstance(executor, SerialExecutor):
        return 1
    found = getattr(executor, "_max_workers", None)
    if found:
        return int(found)
    client = getattr(executor, "_client", None)
    if client is not None:
        try:
            return max(1, sum(client.nthreads().values()))
        except Exception:  # noqa: BLE001 (sizing only; a guess will do)
            return workers()
    return workers()
