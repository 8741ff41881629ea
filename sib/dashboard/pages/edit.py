"""The scenario library and its editor: pick a scenario, change its levers in one form (no
rerun per keystroke), save the result as a new version, upload a file, download YAML."""

from __future__ import annotations

from typing import Any

import streamlit as st

import sib
from sib.dashboard.common import lang, library, md, show_problems, t
from sib.dashboard.library import read_upload
from sib.dashboard.text import unit as unit_label
from sib.fmt import group, number, parse_number, percent
from sib.i18n import say
from sib.labels import CHOICES
from sib.labels import label as choice_label
from sib.scenario.edit import to_yaml, with_values
from sib.scenario.levers import Lever, levers

GROUPS = ("contract", "provider", "participants", "effect", "financing")
SPAN_UNITS = ("days", "weeks", "months")


def page() -> None:
    tr = t()
    lib = library()
    st.title(tr("library"))
    st.caption(tr("library_help"))
    for file, problems in lib.broken.items():
        show_problems(sib.ScenarioError(problems, file), tr("bad_file", name=file))

    upload = st.file_uploader(tr("upload"), type=["yaml", "yml"], key="upload")
    if upload is not None and st.session_state.get("uploaded_id") != upload.file_id:
        try:
            name = lib.keep(read_upload(upload.getvalue(), upload.name))
        except sib.ScenarioError as exc:
            show_problems(exc)
        else:
            st.session_state["uploaded_id"] = upload.file_id
            st.session_state["edit_name"] = name
            st.success(tr("uploaded", name=md(name)))

    names = list(lib.scenarios)
    if st.session_state.get("edit_name") not in names:
        default = lib.default_names(1)
        st.session_state["edit_name"] = default[0] if default else names[0]
    name = st.selectbox(tr("scenario"), names, key="edit_name")
    scenario = lib.scenarios[name]
    if scenario.about(lang()):
        st.caption(md(" ".join(scenario.about(lang()).split())))  # what the scenario is, in the reader's language
    if name in lib.own:
        yours(name)
    st.download_button(
        tr("download_yaml"),
        to_yaml(scenario),
        file_name=f"{_slug(name)}.yaml",
        mime="application/x-yaml",
        on_click="ignore",
        key="download_yaml",
    )
    form(scenario, name)


def form(scenario: sib.Scenario, name: str) -> None:
    tr, lg = t(), lang()
    found = levers(scenario)
    with st.form(f"levers_{scenario.digest[:12]}", enter_to_submit=False):
        st.subheader(tr("levers"))
        values: dict[str, Any] = {}
        for group in GROUPS:
            mine = [lv for lv in found if lv.group == group]
            if not mine:
                continue
            with st.expander(tr(f"group_{group}"), expanded=group == "contract"):
                for lv in mine:
                    values[lv.path] = widget(lv, lg, scenario.digest[:12])
        save_as = st.text_input(tr("save_as"), value=f"{name} ({tr('edited')})", key=f"save_as_{scenario.digest[:12]}")
        submitted = st.form_submit_button(tr("apply"), type="primary")
    if not submitted:
        return
    problems = []
    for lv in found:  # amounts and rates come as typed, a decimal comma or point, spaces between thousands
        if lv.kind == "number":
            try:
                values[lv.path] = parse_number(values[lv.path], lg)
            except ValueError:
                problems.append(tr("not_a_number", label=lv.label(lg), path=lv.path, text=values[lv.path]))
    if problems:
        show_problems(sib.ScenarioError(problems))
        return
    changes = {lv.path: values[lv.path] for lv in found if lv.kind != "distribution" and values[lv.path] != current(lv)}
    if not changes and save_as == name:
        st.info(tr("no_changes"))
        return
    try:
        edited = with_values(scenario, changes, name=save_as)
    except sib.ScenarioError as exc:
        show_problems(exc)
        return
    saved = library().keep(edited)
    st.success(tr("saved", name=md(saved)))


def yours(name: str) -> None:
    """One of the user's own scenarios: where it is kept, and renaming or deleting it."""
    tr, lib = t(), library()
    st.caption(tr("kept_in", path=md(str(lib.own[name]))))
    # A form, so that the name is read when a button is pressed (and Streamlit writes no English
    # "Press Enter" hint under the field).
    with st.form(f"yours:{name}", enter_to_submit=False, border=False):
        c1, c2, c3 = st.columns([3, 1, 1], vertical_alignment="bottom")
        c1.text_input(tr("new_name"), value=name, key=f"rename:{name}")
        c2.form_submit_button(tr("rename"), key=f"rename_button:{name}", on_click=_rename, args=(name,))
        c3.form_submit_button(tr("delete"), key=f"delete:{name}", on_click=_delete, args=(name,))


