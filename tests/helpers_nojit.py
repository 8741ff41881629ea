"""Run a test module's function in a Python process where numba compiles nothing."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent


def without_jit(module: str, function: str, tmp_path: Path, *args: Any) -> Any:
    """``module.function(*args)`` in a fresh process with ``NUMBA_DISABLE_JIT=1``: the compiled
    kernels run as the Python they are written in, to compare with the machine code in this
    process (and so coverage sees their lines). Arguments and result travel pickled."""
    given, result = tmp_path / "nojit-args.pickle", tmp_path / "nojit-result.pickle"
    given.write_bytes(pickle.dumps(args))
    script = (
        "import pickle, sys\n"
        "sys.path[:0] = [sys.argv[1], sys.argv[1] + '/tests']\n"
        f"from {module} import {function} as run\n"
        "args = pickle.loads(open(sys.argv[2], 'rb').read())\n"
        "open(sys.argv[3], 'wb').write(pickle.dumps(run(*args)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(TESTS.parent), str(given), str(result)],
        env={**os.environ, "NUMBA_DISABLE_JIT": "1"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return pickle.loads(result.read_bytes())
