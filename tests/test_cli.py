"""The ``sib`` command as a user meets it: exit codes, messages, tables and files."""

import json
import re

import pandas as pd
import pytest
from helpers_cli import Said, command
from helpers_paths import REPO

from sib.cli import main

ROOT = REPO
BOSTAD = ROOT / "scenarios" / "bostad_forst.yaml"


def sib(*args: str) -> Said:
    """The command as a user meets it (run in this process: helpers_cli); in English unless
    the test asks for a language (the command's own default is Swedish)."""
    lang = [] if any(a.startswith("--lang") for a in args) or args[:1] == ("check",) else ["--lang", "en"]
    return command(*args, *lang)


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_validate_accepts_every_reference_scenario(path, capsys):
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.strip() == "OK"


def test_validate_lists_every_problem_with_its_path_and_exits_2(tmp_path):
    text = BOSTAD.read_text(encoding="utf-8")
    text = re.sub(r"    tenancy_12m: \{price: \d+\}", "    tenancy_12m: {price: -5}", text)
    text = text.replace("  payment_terms_days: 30", "  payment_terms_dayz: 30")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    result = sib("validate", str(bad))
    assert result.returncode == 2
    out = result.stdout
    assert "contract.rate_card.tenancy_12m.price: must be >= 0, got -5" in out
    assert "contract.payment_terms_dayz: unknown key (did you mean 'payment_terms_days'?)" in out
    assert "Traceback" not in out + result.stderr


def test_validate_reports_an_unreachable_outcome_share(tmp_path):
    """Pricing belongs to validation: an outcome share the caps cannot reach is the file's fault."""
    text = BOSTAD.read_text(encoding="utf-8").replace("  outcome_share: 0.40", "  outcome_share: 0.95")
    text = text.replace("  rejected_share:", "  caps:\n    total: 1000000\n  rejected_share:")  # a total cap no 95 % can live with
    bad = tmp_path / "greedy.yaml"
    bad.write_text(text, encoding="utf-8")
    result = sib("validate", str(bad))
    assert result.returncode == 2
    assert "contract.outcome_share: 0.95 cannot be reached" in result.stdout


def test_yaml_syntax_error_gives_line_and_column(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("name: x\ncontract: {service_months: 12\n", encoding="utf-8")
    result = sib("validate", str(bad))
    assert result.returncode == 2
    assert "line 3, column 1" in result.stdout or "line 2" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_missing_file_is_a_clear_error():
    result = sib("validate", "no/such/file.yaml")
    assert result.returncode == 2
    assert "no such file" in result.stdout


def test_run_prints_swedish_key_figures_and_writes_the_replication(tmp_path):
    out = tmp_path / "result"
    result = sib("run", str(BOSTAD), "--seed", "4", "--replication", "0", "--out", str(out), "--lang", "sv")
    assert result.returncode == 0, result.stdout + result.stderr
    # Swedish formatting: spaces between thousands, "kr" after the amount.
    assert "Kommunens hela kostnad" in result.stdout and "Betalt till utföraren" in result.stdout
    assert re.search(r"\d{1,3}(?: \d{3})+ kr", result.stdout)
    # The threshold is named once, in Swedish only (it was written out twice, half in English).
    assert re.search(r"│ Över direktupphandlingsgränsen \(\d{1,3}(?: \d{3})+ kr\) +│", result.stdout), result.stdout
    assert "direct-award" not in result.stdout
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed_entropy"] == "4"
    assert manifest["scenario"]["name"].startswith("Bostad först")
    assert set(manifest["versions"]) >= {"sib", "numpy", "simpy", "python"}
    folder = out / "replications" / "0"
    ledger = pd.read_parquet(folder / "ledger.parquet")
    assert (ledger["amount_ore"] > 0).all() and len(ledger) > 10
    csv = pd.read_csv(folder / "ledger.csv")
    assert len(csv) == len(ledger)
    for name in ("events", "monthly", "metrics"):
        assert (folder / f"{name}.parquet").is_file() and (folder / f"{name}.csv").is_file()
    assert not list(out.rglob("*.tmp")), "a temporary file was left behind"


def test_run_figures_match_the_python_api(tmp_path, capsys):
    """The table shows the same numbers simulate() returns (no second computation path)."""
    import sib as api
    from sib.fmt import kr

    rep = api.simulate(api.load_scenario(BOSTAD), 2)
    assert main(["run", str(BOSTAD), "--seed", "2", "--replication", "0", "--lang", "en"]) == 0
    shown = capsys.readouterr().out
    assert kr(rep.metrics["commissioner_whole_cost"], lang="en") in shown
    assert kr(rep.metrics["commissioner_paid"], lang="en") in shown
    assert kr(rep.metrics["funding_need"], lang="en") in shown
    assert kr(rep.metrics["provider_min_cash"], lang="en") in shown


def test_runs_into_one_folder_add_replications_but_never_mix_studies(tmp_path):
    out = tmp_path / "study"
    assert sib("run", str(BOSTAD), "--out", str(out), "--replication", "0").returncode == 0
    assert sib("run", str(BOSTAD), "--out", str(out), "--replication", "3").returncode == 0
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["replications"] == [0, 3]
    before = (out / "replications" / "0" / "ledger.csv").read_bytes()
    other = sib("run", str(BOSTAD), "--out", str(out), "--seed", "5", "--replication", "0")
    assert other.returncode == 2
    assert "another scenario or seed" in other.stdout
    assert (out / "replications" / "0" / "ledger.csv").read_bytes() == before, "a refused run overwrote results"


@pytest.mark.parametrize("args", [["--seed", "-1"], ["--replication", "x"]])
def test_bad_arguments_are_named_without_a_traceback(args):
    result = sib("run", str(BOSTAD), *args, "--lang", "en")
    assert result.returncode == 2
    assert "must be a whole number >= 0" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_the_command_speaks_swedish_unless_asked_for_english():
    """The same mistake, with and without --lang en: argparse's own words (usage, error) and sib's
    rule both follow the language, and so does the help."""
    swedish = sib("run", str(BOSTAD), "--seed", "-1", "--lang", "sv")
    assert swedish.returncode == 2
    assert "användning: sib run" in swedish.stderr and "fel: argument --seed: måste vara ett heltal >= 0, angivet: -1" in swedish.stderr
    english = sib("run", str(BOSTAD), "--seed", "-1", "--lang=en")
    assert "usage: sib run" in english.stderr and "error: argument --seed: must be a whole number >= 0, got -1" in english.stderr
    helped = command("compare", "--help")
    assert "simuleringar per scenario" in helped.stdout and "visa den här hjälpen" in helped.stdout
    assert "replications" not in helped.stdout and "simulations per scenario" in sib("compare", "--help", "--lang", "en").stdout


def test_out_that_is_a_file_is_a_clear_error(tmp_path):
    target = tmp_path / "afile"
    target.write_text("x")
    result = sib("run", str(BOSTAD), "--out", str(target))
    assert result.returncode == 2
    assert "cannot write the results" in result.stdout and "Traceback" not in result.stderr
