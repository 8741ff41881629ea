"""The validation suite (sib/validation/) in its fast form: every check passes, the report renders.

The full run (``python -m validation``) writes docs/validation.md with larger samples.
"""

from __future__ import annotations

import pytest
import validation
from helpers_paths import REPO
from validation import Check, Report, render, run_checks, write_report
from validation.__main__ import main

import sib


@pytest.fixture(scope="module")
def fast_report() -> Report:
    return run_checks(full=False)


def test_every_fast_check_passes(fast_report):
    failed = [f"{c.group}: {c.name}: expected {c.expected}, got {c.simulated}" for c in fast_report.failed]
    assert not failed, "\n".join(failed)
    assert {c.group for c in fast_report.checks} == set(validation.GROUPS)
    assert len(fast_report.checks) >= 40 and fast_report.n_statistical >= 10


def test_the_report_renders_every_check_with_seeds_versions_and_the_correction(fast_report, tmp_path):
    path = write_report(fast_report, tmp_path / "docs" / "validation.md")
    text = path.read_text(encoding="utf-8")
    table = [line for line in text.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert len(table) == len(fast_report.checks)
    assert all(line.rstrip().endswith("| pass |") for line in table)
    for word in ("Bonferroni", "numpy", "scipy", "simpy", "python", "sib 0.", "## Seeds", "fair_chance_depaul.yaml"):
        assert word in text, word


def test_a_failing_check_makes_the_command_exit_1(monkeypatch, tmp_path):
    def fake(full: bool) -> Report:
        exact = Check("g", "exact", "hand", "1", "2", "anything", passed=False)
        stat = Check("g", "statistical", "closed form", 0.0, 10.0, "a shift", se=1.0)
        return Report([exact, stat], full=full).finalise()

    monkeypatch.setattr("validation.__main__.run_checks", fake)
    out = tmp_path / "v.md"
    assert main(["--fast", "--out", str(out)]) == 1
    assert render(fake(False)).count("**FAIL**") == 2 and out.exists()


def test_a_statistical_check_passes_within_its_bonferroni_interval_only():
    inside = Check("g", "in", "x", 0.0, 3.0, "d", se=1.0)
    outside = Check("g", "out", "x", 0.0, 5.0, "d", se=1.0)
    report = Report([inside, outside], full=False).finalise()
    # Two checks share 0.001: each is two-sided at 0.0005, z = 3.48.
    assert inside.crit == pytest.approx(3.4807, abs=1e-3)
    assert inside.passed and not outside.passed and not report.ok


def test_a_reference_figures_row_states_the_study_it_ran():
    """``make figures`` prints what the README's tables show: the row is the study's own means
    and the funding need's quantiles, in MSEK, per cent and kSEK."""
    from validation.figures import budget_years, row

    scenario = sib.load_scenario(REPO / "scenarios" / "bostad_forst_utan_garanti.yaml")
    summary = sib.run(scenario, reps=24, seed=0).summary
    line = row("x", summary)
    cells = [c.strip() for c in line.strip("|").split("|")]
    assert cells[0] == "x"
    assert cells[1] == f"{summary['commissioner_whole_cost'].astype(float).mean() / 1e6:.1f} M"
    assert cells[3] == f"{100 * summary['provider_insolvent'].astype(float).mean():.1f} %"
    p95 = float(summary["funding_need"].astype(float).quantile(0.95))
    assert cells[6] == f"{p95 / 1e3:,.0f} k".replace(",", " ") and p95 > 0  # a scenario where the provider runs short
    # The budget years' means add up to the whole cost's.
    years = list(range(2027, 2033))
    cells = [c.strip() for c in budget_years("x", summary, years).strip("|").split("|")][1:]
    means = [float(c.split(" ")[0]) for c in cells]
    assert sum(means) == pytest.approx(summary["commissioner_whole_cost"].astype(float).mean() / 1e6, abs=0.05 * len(years))


def test_sib_check_outside_a_checkout_says_so_in_one_line(monkeypatch, tmp_path, capsys):
    """An installed sib has no scenarios or docs beside it: `sib check` says (in the command's
    Swedish) where it runs instead of failing in the middle of the suite."""
    from sib import cli

    monkeypatch.setattr(cli, "_checkout", lambda: tmp_path)
    assert cli.main(["check", "--fast", "--out", str(tmp_path / "v.md")]) == 1
    said = capsys.readouterr().out
    assert "kör valideringssviten från en utcheckning av förrådet" in said and f"{tmp_path} är inte en utcheckning av sib" in said
    assert not (tmp_path / "v.md").exists()
    assert cli._not_a_checkout() is not None and "Traceback" not in said
