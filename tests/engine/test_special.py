"""``sib/engine/special.py``: SciPy's inverse normal (``ndtri``) and inverse gamma
(``gammaincinv``) callable from numba-compiled code, so the compiled path walk draws lognormal
and gamma durations with SciPy's own numbers, and its machine code can still be cached on disk.
"""

from __future__ import annotations

import ctypes
import math

import numba
import numpy as np
import pytest
from numba.extending import get_cython_function_address
from scipy import special as scipy_special

from sib.engine.special import gammaincinv, ndtri

pytestmark = pytest.mark.skipif(numba.config.DISABLE_JIT, reason="without the JIT these are SciPy's ufuncs themselves")


@numba.njit
def _ndtri_each(u):
    out = np.empty(u.size)
    for i in range(u.size):
        out[i] = ndtri(u[i])
    return out


@numba.njit
def _gammaincinv_each(a, u):
    out = np.empty(u.size)
    for i in range(u.size):
        out[i] = gammaincinv(a[i], u[i])
    return out


UNIFORMS = np.array([1e-300, 1e-12, 0.001, 0.025, 0.1, 0.3, 0.5, 0.7, 0.9, 0.975, 0.999, 1 - 1e-12])


def test_compiled_code_gets_scipys_inverse_normal_bit_for_bit():
    np.testing.assert_array_equal(_ndtri_each(UNIFORMS), scipy_special.ndtri(UNIFORMS))
    z = _ndtri_each(np.array([0.5, 0.975, 0.025, 0.0, 1.0]))
    assert z[0] == 0.0
    assert z[1] == pytest.approx(1.959963984540054, abs=1e-15)  # the two-sided 95 % critical value
    assert z[2] == pytest.approx(-z[1], abs=1e-15)  # symmetric about the median
    assert z[3] == -math.inf and z[4] == math.inf


def test_compiled_code_gets_scipys_inverse_gamma_bit_for_bit():
    shapes = np.array([0.3, 1.0, 2.5, 7.0, 40.0])
    a, u = (g.ravel() for g in np.meshgrid(shapes, UNIFORMS))
    np.testing.assert_array_equal(_gammaincinv_each(a, u), scipy_special.gammaincinv(a, u))


def test_the_inverse_gamma_of_shape_one_is_the_exponential_quantile():
    """Gamma(1) is the exponential: its quantile is −ln(1 − u); the median is ln 2."""
    u = np.array([0.0, 0.1, 0.5, 0.9, 0.999])
    np.testing.assert_allclose(_gammaincinv_each(np.ones(u.size), u), -np.log1p(-u), rtol=1e-13, atol=0)


def test_a_kernel_calling_them_has_no_process_addresses_so_numba_can_cache_it():
    """A pointer called through ctypes is a "dynamic global": numba will not cache a kernel
    holding one, and every worker would compile the path walk afresh. The registered symbol
    keeps the kernel cacheable; the ctypes way, shown for contrast, does not."""
    compiled = _ndtri_each.overloads[_ndtri_each.signatures[0]].library
    assert not compiled.has_dynamic_globals
    gamma = _gammaincinv_each.overloads[_gammaincinv_each.signatures[0]].library
    assert not gamma.has_dynamic_globals

    by_pointer = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_double)(get_cython_function_address("scipy.special.cython_special", "ndtri"))

    @numba.njit
    def through_ctypes(u):
        return by_pointer(u)

    assert through_ctypes(0.975) == scipy_special.ndtri(0.975)
    assert through_ctypes.overloads[through_ctypes.signatures[0]].library.has_dynamic_globals
