"""Time-to-event distributions for pathway transitions, each sampled by inverse transform.

Inverse transform (one uniform in, one duration out) is what makes common random numbers
work: participant i's k-th uniform always feeds the same draw, whatever else changes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import Field, PositiveFloat, model_validator
from scipy import special

from sib.i18n import say
from sib.scenario.base import Frozen, lever
from sib.scenario.uncertainty import Positive, number

#: Days in an average calendar month, for durations *sampled* in months (365.25 / 12).
#: Milestones counted in calendar months use real anniversary dates instead.
DAYS_PER_MONTH = 365.25 / 12
DAYS_PER_UNIT = {"days": 1.0, "weeks": 7.0, "months": DAYS_PER_MONTH, "years": 365.25}

TimeUnit = Literal["days", "weeks", "months", "years"]
Sampler = Callable[[np.ndarray], np.ndarray]


class Exponential(Frozen):
    """Exponential, by its mean or by its rate (events per time unit); give exactly one."""

    mean: Positive | None = Field(
        None,
        description="Mean time to the event.",
        json_schema_extra={**lever("{0} → {1}: medeltid", "{0} → {1}: mean time", "effect"), "unit": "the transition's `unit`"},
    )
    rate: Positive | None = Field(None, description="Events per time unit (1 / mean).", json_schema_extra={"unit": "per `unit`"})

    @model_validator(mode="after")
    def _one_of(self) -> Exponential:
        if (self.mean is None) == (self.rate is None):
            raise ValueError(say("ange exakt en av 'mean' eller 'rate'", "give exactly one of 'mean' or 'rate'"))
        return self

    @property
    def scale(self) -> float:
        return number(self.mean) if self.mean is not None else 1.0 / number(self.rate)


class Weibull(Frozen):
    """Weibull with shape k and scale λ: S(t) = exp(-(t/λ)^k). k < 1: risk falls with time."""

    shape: Positive = Field(description="Shape k (1 is exponential).", json_schema_extra={"unit": "none"})
    scale: Positive = Field(
        description="Scale λ, in the transition's time unit.",
        json_schema_extra={**lever("{0} → {1}: skala", "{0} → {1}: scale", "effect"), "unit": "the transition's `unit`"},
    )


class Lognormal(Frozen):
    """Lognormal, by median and sigma (sd of the log) or by mean and sd; give one pair."""

    median: Positive | None = Field(
        None,
        description="Median time (exp(mu)).",
        json_schema_extra={**lever("{0} → {1}: median", "{0} → {1}: median", "effect"), "unit": "the transition's `unit`"},
    )
    sigma: Positive | None = Field(None, description="Standard deviation of log time.", json_schema_extra={"unit": "none (log scale)"})
    mean: Positive | None = Field(None, description="Mean time.", json_schema_extra={"unit": "the transition's `unit`"})
    sd: Positive | None = Field(None, description="Standard deviation of time.", json_schema_extra={"unit": "the transition's `unit`"})

    @model_validator(mode="after")
    def _one_pair(self) -> Lognormal:
        by_median = self.median is not None and self.sigma is not None
        by_mean = self.mean is not None and self.sd is not None
        given = [v is not None for v in (self.median, self.sigma, self.mean, self.sd)]
        if by_median == by_mean or sum(given) != 2:
            raise ValueError(
                say("ange antingen 'median' och 'sigma', eller 'mean' och 'sd'", "give either 'median' and 'sigma', or 'mean' and 'sd'")
            )
        return self

    def mu_sigma(self) -> tuple[float, float]:
        if self.median is not None:
            return math.log(number(self.median)), number(self.sigma)
        s2 = math.log1p((number(self.sd) / number(self.mean)) ** 2)
        return math.log(number(self.mean)) - s2 / 2, math.sqrt(s2)


class Gamma(Frozen):
    """Gamma, by shape and scale or by mean and sd; give one pair."""

    shape: Positive | None = Field(None, description="Shape k.", json_schema_extra={"unit": "none"})
    scale: Positive | None = Field(None, description="Scale θ (mean = k·θ).", json_schema_extra={"unit": "the transition's `unit`"})
    mean: Positive | None = Field(None, description="Mean time.", json_schema_extra={"unit": "the transition's `unit`"})
    sd: Positive | None = Field(None, description="Standard deviation of time.", json_schema_extra={"unit": "the transition's `unit`"})

    @model_validator(mode="after")
    def _one_pair(self) -> Gamma:
        by_shape = self.shape is not None and self.scale is not None
        by_mean = self.mean is not None and self.sd is not None
        given = [v is not None for v in (self.shape, self.scale, self.mean, self.sd)]
        if by_shape == by_mean or sum(given) != 2:
            raise ValueError(
                say("ange antingen 'shape' och 'scale', eller 'mean' och 'sd'", "give either 'shape' and 'scale', or 'mean' and 'sd'")
            )
        return self

    def shape_scale(self) -> tuple[float, float]:
        if self.shape is not None:
            return number(self.shape), number(self.scale)
        k = (number(self.mean) / number(self.sd)) ** 2
        return k, number(self.mean) / k


class Empirical(Frozen):
    """A table of durations and their weights (relative frequencies), sampled as given."""

    values: list[PositiveFloat] = Field(min_length=1, description="Durations.", json_schema_extra={"unit": "the transition's `unit`"})
    weights: list[PositiveFloat] = Field(min_length=1, description="Relative frequencies.", json_schema_extra={"unit": "none"})

    @model_validator(mode="after")
    def _same_length(self) -> Empirical:
        if len(self.values) != len(self.weights):
            raise ValueError(
                say(
                    "'values' och 'weights' måste vara lika långa, angivet: {n} och {m}",
                    "'values' and 'weights' must have the same length, got {n} and {m}",
                    n=len(self.values),
                    m=len(self.weights),
                )
            )
        return self


class Duration(Frozen):
    """Time until a transition: exactly one distribution, and the unit its numbers are in."""

    fixed: Positive | None = Field(None, description="Always this long.", json_schema_extra={"unit": "the transition's `unit`"})
    exponential: Exponential | None = None
    weibull: Weibull | None = None
    lognormal: Lognormal | None = None
    gamma: Gamma | None = None
    empirical: Empirical | None = None
    unit: TimeUnit = Field("days", description="Unit of the numbers above; a month here is 365.25/12 days.")

    @model_validator(mode="after")
    def _exactly_one(self) -> Duration:
        kinds = [k for k in DISTRIBUTIONS if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(
                say(
                    "ange exakt en av fördelningarna {kinds}, angivet: {given}",
                    "give exactly one distribution of {kinds}, got {given}",
                    kinds=", ".join(DISTRIBUTIONS),
                    given=", ".join(kinds) or say("ingen", "none"),
                )
            )
        return self

    @property
    def kind(self) -> str:
        return next(k for k in DISTRIBUTIONS if getattr(self, k) is not None)

    def mean_days(self) -> float:
        """The distribution's mean in days (used for pricing checks and documentation)."""
        f = DAYS_PER_UNIT[self.unit]
        if self.fixed is not None:
            return number(self.fixed) * f
        if self.exponential is not None:
            return self.exponential.scale * f
        if self.weibull is not None:
            return number(self.weibull.scale) * math.gamma(1 + 1 / number(self.weibull.shape)) * f
        if self.lognormal is not None:
            mu, s = self.lognormal.mu_sigma()
            return math.exp(mu + s * s / 2) * f
        if self.gamma is not None:
            k, th = self.gamma.shape_scale()
            return k * th * f
        e = self.empirical
        assert e is not None
        return sum(v * w for v, w in zip(e.values, e.weights)) / sum(e.weights) * f

    def inverse(self) -> Inverse:
        """The inverse CDF's family and parameters, in days: one source for the vectorised
        sampler below and the engine's compiled path walk."""
        f = DAYS_PER_UNIT[self.unit]
        if self.fixed is not None:
            return Inverse("fixed", number(self.fixed) * f)
        if self.exponential is not None:
            return Inverse("exponential", self.exponential.scale * f)
        if self.weibull is not None:
            return Inverse("weibull", number(self.weibull.scale) * f, 1.0 / number(self.weibull.shape))
        if self.lognormal is not None:
            mu, s = self.lognormal.mu_sigma()
            return Inverse("lognormal", mu + math.log(f), s)
        if self.gamma is not None:
            k, th = self.gamma.shape_scale()
            return Inverse("gamma", k, th * f)
        e = self.empirical
        assert e is not None
        cum = np.cumsum(e.weights) / sum(e.weights)
        cum[-1] = 1.0
        return Inverse("empirical", values=tuple((np.array(e.values) * f).tolist()), cum=tuple(cum.tolist()))

    def sampler(self) -> Sampler:
        """A vectorised inverse CDF: uniforms in [0, 1) (an array) to durations in days."""
        return self.inverse().sampler()


