"""Monte Carlo estimates with their uncertainty: means, probabilities and quantiles, each with a
95 % confidence interval and a Monte Carlo standard error.

- a mean: the normal interval, mean ± 1.96·sd/√n;
- a probability (a yes/no metric): the Wilson score interval, which stays inside [0, 1] and
  keeps its coverage near 0 and 1, where the normal interval does not;
- a quantile: the distribution-free interval between two order statistics whose ranks come
  from the binomial distribution of how many draws fall below the true quantile.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

Z95 = float(stats.norm.ppf(0.975))


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float
    se: float  # Monte Carlo standard error
    n: int


def mean(x: np.ndarray) -> Estimate:
    x = x[~np.isnan(x)]
    n = x.size
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, math.nan, 0)
    m = float(x.mean())
    se = float(x.std(ddof=1) / math.sqrt(n)) if n > 1 else math.nan
    return Estimate(m, m - Z95 * se, m + Z95 * se, se, n)


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a binomial proportion."""
    if n == 0:
        return math.nan, math.nan
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def probability(flags: np.ndarray) -> Estimate:
    n = int(flags.size)
    k = int(np.count_nonzero(flags))
    p = k / n if n else math.nan
    low, high = wilson(k, n)
    return Estimate(p, low, high, math.sqrt(p * (1 - p) / n) if n else math.nan, n)


def quantile(x: np.ndarray, q: float) -> Estimate:
    """The q-quantile (linear interpolation) and its order-statistic 95 % interval."""
    x = np.sort(x[~np.isnan(x)])
    n = x.size
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, math.nan, 0)
    value = float(np.quantile(x, q))
    lo_rank = int(stats.binom.ppf(0.025, n, q))  # 0-based index of the lower order statistic
    hi_rank = int(stats.binom.ppf(0.975, n, q))
    if lo_rank < 1 or hi_rank > n - 1:
        # Too few replications for a 95 % interval of so far out a quantile (a 5th or 95th
        # percentile below about 65): the smallest or largest value would cover it far less
        # often (91 % at 50), so there is no interval, as for a single value.
        return Estimate(value, math.nan, math.nan, math.nan, n)
    low, high = float(x[lo_rank - 1]), float(x[hi_rank])
    return Estimate(value, low, high, (high - low) / (2 * Z95), n)
