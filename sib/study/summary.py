"""A comparison on two A4 pages for a council meeting (reportlab, charts by matplotlib): the
question, the designs side by side, the key figures with their ranges, a warning where the
provider fails often, the municipality's cost per budget year, the provider's cash fan, and
the assumptions that matter most with their sources.

    write_summary({"Traditionellt": results_a, "60 %": results_b}, "summary.pdf", "sv", question)
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import BinaryIO

import numpy as np

from sib.fmt import group, kr, mnkr, percent
from sib.i18n import Catalogue
from sib.study.readable import flagged, guarantee_name, risk_text, what_failure_means, years
from sib.study.results import Results

#: The font: DejaVu Sans, which matplotlib ships, has every character Swedish amounts use
#: (å, ä, ö, the minus sign −, the en dash –); the PDF's built-in fonts lack some.
FONT = "DejaVuSans"
COLOURS = ("#1f5f8b", "#d1495b", "#edae49", "#00798c", "#6a4c93")

_T = Catalogue(
    {
        "title": ("Jämförelse av avtalsformer", "A comparison of contract designs"),
        "made": (
            "sib {version}, {date}: {reps} simuleringar per avtalsform, samma slumptal för alla (startvärde {seed}).",
            "sib {version}, {date}: {reps} simulations per design, the same random numbers for all (seed {seed}).",
        ),
        "question": ("Fråga", "Question"),
        "designs": ("Avtalsformerna", "The designs"),
        "design": ("Avtalsform", "Design"),
        "share": ("På utfall", "On outcomes"),
        "invoices": ("Fakturor", "Invoices"),
        "monthly": ("månadsvis", "monthly"),
        "quarterly": ("kvartalsvis", "quarterly"),
        "guarantee": ("Garanti", "Guarantee"),
        "credit": ("Kredit banken ger", "Credit the bank grants"),
        "none": ("ingen", "none"),
        "figures": ("Nyckeltal", "Key figures"),
        "figures_note": (
            "Genomsnitt med spannet där 90 % av simuleringarna hamnar; en risk med sin felmarginal (95 %).",
            "Averages with the range 90% of the simulations fall in; a risk with its margin of error (95%).",
        ),
        "whole": ("Kommunens hela kostnad", "The municipality's whole cost"),
        "paid": ("Betalt till utföraren", "Paid to the provider"),
        "risk": ("Risk att utföraren inte kan betala", "Probability the provider cannot pay"),
        "need": ("Extra kredit som bär utföraren i 95 % av fallen", "Extra credit that carries the provider in 95% of cases"),
        "low": ("Utförarens lägsta likviditet, 5 % sämsta", "The provider's lowest liquidity, worst 5%"),
        "per_outcome": ("Betalt per verifierat utfall", "Paid per verified outcome"),
        "flag_carried_on": (
            "{name}: utföraren kan inte betala i {risk} av simuleringarna; kommunens kostnad gäller då också att föra "
            "tjänsten vidare, inte bara avtalet.",
            "{name}: the provider cannot pay in {risk} of the simulations; the municipality's cost then includes carrying "
            "the service on, not the contract alone.",
        ),
        "flag_continues": (
            "{name}: utförarens pengar räcker inte i {risk} av simuleringarna; tjänsten fortsätter ändå i "
            "simuleringen, men i verkligheten måste någon skjuta till pengar.",
            "{name}: the provider's money does not suffice in {risk} of the simulations; the service goes on in "
            "the simulation, but in reality somebody must add money.",
        ),
        "flag_left_out": (
            "{name}: utföraren kan inte betala i {risk} av simuleringarna, och scenariot säger inte vad det kostar "
            "att föra tjänsten vidare: kommunens kostnad är för låg i de fallen.",
            "{name}: the provider cannot pay in {risk} of the simulations, and the scenario does not say what "
            "carrying the service on costs: the municipality's cost is too low in those cases.",
        ),
        "years": ("Kommunens hela kostnad per budgetår (kassa), mnkr", "The municipality's whole cost per budget year (cash), SEK m"),
        "years_note": (
            "Staplar: genomsnitt; strecken: spannet för 90 % av simuleringarna.",
            "Bars: average; whiskers: the range of 90% of the simulations.",
        ),
        "fan": (
            "Utförarens kassa netto efter kredit, månadens lägsta, mnkr",
            "The provider's cash net of credit, lowest each month, SEK m",
        ),
        "fan_note": (
            "Linje: median; band: 90 % av simuleringarna; streckat: kreditgränsen, där pengarna tar slut.",
            "Line: median; band: 90% of the simulations; dashed: the credit limit, where the money runs out.",
        ),
        "assumptions": ("Antaganden som betyder mest", "The assumptions that matter most"),
        "assumptions_note": (
            "Osäkra antaganden dras på nytt i varje simulering; deras källor står i scenariofilen och i docs/sources.md.",
            "Uncertain assumptions are drawn anew in each simulation; their sources are in the scenario file and docs/sources.md.",
        ),
        "parameter": ("Antagande", "Assumption"),
        "range": ("Värde eller spann", "Value or range"),
        "source": ("Källa", "Source"),
        "expected": ("Förväntat kontraktsvärde", "Expected contract value"),
    }
)


def _t(key: str, lang: str, **values: object) -> str:
    return _T(key, lang, **values)


def write_summary(results: dict[str, Results], out: str | Path | BinaryIO, lang: str = "sv", question: str | None = None) -> None:
    """Write the comparison's summary as a PDF to a path or a binary file."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_font()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#444444"))
    head = ParagraphStyle("head", parent=body, fontSize=12, leading=15, spaceBefore=6, spaceAfter=3)
    title = ParagraphStyle("title", parent=body, fontSize=17, leading=21, spaceAfter=4)
    warn = ParagraphStyle("warn", parent=body, textColor=colors.HexColor("#8a4b00"))
    cell = ParagraphStyle("cell", parent=body, fontSize=8, leading=10)

    from sib import __version__

    first = next(iter(results.values()))
    story = [
        Paragraph(_t("title", lang), title),
        Paragraph(_t("made", lang, version=__version__, date=dt.date.today().isoformat(), reps=first.reps, seed=first.seed.entropy), small),
    ]
    if question:
        story.append(Paragraph(f"<b>{_t('question', lang)}:</b> {_escape(question)}", head))

    def table(rows: list[list[str]], widths: list[float]) -> Table:
        t = Table([[Paragraph(_escape(c), cell) for c in row] for row in rows], colWidths=widths, repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#bbbbbb")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return t

    names = list(results)
    width = 17.5 * cm
    first_col = 5.2 * cm
    other = (width - first_col) / len(names)
    story += [Paragraph(_t("designs", lang), head), table(_designs(results, lang), [first_col] + [other] * len(names))]
    story += [
        Paragraph(_t("figures", lang), head),
        table(_figures(results, lang), [first_col] + [other] * len(names)),
        Paragraph(_t("figures_note", lang), small),
    ]
    for name, risk in flagged(results).items():
        key = f"flag_{what_failure_means(results[name].scenario)}"
        story.append(Paragraph("⚠ " + _escape(_t(key, lang, name=name, risk=percent(risk, 0, lang))), warn))
    for key, draw in (("years", _years_chart), ("fan", _fan_chart)):  # a chart with its heading and note on one page
        story.append(
            KeepTogether(
                [
                    Paragraph(_t(key, lang), head),
                    Image(_png(draw, results, lang), width=width, height=6.2 * cm),
                    Paragraph(_t(f"{key}_note", lang), small),
                ]
            )
        )
    rows = _assumptions(first, lang)
    if len(rows) > 1:
        story += [
            Paragraph(_t("assumptions", lang), head),
            table(rows, [6 * cm, 4 * cm, 7.5 * cm]),
            Paragraph(_t("assumptions_note", lang), small),
        ]
    story.append(Spacer(1, 0.2 * cm))
    doc = SimpleDocTemplate(
        out if not isinstance(out, Path) else str(out),
        pagesize=A4,
        leftMargin=1.8 * cm,
        rightMargin=1.8 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
        title=_t("title", lang),
        author="sib",
    )
    doc.build(story)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _designs(results: dict[str, Results], lang: str) -> list[list[str]]:
    rows = [[_t("design", lang), *results]]
    rows.append([_t("share", lang), *(percent(r.priced.outcome_share_expected, 0, lang) for r in results.values())])
    rows.append([_t("expected", lang), *(mnkr(r.priced.expected_value, lang=lang) for r in results.values())])
    rows.append([_t("invoices", lang), *(_t(r.scenario.contract.invoice_period, lang) for r in results.values())])
    rows.append([_t("guarantee", lang), *(guarantee_name(r, lang) for r in results.values())])
    rows.append([_t("credit", lang), *(kr(r.scenario.financing.credit_limit, lang=lang) for r in results.values())])
    return rows


def _spread(r: Results, metric: str, lang: str) -> str:
    values = r.values(metric).astype(float)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return "–"
    low, high = np.percentile(values, [5, 95])
    m = float(values.mean())
    if max(abs(low), abs(high), abs(m)) >= 1e6:
        return f"{mnkr(m, lang=lang)} ({group(low / 1e6, 1, lang)}–{group(high / 1e6, 1, lang)})"
    return f"{kr(m, lang=lang)} ({group(low, 0, lang)}–{group(high, 0, lang)})"


def _figures(results: dict[str, Results], lang: str) -> list[list[str]]:
    rows = [["", *results]]
    rows.append([_t("whole", lang), *(_spread(r, "commissioner_whole_cost", lang) for r in results.values())])
    rows.append([_t("paid", lang), *(_spread(r, "commissioner_paid", lang) for r in results.values())])
    rows.append([_t("per_outcome", lang), *(kr(r.kpi("cost_per_outcome", "mean").value, lang=lang) for r in results.values())])
    rows.append([_t("risk", lang), *(risk_text(r, lang) for r in results.values())])
    rows.append([_t("need", lang), *(kr(r.kpi("funding_need", "p95").value, lang=lang) for r in results.values())])
    rows.append([_t("low", lang), *(kr(r.kpi("provider_min_liquidity", "p05").value, lang=lang) for r in results.values())])
    return rows


def _assumptions(r: Results, lang: str) -> list[list[str]]:
    """The first design's uncertain assumptions (what the spread comes from) with their draws
    and sources, then the provider's own cash and credit."""
    from sib.scenario.levers import levers
    from sib.scenario.uncertainty import uncertain_parameters

    sc = r.scenario
    named = {lv.path: lv.label(lang) for lv in levers(sc)}
    rows = [[_t("parameter", lang), _t("range", lang), _t("source", lang)]]
    for p in uncertain_parameters(sc):
        low, high = p.draw.quantile(0.05), p.draw.quantile(0.95)
        digits = 2 if max(abs(low), abs(high)) < 100 else 0
        rows.append(
            [named.get(p.name, p.name), f"{group(low, digits, lang)} – {group(high, digits, lang)} (90 %)", _source(sc, p.name, lang)]
        )
    for path in ("provider.opening_equity", "financing.credit_line.limit"):
        value = (
            sc.provider.opening_equity
            if path.startswith("provider")
            else (sc.financing.credit_line.limit if sc.financing.credit_line is not None else None)
        )
        if value is not None:
            rows.append([named.get(path, path), kr(value, lang=lang), _source(sc, path, lang)])
    return rows[:14]


def _source(sc, path: str, lang: str) -> str:
    text = " ".join(sc.source(path, lang)[1].split())
    return text if len(text) <= 220 else text[:217] + "…"


def _register_font() -> None:
    from matplotlib import get_data_path
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(Path(get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")))


def _png(draw, results: dict[str, Results], lang: str) -> io.BytesIO:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    fig, ax = plt.subplots(figsize=(9, 3.2), dpi=150)
    draw(ax, results, lang)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: group(v, 1 if abs(v) < 10 else 0, lang)))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7, frameon=False, loc="best")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    buffer.seek(0)
    return buffer


