"""The ``sib`` command: ``sib validate FILE`` and ``sib run FILE --seed N --out DIR``.

Exit codes: 0 success, 2 bad input (every problem printed with its path), 1 anything else.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from rich.console import Console
from rich.table import Table

from sib.fmt import date, group, percent
from sib.fmt import kr as money
from sib.scenario.errors import ScenarioError

EXIT_BAD_INPUT = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sib", description="Simulate outcome-based contracts.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_validate = sub.add_parser("validate", help="check a scenario file; print OK or every problem")
    p_validate.add_argument("file", type=Path)
    p_run = sub.add_parser("run", help="simulate one replication and write its tables")
    p_run.add_argument("file", type=Path)
    p_run.add_argument("--seed", type=_whole, default=0, help="root seed, a whole number >= 0 (default 0)")
    p_run.add_argument("--replication", type=_whole, default=0, help="replication number >= 0 (default 0)")
    p_run.add_argument("--out", type=Path, help="folder for manifest.json and the replication's tables")
    p_run.add_argument("--lang", choices=("sv", "en"), default="sv")
    args = parser.parse_args(argv)  # bad arguments: argparse prints usage and exits 2
    console = Console(soft_wrap=True)  # a problem stays on one line, also in CI logs
    try:
        if args.command == "validate":
            return _validate(args.file, console)
        return _run(args, console)
    except ScenarioError as exc:
        _print_problems(exc, console)
        return EXIT_BAD_INPUT
    except OSError as exc:  # e.g. --out names a file, or a folder we may not write
        where = f" {exc.filename}" if exc.filename else ""
        console.print(f"[bold red]cannot write the results[/]:{where}: {exc.strerror or exc}", highlight=False)
        return EXIT_BAD_INPUT


def _whole(text: str) -> int:
    """A whole number >= 0 (seeds and replication numbers)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0, got {value}")
    return value


def _print_problems(exc: ScenarioError, console: Console) -> None:
    console.print(f"[bold red]{exc.source or 'scenario'}[/]: {len(exc.problems)} problem(s)", highlight=False)
    for problem in exc.problems:
        console.print(f"  {problem}", highlight=False, markup=False)


def _validate(path: Path, console: Console) -> int:
    from sib.pricing import price
    from sib.scenario.loader import load_scenario

    scenario = load_scenario(path)
    try:
        price(scenario)  # an outcome share that cannot be reached is a problem of the file
    except ScenarioError as exc:
        raise ScenarioError(exc.problems, str(path)) from None
    console.print("OK")
    return 0


def _run(args: argparse.Namespace, console: Console) -> int:
    from sib.output import write_replication
    from sib.replication import simulate
    from sib.scenario.loader import load_scenario

    scenario = load_scenario(args.file)
    try:
        rep = simulate(scenario, args.seed, args.replication)
    except ScenarioError as exc:
        raise ScenarioError(exc.problems, str(args.file)) from None
    console.print(key_figures(rep, args.lang))
    if args.out is not None:
        folder = write_replication(rep, args.out)
        console.print(f"Wrote {folder}", highlight=False)
    return 0


def key_figures(rep, lang: str = "sv") -> Table:
    """The figures a reader looks for first, as a table."""
    m, p = rep.metrics, rep.priced
    sv = lang == "sv"

    def kr(amount: float) -> str:  # in the scenario's currency
        return money(amount, lang=lang, currency=rep.scenario.currency)

    yes, no = ("ja", "nej") if sv else ("yes", "no")
    table = Table(title=f"{rep.scenario.name} — {'replikering' if sv else 'replication'} {rep.replication}, seed {rep.seed}")
    table.add_column("Nyckeltal" if sv else "Figure")
    table.add_column("Värde" if sv else "Value", justify="right")
    rows = [
        ("Förväntat kontraktsvärde" if sv else "Expected contract value", kr(p.expected_value)),
        ("Utfallsandel, förväntad / full måluppfyllelse" if sv else "Outcome share, expected / full achievement",
         f"{percent(p.outcome_share_expected, lang=lang)} / {percent(p.outcome_share_full, lang=lang)}"),
        ("Högsta kontraktsvärde" if sv else "Maximum contract value",
         kr(p.max_contract_value) if p.max_contract_value is not None else ("obegränsat" if sv else "unbounded")),
        ("Över direktupphandlingsgränsen (" + kr(p.direct_award_limit) + ")" if sv else "Above the direct-award limit (" + kr(p.direct_award_limit) + ")",
         yes if p.exceeds_direct_award_limit else no),
        ("Remitterade / inskrivna" if sv else "Referred / enrolled", f"{m['referrals']} / {m['enrolled']}"),
        ("Förlorade: full lista / lång väntan / vid tjänstens slut" if sv else "Lost: list full / waited too long / at service end",
         f"{m['lost_list_full']} / {m['lost_max_wait']} / {m['lost_service_ended']}"),
        ("Avböjda, kontraktet fullt" if sv else "Declined, contract full", str(m["declined_contract_full"])),
        ("Verifierade utfall" if sv else "Verified outcomes", group(m["outcome_claims_verified"], lang=lang)),
        ("Kommunen betalar totalt" if sv else "Municipality pays in total", kr(m["commissioner_paid"])),
        ("  varav fast" if sv else "  of which fixed", kr(m["commissioner_paid_fixed"])),
        ("  varav utfall" if sv else "  of which outcomes", kr(m["commissioner_paid_outcome"])),
        ("Kostnad per verifierat utfall" if sv else "Cost per verified outcome", kr(m["cost_per_outcome"])),
        ("Utförarens resultat" if sv else "Provider's result", kr(m["provider_result"])),
        ("Utförarens lägsta kassa" if sv else "Provider's lowest cash",
         f"{kr(m['provider_min_cash'])} ({date(m['provider_min_cash_date'])})"),
        ("Utförarens lägsta likviditet (kassa + outnyttjad kredit)" if sv else "Provider's lowest liquidity (cash + undrawn credit)",
         f"{kr(m['provider_min_liquidity'])} ({date(m['provider_min_liquidity_date'])})"),
        ("Största kreditutnyttjande" if sv else "Peak credit drawn", kr(m["peak_credit_drawn"])),
        ("Obestånd (betalning som inte kan göras)" if sv else "Insolvent (a payment it cannot make)",
         f"{yes} ({date(m['provider_insolvency_date'])})" if m["provider_insolvent"] else no),
        ("Tjänsten upphörde" if sv else "Service stopped",
         f"{date(m['service_stopped_date'])}, {m['participants_taken_over']} {'övertagna' if sv else 'taken over'}" if m["service_stopped"] else no),
        ("Garantin betalade / banken förlorade" if sv else "Guarantor paid / bank lost",
         f"{kr(m['guarantor_paid'])} / {kr(m['bank_loss'])}"),
    ]
    if "investor_paid_in" in m:
        irr = percent(m["investor_irr"], lang=lang) if m["investor_irr"] == m["investor_irr"] else m["investor_irr_note"]
        rows += [
            ("Investeraren satte in / fick tillbaka" if sv else "Investor paid in / received",
             f"{kr(m['investor_paid_in'])} / {kr(m['investor_received'])}"),
            ("Investerarens avkastning (IRR)" if sv else "Investor's rate of return (IRR)", irr),
        ]
    if "econ_municipality_net_cost" in m:
        rows.append(
            ("Kommunens nettokostnad efter undvikna kostnader (nuvärde)" if sv else "Municipality's net cost after avoided costs (present value)",
             kr(m["econ_municipality_net_cost"]))
        )
    for label, value in rows:
        table.add_row(label, value)
    return table


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
