"""End to end in a real headless Chromium: the dashboard served by ``streamlit run``, two
scenarios compared, a figure read off the page, the language switched, the Excel file
downloaded and opened, and a bad upload answered with its problems."""

from __future__ import annotations

import re

import openpyxl
import pytest
from helpers_paths import REPO
from playwright.sync_api import expect, sync_playwright
from pypdf import PdfReader

import sib
from tools.browser import browser, served

WAIT = 180_000  # ms: the first comparison prices both contracts and starts the worker pool
expect.set_options(timeout=WAIT)


@pytest.fixture(scope="module")
def page():
    with served(env={"SIB_DASHBOARD_REPS": "50"}) as url, sync_playwright() as p:
        b = browser(p)
        context = b.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
        pg = context.new_page()
        pg.set_default_timeout(WAIT)
        pg.goto(url)
        yield pg
        b.close()


def metric_value(page, label: str) -> str:
    card = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return card.locator('[data-testid="stMetricValue"]').inner_text()


QUESTIONS = {  # the question → a column of its answer's table
    "Vad kostar olika utfallsandelar oss per budgetår?": "Totalt",
    "Klarar utföraren likviditetsgapet, och vilken kredit behövs?": "Extra kredit som bär i 95 % av fallen",
    "Vad ändrar en garanti?": "Kredit banken ger",
}


def test_compare_two_scenarios_read_a_figure_switch_language_and_download(page, tmp_path):
    expect(page.get_by_role("heading", name="Vad vill ni veta?")).to_be_visible()  # the first page asks the questions
    page.get_by_role("link", name="Jämför").click()
    expect(page.get_by_text("Kommunens hela kostnad, genomsnitt").first).to_be_visible()
    # Pick another second scenario: remove the one chosen, add the one without a guarantee.
    picker = page.locator('[data-testid="stMultiSelect"]').first
    picker.locator('button[aria-label^="Remove"]').last.click()
    picker.get_by_role("combobox").click()
    page.keyboard.type("utan garanti")
    page.get_by_role("option", name="Bostad först – utan garanti", exact=True).click()
    page.keyboard.press("Escape")
    expect(picker).to_contain_text("utan garanti")
    page.get_by_role("button", name="Kör simuleringen").click()
    expect(page.locator('[data-testid="stMetric"]').filter(has_text="Kommunens hela kostnad, genomsnitt")).to_have_count(2)
    expect(page.get_by_text(re.compile(r"Bostad först – utan garanti\*\* — |Bostad först – utan garanti — ")).first).to_be_visible()
    value = metric_value(page, "Kommunens hela kostnad, genomsnitt")
    assert re.fullmatch(r"\d{1,3}( \d{3})+ kr", value.replace("\u00a0", " ")), value

    page.get_by_text("English", exact=True).click()
    expect(page.get_by_text("The municipality's whole cost, average").first).to_be_visible()
    english = metric_value(page, "The municipality's whole cost, average")
    assert english.startswith("SEK ") and english.replace("SEK ", "").replace(",", "") == value.replace("\u00a0", " ").replace(
        " kr", ""
    ).replace(" ", "")

    expect(page.get_by_role("heading", name="Downloads")).to_be_visible()  # the page has rerun to its end
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile(r"^Excel workbook: ")).first.click()
    path = tmp_path / "results.xlsx"
    info.value.save_as(path)
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames[0] == "Key figures" and {"Assumptions", "Ledger"} <= set(book.sheetnames)
    with page.expect_download() as info:  # the scenario on screen, as a file that loads again
        page.get_by_role("button", name=re.compile(r"^Scenario \(YAML\): .*utan garanti")).click()
    path = tmp_path / "scenario.yaml"
    info.value.save_as(path)
    assert sib.load_scenario(path).name == "Bostad först – utan garanti"
    page.get_by_text("Svenska", exact=True).click()
    expect(page.get_by_text("Kommunens hela kostnad, genomsnitt").first).to_be_visible()


