"""Parameter uncertainty: a number in the scenario that is not known, written as a distribution.

A pathway, cost or effect parameter may be written ``{beta: [16, 4]}`` instead of a number.
Each replication draws it once, before anything else happens, from its own stream — keyed on
the parameter's path — by inverse transform of one uniform. So two compared scenarios that share
an uncertain parameter draw the same quantile of it in replication i (common random numbers),
however many other parameters either of them has. Contract terms stay plain numbers: they are
what is being designed, and pricing happens before any replication.

A distribution's whole range must lie within the field's allowed range: a draw is never
clamped, so a range that could leave it is refused when the file is read.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

import annotated_types as at
from pydantic import BaseModel, Discriminator, Field, PositiveFloat, Tag, model_validator
from pydantic.functional_validators import AfterValidator
from scipy import special

from sib.i18n import Text, say
from sib.scenario.base import LARGEST, Frozen

KINDS = ("uniform", "triangular", "beta", "lognormal")
#: A lognormal's sigma at most: at 5 the middle 95 % of its draws already span a factor of
#: 3 × 10⁸. Its largest draw (at the last uniform before 1) must also stay within LARGEST.
MAX_SIGMA = 5.0


class Draw(Frozen):
    """A parameter drawn once per replication: exactly one of the distributions below."""

    uniform: tuple[float, float] | None = Field(None, description="[low, high]: every value between equally likely.")
    triangular: tuple[float, float, float] | None = Field(None, description="[low, most likely, high].")
    beta: tuple[PositiveFloat, PositiveFloat] | None = Field(
        None, description="[a, b]: a share between 0 and 1 with mean a / (a + b) (e.g. [16, 4]: mean 0.8)."
    )
    lognormal: tuple[PositiveFloat, PositiveFloat] | None = Field(
        None,
        description="[median, sigma]: positive, skewed; sigma is the standard deviation of the log (at most 5, and "
        "no draw may exceed 1e12, the bound of every number in a scenario).",
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> Draw:
        given = [k for k in KINDS if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                say(
                    "ange exakt en av fördelningarna {kinds}, angivet: {given}",
                    "give exactly one distribution of {kinds}, got {given}",
                    kinds=", ".join(KINDS),
                    given=", ".join(given) or say("ingen", "none"),
                )
            )
        if self.uniform is not None and not self.uniform[0] < self.uniform[1]:
            raise ValueError(
                say(
                    "uniform: det lägsta värdet måste vara mindre än det högsta, angivet: {v}",
                    "uniform: low must be < high, got {v}",
                    v=list(self.uniform),
                )
            )
        if self.lognormal is not None:
            median, sigma = self.lognormal
            if sigma > MAX_SIGMA:
                raise ValueError(
                    say(
                        "lognormal: sigma får vara högst {most}, angivet: {sigma}",
                        "lognormal: sigma must be at most {most}, got {sigma}",
                        most=MAX_SIGMA,
                        sigma=sigma,
                    )
                )
            if self.quantile(1.0) > LARGEST:
                raise ValueError(
                    say(
                        "lognormal: [median, sigma] = {v} kan dra värden upp till omkring {most}; högst 1e12 är tillåtet "
                        "(minska sigma eller medianen)",
                        "lognormal: [median, sigma] = {v} can draw values up to about {most}; at most 1e12 is allowed "
                        "(lower sigma or the median)",
                        v=list(self.lognormal),
                        most=_scientific(math.log10(median) + sigma * float(special.ndtri(1 - _TINY)) / math.log(10)),
                    )
                )
        if self.triangular is not None:
            lo, mode, hi = self.triangular
            if not (lo <= mode <= hi and lo < hi):
                raise ValueError(
                    say(
                        "triangular: kräver lägsta <= troligaste <= högsta och lägsta < högsta, angivet: {v}",
                        "triangular: needs low <= most likely <= high and low < high, got {v}",
                        v=list(self.triangular),
                    )
                )
        return self

    @property
    def kind(self) -> str:
        return next(k for k in KINDS if getattr(self, k) is not None)

    def support(self) -> tuple[float, float]:
        """The smallest and largest value a draw can take (before rounding); for beta and
        lognormal these bounds are never reached (see ``open``)."""
        if self.uniform is not None:
            return self.uniform
        if self.triangular is not None:
            return self.triangular[0], self.triangular[2]
        if self.beta is not None:
            return 0.0, 1.0
        return 0.0, math.inf

    @property
    def open(self) -> bool:
        """Whether a draw stays strictly inside the support (beta and lognormal do)."""
        return self.beta is not None or self.lognormal is not None

    def mean(self) -> float:
        if self.uniform is not None:
            return sum(self.uniform) / 2
        if self.triangular is not None:
            return sum(self.triangular) / 3
        if self.beta is not None:
            a, b = self.beta
            return a / (a + b)
        median, sigma = self.lognormal  # type: ignore[misc]
        return median * math.exp(sigma * sigma / 2)

    def quantile(self, u: float) -> float:
        """The value at uniform ``u`` in [0, 1): the inverse of the distribution function."""
        if self.uniform is not None:
            lo, hi = self.uniform
            return lo + u * (hi - lo)
        if self.triangular is not None:
            lo, mode, hi = self.triangular
            cut = (mode - lo) / (hi - lo)
            if u < cut:
                return lo + math.sqrt(u * (hi - lo) * (mode - lo))
            return hi - math.sqrt((1 - u) * (hi - lo) * (hi - mode))
        u = min(max(u, _TINY), 1 - _TINY)  # the open ends are never drawn
        if self.beta is not None:
            return float(special.betaincinv(*self.beta, u))
        median, sigma = self.lognormal  # type: ignore[misc]
        return median * math.exp(sigma * float(special.ndtri(u)))

    def value(self, u: float) -> float:
        return self.quantile(u)


_TINY = 2.0**-53


def _scientific(log10: float) -> str:
    """A number given by its logarithm, as 2.7e12 (however large: it need not fit a float)."""
    power = math.floor(log10)
    return f"{10 ** (log10 - power):.1f}e{power}"


class WholeDraw(Draw):
    """A drawn whole number (places, a cohort's size): the draw rounded half up."""

    @property
    def open(self) -> bool:
        return False  # a rounded draw can land on its bounds

    def support(self) -> tuple[float, float]:
        lo, hi = super().support()
        return _round(lo), _round(hi) if math.isfinite(hi) else hi

    def value(self, u: float) -> float:
        return _round(self.quantile(u))


def _round(x: float) -> int:
    return int(math.floor(x + 0.5))


def _within(ge: float | None, gt: float | None, le: float | None, lt: float | None) -> Callable[[Draw], Draw]:
    """A check that a distribution stays within the field's allowed range."""
    # The texts are filled in when a file is checked, in the language in force then.
    rules: list[tuple[Text, float, Callable[[float, float, bool], bool]]] = []
    if ge is not None:
        rules.append((Text("minst {v:g}", ">= {v:g}"), ge, lambda lo, hi, open_: lo >= ge))
    if gt is not None:
        rules.append((Text("större än {v:g}", "> {v:g}"), gt, lambda lo, hi, open_: lo > gt or (open_ and lo >= gt)))
    if le is not None:
        rules.append((Text("högst {v:g}", "<= {v:g}"), le, lambda lo, hi, open_: hi <= le))
    if lt is not None:
        rules.append((Text("mindre än {v:g}", "< {v:g}"), lt, lambda lo, hi, open_: hi < lt or (open_ and hi <= lt)))

    def check(draw: Draw) -> Draw:
        lo, hi = draw.support()
        broken = [text(v=bound) for text, bound, ok in rules if not ok(lo, hi, draw.open)]
        if broken:
            raise ValueError(
                say(
                    "fördelningen {kind} sträcker sig över [{lo:g}, {hi:g}], men varje värde måste vara {rules} "
                    "(ett draget värde kapas aldrig vid gränsen)",
                    "the {kind} distribution ranges over [{lo:g}, {hi:g}], but every value must be {rules} (a draw is never clamped)",
                    kind=draw.kind,
                    lo=lo,
                    hi=hi,
                    rules=say(" och ", " and ").join(broken),
                )
            )
        return draw

    return check


def _shape(value: Any) -> str:
    return "distribution" if isinstance(value, (dict, Draw)) else "number"


def uncertain(
    *,
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
    lt: float | None = None,
    whole: bool = False,
) -> Any:
    """The annotation of a parameter that is a number within ``ge``/``gt``/``le``/``lt`` or a
    distribution whose whole range lies within them; ``whole``: a whole number, draws rounded
    half up."""
    limits = tuple(c(v) for c, v in ((at.Ge, ge), (at.Gt, gt), (at.Le, le), (at.Lt, lt)) if v is not None)
    number = Annotated[(int if whole else float, *limits)] if limits else (int if whole else float)
    kind = WholeDraw if whole else Draw
    return Annotated[
        Annotated[number, Tag("number")] | Annotated[kind, AfterValidator(_within(ge, gt, le, lt)), Tag("distribution")],
        Discriminator(_shape),
    ]


#: The usual shapes: an amount (>= 0), a positive number, a share in [0, 1]; and whole numbers:
#: a day count within a year, a cohort's size, a number of places. A type checker sees what
#: each holds, a number or a distribution; pydantic sees the limits too.
if TYPE_CHECKING:
    Amount: TypeAlias = float | Draw
    Positive: TypeAlias = float | Draw
    Fraction: TypeAlias = float | Draw
    DaysInYear: TypeAlias = int | WholeDraw
    People: TypeAlias = int | WholeDraw
    Places: TypeAlias = int | WholeDraw
else:
    Amount = uncertain(ge=0)
    Positive = uncertain(gt=0)
    Fraction = uncertain(ge=0, le=1)
    DaysInYear = uncertain(ge=0, le=365, whole=True)
    People = uncertain(ge=1, le=100_000, whole=True)
    Places = uncertain(ge=1, le=1_000_000, whole=True)


# ---------------------------------------------------------------- realising a scenario


def number(value: float | Draw | None) -> float:
    """The number a parameter holds once the scenario is realised (``realise``): where the file
    may give a distribution, the engine reads only the value drawn for its replication."""
    assert isinstance(value, (int, float)), f"a parameter not yet realised: {value!r}"
    return value


Path = tuple[Any, ...]


@dataclass(frozen=True)
class UncertainParameter:
    path: Path  # field names, mapping keys and list indexes from the scenario down

    draw: Draw

    @property
    def name(self) -> str:
        """The dotted path, as in a scenario's ``sources:`` ('pathway.states.housed...')."""
        out = ""
        for part in self.path:
            out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
        return out


def uncertain_parameters(model: BaseModel) -> tuple[UncertainParameter, ...]:
    """Every parameter of ``model`` written as a distribution, in the file's order."""
    return tuple(UncertainParameter(path, draw) for path, draw in _walk(model, ()))


def _walk(value: Any, path: Path) -> Iterator[tuple[Path, Draw]]:
    if isinstance(value, Draw):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name), (*path, name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, (*path, i))


def realise(model: Any, parameters: tuple[UncertainParameter, ...], uniform: Callable[[str], float]) -> tuple[Any, dict[str, float]]:
    """``model`` with each uncertain parameter replaced by its draw at ``uniform(name)``, and the
    values drawn (name → value). Copies only what changes; nothing is validated again (the
    ranges were checked when the file was read)."""
    values: dict[str, float] = {}
    for p in parameters:
        v = p.draw.value(uniform(p.name))
        values[p.name] = v
        model = _replace(model, p.path, v)
    return model, values


def _replace(value: Any, path: Path, new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, BaseModel):
        return value.model_copy(update={head: _replace(getattr(value, head), rest, new)})
    if isinstance(value, dict):
        return {**value, head: _replace(value[head], rest, new)}
    out = list(value)
    out[head] = _replace(out[head], rest, new)
    return out
