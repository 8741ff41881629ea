"""SciPy's ``ndtri`` and ``gammaincinv`` callable from numba-compiled code, with the on-disk cache.

The compiled path walk needs the inverse normal and inverse gamma CDFs. Calling SciPy's C
functions through ctypes would work but stops numba caching the kernel ("dynamic globals"), so
every worker process would compile it afresh. Instead each function's address is registered
with LLVM under a fixed symbol name and the kernel calls that name: the cached machine code
refers to the name, which is bound again at every import. The numbers are SciPy's own
(``scipy.special.cython_special``), bit for bit. With ``NUMBA_DISABLE_JIT=1`` the kernels run as
Python and call the ``scipy.special`` ufuncs, the same C code.
"""

from __future__ import annotations

import llvmlite.binding as llvm
import numba
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import get_cython_function_address, intrinsic
from scipy import special


def _c_function(name: str, arity: int):
    """An intrinsic calling ``cython_special.<name>`` (doubles in, a double out)."""
    symbol = f"sib_scipy_{name}"
    llvm.add_symbol(symbol, get_cython_function_address("scipy.special.cython_special", name))

    def codegen(context, builder, signature, args):
        fnty = ir.FunctionType(ir.DoubleType(), [ir.DoubleType()] * arity)
        return builder.call(cgutils.get_or_insert_function(builder.module, fnty, symbol), args)

    return codegen


_ndtri_codegen = _c_function("ndtri", 1)
_gammaincinv_codegen = _c_function("gammaincinv", 2)


@intrinsic
def _ndtri(typingctx, x):
    return types.float64(types.float64), _ndtri_codegen


@intrinsic
def _gammaincinv(typingctx, a, y):
    return types.float64(types.float64, types.float64), _gammaincinv_codegen


if numba.config.DISABLE_JIT:  # the kernels run as Python: the ufuncs are the same C functions
    ndtri, gammaincinv = special.ndtri, special.gammaincinv
else:
    ndtri, gammaincinv = _ndtri, _gammaincinv