def _years_chart(ax, results: dict[str, Results], lang: str) -> None:
    all_years = sorted({y for r in results.values() for y in years(r)})
    width = 0.8 / len(results)
    for k, (name, r) in enumerate(results.items()):
        runs = (
            np.array(
                [
                    r.summary[f"commissioner_whole_cost_{y}"].to_numpy(float)
                    if f"commissioner_whole_cost_{y}" in r.summary
                    else np.zeros(len(r.summary))
                    for y in all_years
                ]
            )
            / 1e6
        )
        mean, low, high = runs.mean(axis=1), np.percentile(runs, 5, axis=1), np.percentile(runs, 95, axis=1)
        x = np.arange(len(all_years)) + (k - (len(results) - 1) / 2) * width
        ax.bar(x, mean, width, color=COLOURS[k % len(COLOURS)], label=name)
        ax.errorbar(x, mean, yerr=[mean - low, high - mean], fmt="none", ecolor="#333333", elinewidth=0.7, capsize=1.5)
    ax.set_xticks(np.arange(len(all_years)), [str(y) for y in all_years])


def _fan_chart(ax, results: dict[str, Results], lang: str) -> None:
    for k, (name, r) in enumerate(results.items()):
        colour = COLOURS[k % len(COLOURS)]
        limit = r.scenario.financing.credit_limit
        series = "provider_liquidity_low" if "provider_liquidity_low" in r.series_names else "provider_cash_low"
        ts = r.bands(series)
        shift = limit if series == "provider_liquidity_low" else 0.0
        x = np.array([np.datetime64(m) for m in ts.month])
        ax.fill_between(x, (ts.p05 - shift) / 1e6, (ts.p95 - shift) / 1e6, color=colour, alpha=0.15, linewidth=0)
        ax.plot(x, (ts.p50 - shift) / 1e6, color=colour, linewidth=1.4, label=name)
        if r.scenario.financing.credit_line is not None:
            ax.axhline(-limit / 1e6, color=colour, linestyle="--", linewidth=0.8)
    ax.axhline(0, color="#888888", linewidth=0.6)