@dataclass(frozen=True)
class Inverse:
    """A duration's inverse CDF as numbers (days). ``a``, ``b`` by family: fixed (value, -),
    exponential (scale, -), weibull (scale, 1/shape), lognormal (mu, sigma) of the log of
    days, gamma (shape, scale); empirical uses ``values`` and their cumulative weights ``cum``."""

    kind: str
    a: float = 0.0
    b: float = 0.0
    values: tuple[float, ...] = ()
    cum: tuple[float, ...] = ()

    def sampler(self) -> Sampler:
        a, b = self.a, self.b
        if self.kind == "fixed":
            return lambda u: np.full(u.shape, a)
        if self.kind == "exponential":
            return lambda u: -a * np.log1p(-u)
        if self.kind == "weibull":
            return lambda u: a * (-np.log1p(-u)) ** b
        if self.kind == "lognormal":
            return lambda u: np.exp(a + b * special.ndtri(u))
        if self.kind == "gamma":
            return lambda u: b * special.gammaincinv(a, u)
        cum, values = np.array(self.cum), np.array(self.values)
        return lambda u: values[np.minimum(np.searchsorted(cum, u, side="right"), len(values) - 1)]


DISTRIBUTIONS = ("fixed", "exponential", "weibull", "lognormal", "gamma", "empirical")


class Span(Frozen):
    """A calendar span: days, weeks or calendar months (anniversary dates); give exactly one."""

    days: int | None = Field(None, ge=0, le=36500, description="A span of this many days.", json_schema_extra={"unit": "days"})
    weeks: int | None = Field(None, ge=0, le=5200, description="A span of this many weeks.", json_schema_extra={"unit": "weeks (7 days)"})
    months: int | None = Field(
        None,
        ge=0,
        le=1200,
        description="A span of this many calendar months (anniversary date).",
        json_schema_extra={"unit": "calendar months"},
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> Span:
        given = [k for k in ("days", "weeks", "months") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(say("ange exakt en av 'days', 'weeks' eller 'months'", "give exactly one of 'days', 'weeks' or 'months'"))
        return self
