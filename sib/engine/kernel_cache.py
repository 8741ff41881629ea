"""numba's on-disk cache for kernels that call kernels in other files.

numba keys a cached function by the contents of its own file only, but a kernel that calls a
function from another module carries that function's machine code in its own cache. Change
the callee's file alone and the caller would load stale machine code. The account's rules are
compiled from several modules (``account_kernels``, ``investor``, ``estate``,
``treasury_kernels``), so their kernels are stamped with the contents of all of them:
changing any one recompiles every kernel of the group.

Import this module before the group's kernels are decorated (each of them does).
"""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: The files whose kernels call each other: a change to one is a change to all.
ACCOUNT_GROUP = tuple(str(HERE / name) for name in ("account_kernels.py", "investor.py", "estate.py", "treasury_kernels.py"))


def group_stamp(files: tuple[str, ...] = ACCOUNT_GROUP) -> str:
    """The hash of the group's sources: what a cached kernel of the group was compiled from."""
    digest = hashlib.sha256()
    for name in files:
        digest.update(Path(name).read_bytes())
    return digest.hexdigest()


def _install() -> None:
    """Put a locator in front of numba's own that stamps the group's kernels with
    ``group_stamp`` (and every other function as numba does)."""
    try:
        from numba.core import caching
    except ImportError:  # pragma: no cover - numba without its cache machinery
        return
    impl = getattr(caching, "CompileResultCacheImpl", None)
    classes = getattr(impl, "_locator_classes", None)
    if classes is None or any(getattr(c, "_sib_group", False) for c in classes):
        if classes is None:  # pragma: no cover - a numba whose internals moved: keep its own stamps
            warnings.warn("sib: numba's cache locators moved; kernels of the account are stamped by their own file only", stacklevel=2)
        return
    group = {str(Path(f)) for f in ACCOUNT_GROUP}

    def grouped(base):
        class Grouped(base):
            _sib_group = True

            def get_source_stamp(self):
                return group_stamp()

            @classmethod
            def from_function(cls, py_func, py_file):
                if str(Path(py_file).resolve()) not in group:
                    return None
                return super().from_function(py_func, py_file)

        Grouped.__name__ = f"Grouped{base.__name__}"
        return Grouped

    # numba tries the locators in order: the same order, the group's versions first.
    classes[:0] = [grouped(c) for c in classes if c.__name__ in ("UserProvidedCacheLocator", "InTreeCacheLocator", "UserWideCacheLocator")]


_install()
