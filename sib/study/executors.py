"""Where replications run: in this process, in a local process pool, or on a Dask cluster.

Results never depend on the choice: replication i always draws from its own streams, and
batches come back in order. The default pool is started once per process, forked from a
server that has already imported sib (so a warm pool starts a batch at once), and its workers
ignore Ctrl-C: the parent alone decides how to stop.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import signal
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Executor, Future, InvalidStateError, ProcessPoolExecutor
from typing import Any

from sib.i18n import say


class SerialExecutor(Executor):
    """Runs each task when it is submitted, here: for small runs, tests and debugging."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            future.set_exception(exc)
        return future


def workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _worker_start(owner: int) -> None:
    """In each worker: Ctrl-C is the owner's to handle; and when the owning process is gone
    (even killed outright) the worker goes too, rather than wait for work forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(owner, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # alive, under another user: keep going
                pass

    threading.Thread(target=watch, name="sib-owner-watch", daemon=True).start()


_pools: dict[int, ProcessPoolExecutor] = {}


def default_pool() -> ProcessPoolExecutor:
    """The local process pool, sized to the machine, started on first use and then reused."""
    return local_pool(workers())


def local_pool(size: int) -> ProcessPoolExecutor:
    """A local pool of ``size`` worker processes, started once and reused."""
    if size < 1:
        raise ValueError(say("workers måste vara minst 1, angivet: {n}", "workers must be >= 1, got {n}", n=size))
    pool = _pools.get(size)
    if pool is None:
        context = multiprocessing.get_context("forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn")
        if context.get_start_method() == "forkserver":
            context.set_forkserver_preload(["sib.study.batch"])
        pool = _pools[size] = ProcessPoolExecutor(max_workers=size, mp_context=context, initializer=_worker_start, initargs=(os.getpid(),))
        if len(_pools) == 1:
            atexit.register(shutdown)
    return pool


#: Seconds a stopped pool's manager thread is given to end before its workers are killed.
STOP_WAIT = 5.0
#: Set when a stopped pool's manager thread did not end in time: the interpreter would wait
#: for it at exit.
_stuck = False


def stuck() -> bool:
    """Whether a pool stopped after Ctrl-C left a thread behind that would hold up the exit."""
    return _stuck


#: Manager threads of pools we stopped: a result a worker sent just before it was terminated
#: may reach its future after ``shutdown(cancel_futures=True)`` cancelled it, and Python 3.11's
#: manager thread then dies with InvalidStateError — harmless (nobody wants the result), but
#: its traceback would follow the "stopped after n of N" message.
_stopped_managers: weakref.WeakSet[threading.Thread] = weakref.WeakSet()
_previous_hook = threading.excepthook


def _quiet_stopped_managers(args: threading.ExceptHookArgs) -> None:
    if args.thread in _stopped_managers and isinstance(args.exc_value, InvalidStateError):
        return
    _previous_hook(args)


threading.excepthook = _quiet_stopped_managers


def stop(executor: Executor) -> bool:
    """After Ctrl-C: a local pool of ours stops its workers now (what they compute nobody
    wants) and is started afresh next time; another executor is left to its owner. Returns
    whether the pool ended within ``STOP_WAIT`` seconds: a signal that lands while the pool is
    still starting a worker can leave its manager thread waiting on a pipe for good, and the
    run must end anyway (the CLI then exits without waiting for it)."""
    global _stuck
    for size, pool in list(_pools.items()):
        if pool is executor:
            del _pools[size]
            processes = list((getattr(pool, "_processes", None) or {}).values())
            # The work still queued for the workers is dropped with them: without this the queue's
            # feeder thread, blocked writing to a pipe nobody reads any more, holds up the exit.
            call_queue = getattr(pool, "_call_queue", None)
            if call_queue is not None:
                call_queue.cancel_join_thread()
            manager = getattr(pool, "_executor_manager_thread", None)
            if manager is not None:
                _stopped_managers.add(manager)
            for process in processes:
                process.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
            if manager is not None:
                manager.join(STOP_WAIT)
                if manager.is_alive():
                    for process in processes:
                        process.kill()
                    _stuck = True
                    return False
    return True


def shutdown() -> None:
    """Stop the local pools (at exit, or to free their memory)."""
    for pool in _pools.values():
        pool.shutdown(wait=False, cancel_futures=True)
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
    raise TypeError(say("executor måste vara None, 'serial', en concurrent.futures.Executor eller en Dask Client, angivet: {name}",
                        "executor must be None, 'serial', a concurrent.futures.Executor or a Dask Client, got {name}",
                        name=type(executor).__name__))


_clients: dict[str, Any] = {}


def dask_executor(address: str) -> Executor:
    """An executor on the Dask scheduler at ``address`` (tcp://host:port), connected once."""
    client = _clients.get(address)
    if client is None:
        from distributed import Client

        client = _clients[address] = Client(address, timeout="10s")
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
