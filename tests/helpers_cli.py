"""The ``sib`` command run in this process: ``sib.cli.main`` with its arguments, what it prints
captured, an exit of argparse's turned into its code. The same code the installed command runs
(the entry point itself, started as a user starts it, is tested in tests/product/); only
Python's start and sib's imports, a few seconds a call, are left out. Tests of what only a
process has (signals, a kill, several runs at once, a Dask cluster) start real ones."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

from sib.cli import main


@dataclass(frozen=True)
class Said:
    """What a command said: as ``subprocess.CompletedProcess`` has it."""

    returncode: int
    stdout: str
    stderr: str


def command(*args: str) -> Said:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: --help (0) or a bad argument (2)
            code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    return Said(code, out.getvalue(), err.getvalue())
