"""The account's cached kernels are stamped with every file they are compiled from
(sib/engine/kernel_cache.py): numba alone would stamp ``k_walk`` with treasury_kernels.py only,
and load stale machine code after a change to investor.py, whose functions it carries."""

from __future__ import annotations

import numba
import pytest

from sib.engine import account_kernels, estate, investor, kernel_cache, treasury_kernels


def test_a_change_to_any_file_of_the_group_changes_the_stamp(tmp_path):
    files = [tmp_path / f"{name}.py" for name in ("a", "b")]
    for f in files:
        f.write_text("x = 1\n")
    names = tuple(str(f) for f in files)
    before = kernel_cache.group_stamp(names)
    files[1].write_text("x = 2\n")
    assert kernel_cache.group_stamp(names) != before


@pytest.mark.skipif(numba.config.DISABLE_JIT, reason="nothing is compiled, so nothing is cached")
@pytest.mark.parametrize("kernel", [treasury_kernels.k_walk, estate.k_wind_up, investor.keeps, account_kernels.k_rows])
def test_the_account_kernels_are_stamped_with_the_whole_group(kernel):
    locator = kernel._cache._impl.locator  # numba's own: there is no public way to ask
    assert getattr(locator, "_sib_group", False)
    assert locator.get_source_stamp() == kernel_cache.group_stamp()


@pytest.mark.skipif(numba.config.DISABLE_JIT, reason="nothing is compiled, so nothing is cached")
def test_other_kernels_keep_numbas_own_stamp():
    from sib.engine import liquidity

    assert not getattr(liquidity._k_assess._cache._impl.locator, "_sib_group", False)