def test_a_bad_upload_shows_its_problems_and_the_app_keeps_working(page, tmp_path):
    page.get_by_text("Svenska", exact=True).click()
    page.get_by_role("link", name="Scenarier").click()
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: trasig\nstart_date: 2027-02-30\n", encoding="utf-8")
    page.locator('input[type="file"]').set_input_files(str(bad))
    expect(page.get_by_text("är inte ett riktigt datum").first).to_be_visible()  # in the page's language
    expect(page.get_by_text("rad 2, kolumn 13").first).to_be_visible()
    # A good file whose name is Markdown: its name shown as written, no link, no image fetched.
    name = "Min [länk](https://example.com) ![bild](https://example.com/x.png)"
    good = tmp_path / "named.yaml"
    text = (REPO / "scenarios" / "bostad_forst.yaml").read_text(encoding="utf-8")
    good.write_text(re.sub(r"(?m)^name: .*$", f"name: '{name}'", text, count=1), encoding="utf-8")
    page.locator('input[type="file"]').set_input_files(str(good))
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="Uppladdat: ")
    expect(alert).to_be_visible()
    assert alert.inner_text().replace("\u2060", "") == f"Uppladdat: {name}."
    assert page.locator('a[href="https://example.com"]').count() == 0 and page.locator('img[src*="example.com"]').count() == 0
    page.get_by_role("link", name="Jämför").click()
    expect(page.get_by_text("Kommunens hela kostnad, genomsnitt").first).to_be_visible()


def test_a_new_user_gets_each_questions_answer_in_one_click(page, tmp_path):
    """The first page asks the three questions; one click on each sets up its comparison from
    the reference variants, runs it and shows the answer on top, the traditional contract first."""
    for question, column in QUESTIONS.items():
        page.get_by_role("link", name="Start: tre frågor").click()
        expect(page.get_by_role("heading", name="Vad vill ni veta?")).to_be_visible()
        page.get_by_role("button", name=question).click()
        expect(page.get_by_role("heading", name=f"Fråga: {question}")).to_be_visible()
        table = page.locator('[data-testid="stTable"]').first
        expect(table).to_contain_text(column)
        expect(table).to_contain_text("Bostad först – traditionellt avtal")
    expect(page.get_by_role("table").first).to_contain_text("Mikrofonden, högst")
    # The answer to take to the council: a two-page PDF of this comparison, the question on top.
    with page.expect_download() as info:
        page.get_by_role("button", name="Sammanfattning för nämnden (PDF, två sidor)").click()
    path = tmp_path / "summary.pdf"
    info.value.save_as(path)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)
    assert "Fråga: Vad ändrar en garanti?" in text and "kommunal borgen" in text


#: What Streamlit itself writes and an app cannot set, each reviewed: the file uploader's button
#: and its limit line, and the "Stop" beside a running page. Everything else on a Swedish page
#: is the app's own text and must be Swedish.
STREAMLIT_OWN = ("Upload", "upload", "per file", "Stop")


def test_every_page_a_swedish_user_sees_is_swedish(page):
    """The rendered text of each page as Chromium shows it (Streamlit's widgets included, which
    the element-tree check cannot see), with the pages' own English taken out only where it is
    on the reviewed list above."""
    from helpers_language import ENGLISH, foreign

    names = [n for f in sorted((REPO / "scenarios").glob("*.yaml")) for n in [sib.load_scenario(f).name]]
    leaks = []
    for link in ("Start: tre frågor", "Jämför", "Scenarier", "Utfallsandel och risk", "Workshop", "Antaganden och källor"):
        page.get_by_role("link", name=link).click()
        expect(page.get_by_role("heading").first).to_be_visible()
        page.wait_for_timeout(1500)
        main = page.locator('[data-testid="stMain"]').inner_text() + page.locator('[data-testid="stSidebar"]').inner_text()
        for line in main.splitlines():
            if any(own in line for own in STREAMLIT_OWN) or re.fullmatch(r"[a-z_]+", line.strip()):
                continue  # Streamlit's own words, or an icon's ligature name (keyboard_arrow_right)
            if hit := foreign(line, ENGLISH, names):
                leaks.append((link, sorted(hit), line[:120]))
    assert not leaks, "\n".join(map(str, leaks))
