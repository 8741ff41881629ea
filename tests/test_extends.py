"""``extends``: variants are one-line differences, and their sources stay honest."""

import shutil
from pathlib import Path

import sib

ROOT = Path(__file__).resolve().parent.parent


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
