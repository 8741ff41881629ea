"""``extends``: variants are one-line differences, and their sources stay honest."""

import shutil

import pytest
from helpers_paths import REPO

import sib

ROOT = REPO


def test_a_changed_value_does_not_keep_the_parents_source(tmp_path):
    """Catches a merged ``sources`` mapping that still justifies the parent's old value."""
    shutil.copy(ROOT / "scenarios" / "bostad_forst.yaml", tmp_path)
    (tmp_path / "variant.yaml").write_text(
        "extends: bostad_forst.yaml\nname: variant\n"
        "contract:\n  outcome_share: 0.55\n  verification_lag: {months: 3}\n"
        "sources:\n  contract.verification_lag: 'assumption: a slower register'\n",
        encoding="utf-8",
    )
    parent = sib.load_scenario(tmp_path / "bostad_forst.yaml")
    variant = sib.load_scenario(tmp_path / "variant.yaml")
    assert variant.contract.outcome_share == 0.55 and variant.contract.verification_lag.months == 3
    assert variant.source("contract.outcome_share", "en")[1] == "changed in variant.yaml; no source given"
    assert variant.source("contract.outcome_share", "sv")[1] == "ändrat i variant.yaml; ingen källa angiven"
    assert variant.sources["contract.verification_lag"] == "assumption: a slower register"
    # What the variant leaves alone keeps its source, and its values.
    assert variant.sources["contract.payment_terms_days"] == parent.sources["contract.payment_terms_days"]
    assert variant.pathway == parent.pathway


def test_a_name_that_cannot_be_followed_is_a_problem_not_a_traceback(tmp_path):
    """A NUL byte in ``extends``, and a file that is a loop of symbolic links (itself, or as
    the file ``extends`` names), are refused naming what could not be followed."""
    (tmp_path / "nul.yaml").write_text('extends: "a\\0b.yaml"\nname: x\n', encoding="utf-8")
    (tmp_path / "loop2.yaml").symlink_to(tmp_path / "loop1.yaml")
    (tmp_path / "loop1.yaml").symlink_to(tmp_path / "loop2.yaml")
    (tmp_path / "child.yaml").write_text("extends: loop1.yaml\nname: y\n", encoding="utf-8")
    for name, expected, why in [
        ("nul.yaml", "extends: '", "cannot be followed (an invalid character in the name)"),
        ("loop1.yaml", "file: '", "cannot be followed (symbolic links in a loop)"),
        ("child.yaml", "extends: '", "cannot be followed (symbolic links in a loop)"),
    ]:
        with pytest.raises(sib.ScenarioError) as info:
            sib.load_scenario(tmp_path / name)
        (problem,) = info.value.problems
        assert problem.startswith(expected) and problem.endswith(why), problem
