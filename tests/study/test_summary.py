"""The comparison's two-page summary for a council meeting: opened as a PDF and its text read,
it says the question, the designs, their figures as the results give them, and warns where the
provider fails often — in Swedish or in English."""

from __future__ import annotations

import io

import pytest
from helpers_cli import command
from helpers_paths import REPO
from pypdf import PdfReader

import sib
from sib.fmt import group, percent
from sib.study.summary import write_summary

ROOT = REPO
FILES = ("bostad_forst_traditionellt.yaml", "bostad_forst_60.yaml")


@pytest.fixture(scope="module")
def results() -> dict[str, sib.Results]:
    scenarios = [sib.load_scenario(ROOT / "scenarios" / f) for f in FILES]
    return sib.compare(scenarios, 120, 0).results


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    assert 1 <= len(reader.pages) <= 2
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_summary_says_the_question_the_designs_and_their_figures(results):
    buffer = io.BytesIO()
    write_summary(results, buffer, "sv", "Vad kostar olika utfallsandelar oss per budgetår?")
    text = text_of(buffer.getvalue())
    assert "Jämförelse av avtalsformer" in text and "Fråga: Vad kostar olika utfallsandelar oss per budgetår?" in text
    for name, r in results.items():
        assert name.split(" – ")[1].split()[0] in text  # each design named
        whole = r.values("commissioner_whole_cost").mean()
        assert f"{group(whole / 1e6, 1, 'sv')} mnkr" in text  # its whole cost as the results give it
    sixty = results[list(results)[1]]
    risk = sixty.values("provider_insolvent").mean()
    assert risk >= 0.05 and f"utföraren kan inte betala i {percent(risk, 0, 'sv')} av simuleringarna" in text
    assert "Kommunens hela kostnad per budgetår" in text and "Antaganden som betyder mest" in text
    assert "Remisser per månad" in text  # an assumption by its name, with its source
    assert "−" in text or "0 kr" in text  # the minus sign and the units survive the font


def test_in_english_the_summary_is_english(results):
    buffer = io.BytesIO()
    write_summary(results, buffer, "en")
    text = text_of(buffer.getvalue())
    assert "A comparison of contract designs" in text and "The municipality's whole cost" in text
    assert "Kommunens" not in text and "Fråga" not in text


def test_the_command_line_writes_it_beside_the_table(tmp_path):
    out = tmp_path / "summary.pdf"
    proc = command(
        "compare",
        *(str(ROOT / "scenarios" / f) for f in FILES),
        "--reps",
        "30",
        "--workers",
        "1",
        "--pdf",
        str(out),
        "--question",
        "Vad kostar 60 %?",
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"Skrev {out}" in proc.stdout.replace("\n", "")
    assert "Fråga: Vad kostar 60 %?" in text_of(out.read_bytes())
