"""The bid study: the expected value a provider needs at each outcome share (sib.study.bid)."""

from __future__ import annotations

import pytest
from helpers_paths import REPO

import sib
from sib.cli import main
from sib.scenario.edit import with_values
from sib.study.bid import TOLERANCE, bid_study

ROOT = REPO
REPS = 40


@pytest.fixture(scope="module")
def asf() -> sib.Scenario:
    return sib.load_scenario(ROOT / "scenarios" / "arbetsintegrering.yaml")


def test_at_its_own_share_the_provider_bids_what_it_is_given(asf):
    """Keeping the margin at the scenario's own share asks for its own expected value (the
    fixed point), and a larger share asks for more: the money comes later and less surely."""
    study = bid_study(asf, [0.2, 0.4], "margin", reps=REPS, executor="serial")
    own, high = study.bids
    assert own.found and own.figures.expected_value == pytest.approx(study.reference.expected_value, rel=3 * TOLERANCE)
    assert high.found and high.figures.expected_value > own.figures.expected_value * 1.01
    assert high.figures.margin >= study.reference.margin
    lower = with_values(asf, {"contract.outcome_share": 0.4, "contract.expected_value": (1 - 2 * TOLERANCE) * high.figures.expected_value})
    m = sib.run(lower, reps=REPS, seed=0, executor="serial").summary
    assert m["provider_result"].mean() < study.reference.margin * (1 - 2 * TOLERANCE) * high.figures.expected_value


def test_keeping_the_risk_finds_the_least_value_under_the_limit(asf):
    """The bid keeps the risk under the limit, a value 2 % lower does not, and the bid is the
    scenario pricing then splits: its expected value and share are the bid's."""
    study = bid_study(asf, [0.4], "risk", risk_limit=0.05, reps=REPS, executor="serial")
    (bid,) = study.bids
    assert bid.found and bid.figures.insolvent <= 0.05
    lower = with_values(asf, {"contract.outcome_share": 0.4, "contract.expected_value": 0.98 * bid.figures.expected_value})
    assert sib.run(lower, reps=REPS, seed=0, executor="serial").summary["provider_insolvent"].mean() > 0.05
    priced = sib.price(bid.scenario)
    assert priced.expected_value == pytest.approx(bid.figures.expected_value, rel=1e-6)
    assert priced.outcome_share_expected == pytest.approx(0.4, abs=1e-6)


def test_the_command_prints_the_bids_and_saves_them_as_scenarios(tmp_path, capsys):
    assert (
        main(
            [
                "bid",
                str(ROOT / "scenarios" / "arbetsintegrering.yaml"),
                "--shares",
                "0.2,0.4",
                "--reps",
                "40",
                "--workers",
                "1",
                "--save",
                str(tmp_path),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Vad utföraren behöver för att lämna anbud" in out and "40 %" in out and " kr" in out
    saved = sorted(p.name for p in tmp_path.glob("*.yaml"))
    assert saved == ["bid_20.yaml", "bid_40.yaml"]
    assert sib.load_scenario(tmp_path / "bid_40.yaml").contract.outcome_share == 0.4


def test_a_share_outside_zero_to_one_is_refused_naming_it(capsys):
    assert main(["bid", str(ROOT / "scenarios" / "arbetsintegrering.yaml"), "--shares", "0.2,1.5", "--workers", "1"]) == 2
    assert "shares" in capsys.readouterr().out
