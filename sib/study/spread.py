"""Where a key figure's spread comes from: the uncertain parameters, or the cohort's luck.

By the law of total variance, Var(Y) = Var(E[Y | θ]) + E[Var(Y | θ)]: the first term is the
spread that knowing the parameters θ (the effect sizes, the referrals) would remove, the second
the luck of a cohort of known quality, which no study of the intervention can remove. A study
draws θ once per replication, so E[Y | θ] is not observed; it is estimated by regressing Y on
the drawn parameters (a cubic in each one's rank score, with its normal score and the pairwise products) and its variance
share is the regression's cross-validated R² — out-of-sample, so a flexible fit to noise does
not count as explained. Where E[Y | θ] is not of that shape the share is underestimated:
it is a lower bound on what the parameters explain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from sib.study.results import Results

#: The key figures whose spread is split, with their labels (Swedish, English). Not the
#: insolvency: a yes-or-no outcome's variance is mostly the coin's, whatever moves its odds.
FIGURES = (
    ("commissioner_whole_cost", "Kommunens hela kostnad", "The municipality's whole cost"),
    ("commissioner_paid", "Betalt till utföraren", "Paid to the provider"),
    ("funding_need", "Extra kredit som behövs", "Extra credit needed"),
    ("cost_per_outcome", "Betalt per utfall", "Paid per outcome"),
)
#: Folds of the cross-validation.
FOLDS = 5
#: Fewer replications than this per feature, and the split is not estimated.
REPS_PER_FEATURE = 8


@dataclass(frozen=True)
class Split:
    """The variance of ``metric`` over the replications and the share of it the parameters explain."""

    metric: str
    variance: float
    from_parameters: float  # share in [0, 1]

    @property
    def from_cohort(self) -> float:
        return 1.0 - self.from_parameters


def parameter_columns(results: Results) -> list[str]:
    """The summary's columns of drawn parameters that varied."""
    m = results.summary
    return [c for c in m.columns if c.startswith("param.") and np.ptp(m[c].to_numpy(dtype=float)) > 0]


def split(results: Results, metric: str) -> Split | None:
    """The spread of ``metric`` split into the parameters' part and the cohort's; None if the
    scenario has no uncertain parameters, the metric does not vary, or there are too few
    replications for the regression."""
    columns = parameter_columns(results)
    if not columns or metric not in results.summary:
        return None
    y = results.summary[metric].to_numpy(dtype=float)
    x = results.summary[columns].to_numpy(dtype=float)
    return explained(x, y, metric)


def explained(x: np.ndarray, y: np.ndarray, metric: str = "") -> Split | None:
    """The cross-validated share of the variance of ``y`` explained by a quadratic in the columns of ``x``."""
    keep = np.isfinite(y) & np.isfinite(x).all(axis=1)
    x, y = x[keep], y[keep]
    variance = float(np.var(y))
    features = _basis(x, rich=True)
    if len(y) < REPS_PER_FEATURE * features.shape[1]:
        features = _basis(x, rich=False)  # fewer replications: each parameter's two scores only
    if variance == 0 or len(y) < REPS_PER_FEATURE * features.shape[1]:
        return None
    folds = np.arange(len(y)) % FOLDS  # replications are independent, so their order is as good as random
    residual = 0.0
    for k in range(FOLDS):
        train, test = folds != k, folds == k
        coef, *_ = np.linalg.lstsq(features[train], y[train], rcond=None)
        residual += float(np.sum((y[test] - features[test] @ coef) ** 2))
    share = 1.0 - residual / (variance * len(y))
    return Split(metric, variance, min(1.0, max(0.0, share)))


def _basis(x: np.ndarray, rich: bool) -> np.ndarray:
    """1; for each parameter its rank score u (in (0, 1), the quantile of its prior it was drawn
    at) and its normal score Φ⁻¹(u); ``rich``: also u² and u³, and each pair's product u_i u_j.
    Scores of the ranks, not the values: a parameter drawn from a skewed prior (a lognormal
    scale) acts through a transform of itself, and its long tail would otherwise decide the fit;
    u covers effects that level off at the ends of the prior, Φ⁻¹(u) those that grow there."""
    ranks = np.argsort(np.argsort(x, axis=0), axis=0)
    u = (ranks + 0.5) / len(x)
    z = special.ndtri(u)
    p = u.shape[1]
    cols = [np.ones(len(u))]
    for i in range(p):
        cols += [u[:, i], z[:, i]] + ([u[:, i] ** 2, u[:, i] ** 3] if rich else [])
    if rich:
        cols += [u[:, i] * u[:, j] for i in range(p) for j in range(i + 1, p)]
    return np.column_stack(cols)