def _rename(name: str) -> None:
    """Run before the page (a callback), so that the picker can show the new name."""
    new = st.session_state.get(f"rename:{name}", "").strip()
    if new and new != name:
        st.session_state["edit_name"] = library().rename(name, new)


def _delete(name: str) -> None:
    library().delete(name)
    st.session_state.pop("edit_name", None)


def current(lv: Lever) -> Any:
    """The lever's value as the form returns it (a span as a mapping)."""
    if lv.kind == "span":
        return {k: v for k, v in lv.value.model_dump().items() if v is not None}
    return lv.value


def widget(lv: Lever, lg: str, scope: str) -> Any:
    """The control for one lever; returns the value in the file's terms. Its key names the
    scenario (``scope``): a key shared between scenarios would keep the value the control had
    for the scenario shown before and offer it as this one's."""
    tr = t()
    label = lv.label(lg) + (f" ({unit_label(lv.unit, lg)})" if lv.unit and lv.kind not in ("share",) else "")
    key = f"lever:{scope}:{lv.path}"
    if lv.kind == "share":
        # A slider over the shares themselves, each shown as a percentage the reader's way
        # ("2,5 %"): Streamlit's own slider formats with a decimal point whatever the language.
        step = lv.step or 0.01
        grid = {round(lv.lo + i * step, 6) for i in range(int(round((lv.hi - lv.lo) / step)) + 1)}
        options = sorted(grid | {round(lv.value, 6)})
        decimals = max(len(f"{100 * o:.4f}".rstrip("0").split(".")[1]) for o in options)
        return st.select_slider(label, options=options, value=round(lv.value, 6), key=key, format_func=lambda o: percent(o, decimals, lg))
    if lv.kind == "whole":
        return int(
            st.number_input(
                label,
                min_value=int(lv.lo) if lv.lo is not None else None,
                max_value=int(lv.hi) if lv.hi is not None else None,
                value=int(lv.value),
                step=int(lv.step or 1),
                key=key,
            )
        )
    if lv.kind == "number":
        # Text, as the page's language writes it ("2 000 000", "0,378"); read back on saving, where
        # a value outside the field's range is refused with the field named, never moved into it.
        return st.text_input(label, value=number(lv.value, lg), key=key, help=_range_help(lv, lg))
    if lv.kind == "choice":
        return st.selectbox(
            label, lv.options, index=lv.options.index(lv.value), key=key, format_func=lambda o: choice_label(CHOICES, o, lg)
        )
    if lv.kind == "span":
        given = current(lv)
        unit, amount = next(iter(given.items()))
        c1, c2 = st.columns([2, 1])
        n = int(c1.number_input(label, min_value=0, max_value=36500, value=int(amount), step=1, key=key))
        u = c2.selectbox(" ", SPAN_UNITS, index=SPAN_UNITS.index(unit), format_func=lambda x: tr(f"unit_{x}"), key=key + ":unit")
        return {u: n}
    st.text_input(label, value=tr("distribution_value", text=_draw_text(lv.value)), disabled=True, key=key)
    return lv.value


def _range_help(lv: Lever, lg: str) -> str | None:
    if lv.lo is None and lv.hi is None:
        return None
    lo = number(lv.lo, lg) if lv.lo is not None else "–"
    hi = number(lv.hi, lg) if lv.hi is not None else "–"
    return t()("usual_range", lo=lo, hi=hi)


def _draw_text(draw) -> str:
    """An uncertain value in words: its range or its centre and spread, in the page's language."""
    lg = lang()
    v = [group(x, 0 if float(x).is_integer() else 2, lg) for x in getattr(draw, draw.kind)]
    if draw.kind == "uniform":
        return say("lika troligt mellan {a} och {b}", "equally likely between {a} and {b}", lg, a=v[0], b=v[1])
    if draw.kind == "triangular":
        return say("mellan {a} och {c}, troligast {b}", "between {a} and {c}, most likely {b}", lg, a=v[0], b=v[1], c=v[2])
    if draw.kind == "beta":
        a, b = draw.beta
        return say(
            "en andel kring {mean} (beta {a}, {b})",
            "a share around {mean} (beta {a}, {b})",
            lg,
            mean=percent(a / (a + b), 0, lg),
            a=v[0],
            b=v[1],
        )
    return say("median {a}, log-spridning {b}", "median {a}, log spread {b}", lg, a=v[0], b=v[1])


def _slug(name: str) -> str:
    keep = "".join(c.lower() if c.isalnum() else "_" for c in name)
    return "_".join(p for p in keep.split("_") if p) or "scenario"


if __name__ == "__main__":  # run by st.navigation as a page script
    page()
