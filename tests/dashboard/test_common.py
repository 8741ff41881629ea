"""What the pages share (sib/dashboard/common.py): a user's text shown as written."""

from __future__ import annotations


def test_a_name_is_shown_as_written_never_as_a_link_or_an_image():
    """A scenario named in Markdown once rendered a link and an image (the browser fetched it)
    in the upload's message; a problem holding a backtick broke out of its code span."""
    from sib.dashboard.common import code, md

    name = "Min [länk](https://example.com) ![bild](https://example.com/x.png) *fet*"
    shown = md(name)
    assert "](" not in shown.replace("\\]\\(", "") and "\\*fet\\*" in shown and "https://" not in shown
    assert code("a `b` c") == "`` a `b` c ``"
