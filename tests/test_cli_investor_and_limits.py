"""``sib run``: one replication of a contract with an outcome investor shows what the investor
paid in, got back and earned; a study of no replications is refused by name."""

from __future__ import annotations

import pytest
from helpers_paths import REPO

import sib
from sib.cli import main
from sib.fmt import kr

SIB_SCENARIO = REPO / "scenarios" / "arbetsintegrering_sib.yaml"


def test_one_replication_with_an_investor_shows_its_money_and_return(capsys):
    rep = sib.simulate(sib.load_scenario(SIB_SCENARIO), 1, 0)
    m = rep.metrics
    assert m["investor_paid_in"] > 0
    assert main(["run", str(SIB_SCENARIO), "--seed", "1", "--replication", "0", "--lang", "en"]) == 0
    shown = capsys.readouterr().out
    assert "Investor paid in / received" in shown
    assert f"{kr(m['investor_paid_in'], lang='en')} / {kr(m['investor_received'], lang='en')}" in shown
    assert "Investor's rate of return (IRR)" in shown


@pytest.mark.parametrize("command", ["run", "compare", "sweep"])
def test_zero_replications_are_refused_with_the_rule(command, capsys):
    args = {
        "run": [str(SIB_SCENARIO)],
        "compare": [str(SIB_SCENARIO), str(SIB_SCENARIO)],
        "sweep": [str(SIB_SCENARIO), "--param", "contract.outcome_share", "--values", "0.3"],
    }[command]
    with pytest.raises(SystemExit) as exit_:
        main([command, *args, "--reps", "0", "--lang", "en"])
    assert exit_.value.code == 2
    assert "must be a whole number >= 1, got 0" in capsys.readouterr().err
