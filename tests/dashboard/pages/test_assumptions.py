"""The assumptions page: every value with its source."""

from __future__ import annotations

from helpers_app import app, on


def test_the_assumptions_page_lists_every_value_with_its_source():
    at = on(app(), "assumptions")
    table = at.dataframe[0].value
    assert len(table) > 50
    row = table[table.iloc[:, 0] == "capacity.places"].iloc[0]
    assert row.iloc[1] == "110" and row.iloc[2].startswith("antagande: 110 stödplatser")  # the source in the page's language
    # A cited work is given in full beside the source that cites it.
    rate = table[table.iloc[:, 0] == "insolvency.late_interest_rate"].iloc[0]
    assert "[rantelagen-1975]" in rate.iloc[2] and "Räntelag (1975:635)" in rate.iloc[3]
    assert any("creaming" in m.value for m in at.markdown)
