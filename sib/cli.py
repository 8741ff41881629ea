"""The ``sib`` command: ``validate``, ``run`` (a Monte Carlo study, or one replication),
``compare``, ``sweep``, ``bid`` (the expected value a provider needs at each outcome share) and
``check`` (the validation suite).

Exit codes: 0 success, 2 bad input (every problem printed with its path), 130 stopped by
Ctrl-C or SIGTERM (nothing written), 1 anything else (``check``: a check failed).
"""

from __future__ import annotations

import argparse
import contextlib
import faulthandler
import os
import re
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sib.fmt import date, group, number, percent
from sib.fmt import kr as money
from sib.i18n import LANGUAGES, pick, say, speaking
from sib.scenario.errors import ScenarioError
from sib.study import executors

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # the shell's code for a run stopped by Ctrl-C
EXIT_FAILED = 1  # the run could not be done (the worker processes died)


def _file_help() -> str:
    """The help of a scenario argument, in the language in force when the parser is made."""
    return say(
        "scenariofilen, eller namnet på ett referensscenario (t.ex. bostad_forst)",
        "the scenario file, or the name of a reference scenario (e.g. bostad_forst)",
    )


def _scenario_file(text: str) -> Path:
    """A scenario file as given; a name that is no file here but a reference scenario's
    (``bostad_forst``) is that scenario, wherever sib is installed."""
    from sib.scenario import shipped

    given = Path(text)
    if given.exists():
        return given
    found = shipped.named(text)
    if found is not None:
        return found
    if len(given.parts) == 1 and given.suffix != ".yaml":  # a name, not a path: say which names there are
        raise argparse.ArgumentTypeError(
            say(
                "{text!r}: ingen sådan fil och inget referensscenario med det namnet (referensscenarierna: {names})",
                "{text!r}: no such file, and no reference scenario of that name (the reference scenarios: {names})",
                text=text,
                names=", ".join(shipped.names()),
            )
        )
    return given  # a path: the loader says what is wrong with it


def _parser() -> argparse.ArgumentParser:
    """The command line, with its help in the language in force."""
    parser = argparse.ArgumentParser(prog="sib", description=say("Simulera utfallsbaserade avtal.", "Simulate outcome-based contracts."))
    sub = parser.add_subparsers(
        dest="command", required=True, title=say("kommandon", "commands"), metavar="{validate,run,compare,sweep,bid,dashboard,check}"
    )
    p_validate = sub.add_parser(
        "validate", help=say("granska en scenariofil; skriv OK eller varje problem", "check a scenario file; print OK or every problem")
    )
    p_validate.add_argument("file", type=_scenario_file, help=_file_help())
    _lang(p_validate)

    p_run = sub.add_parser(
        "run",
        help=say(
            "en Monte Carlo-studie av ett scenario (eller en enda simulering med --replication)",
            "a Monte Carlo study of a scenario (or one simulation with --replication)",
        ),
    )
    p_run.add_argument("file", type=_scenario_file, nargs="?", help=_file_help() + say(" (inte med --from)", " (not with --from)"))
    p_run.add_argument(
        "--reps",
        type=_reps,
        default=1000,
        help=say(
            "antal simuleringar, ett heltal från 1 till 1 000 000 (standard 1000)",
            "simulations, a whole number from 1 to 1 000 000 (default 1000)",
        ),
    )
    p_run.add_argument(
        "--replication",
        type=_whole,
        help=say(
            "simulera bara den här simuleringen (nummer från 0) och visa dess tal",
            "simulate only this simulation (numbered from 0) and show its figures",
        ),
    )
    p_run.add_argument(
        "--keep",
        type=_whole_list,
        help=say(
            "simuleringar vars hela huvudbok skrivs (standard: de vid 5:e, 50:e och 95:e percentilen av utförarens lägsta likviditet)",
            "simulations whose full ledgers are written (default: those at the 5th, 50th and 95th percentile of the provider's "
            "lowest liquidity)",
        ),
    )
    p_run.add_argument(
        "--from",
        dest="from_",
        type=Path,
        metavar="DIR",
        help=say("kör om det som resultatmappen DIR innehåller", "run again what the results folder DIR holds"),
    )
    p_run.add_argument(
        "--out",
        type=Path,
        help=say("mapp för resultaten (får inte finnas eller måste vara tom)", "folder for the results (must not exist or be empty)"),
    )
    _common(p_run)

    p_compare = sub.add_parser(
        "compare",
        help=say("flera scenarier med samma slumptal, sida vid sida", "several scenarios with the same random numbers, side by side"),
    )
    p_compare.add_argument(
        "files",
        type=_scenario_file,
        nargs="+",
        help=say("scenariofilerna, eller referensscenariernas namn", "the scenario files, or the reference scenarios' names"),
    )
    p_compare.add_argument(
        "--reps", type=_reps, default=1000, help=say("simuleringar per scenario (standard 1000)", "simulations per scenario (default 1000)")
    )
    p_compare.add_argument(
        "--pdf",
        type=Path,
        metavar="FILE",
        help=say(
            "skriv också en sammanfattning på två sidor för ett nämndsammanträde", "also write a two-page summary for a council meeting"
        ),
    )
    p_compare.add_argument(
        "--question",
        help=say(
            "frågan jämförelsen besvarar, överst i sammanfattningen",
            "the question the comparison answers, printed at the top of the summary",
        ),
    )
    _common(p_compare)

    p_sweep = sub.add_parser(
        "sweep",
        help=say(
            "en parameter vid flera värden, samma slumptal vid varje", "one parameter at several values, the same random numbers at each"
        ),
    )
    p_sweep.add_argument("file", type=_scenario_file, help=_file_help())
    p_sweep.add_argument(
        "--param",
        required=True,
        help=say("parameterns sökväg, t.ex. contract.outcome_share", "the parameter's path, e.g. contract.outcome_share"),
    )
    p_sweep.add_argument(
        "--values",
        required=True,
        type=_values,
        help=say("start:stopp:steg (stopp ingår) eller en lista 0.2,0.4", "start:stop:step (stop included) or a list 0.2,0.4"),
    )
    p_sweep.add_argument(
        "--reps", type=_reps, default=1000, help=say("simuleringar per värde (standard 1000)", "simulations per value (default 1000)")
    )
    p_sweep.add_argument(
        "--without-guarantee",
        action="store_true",
        help=say(
            "pröva också scenariot utan dess garanti (banken lånar då bara ut på utförarens egen kreditvärdighet)",
            "also sweep the scenario without its guarantee (the bank then lends on the provider's own standing only)",
        ),
    )
    _common(p_sweep)

    p_bid = sub.add_parser(
        "bid",
        help=say(
            "det förväntade kontraktsvärde utföraren behöver vid varje utfallsandel för att behålla sin marginal eller sin risk",
            "the expected value a provider needs at each outcome share, to keep its margin or its risk",
        ),
    )
    p_bid.add_argument("file", type=_scenario_file, help=_file_help())
    p_bid.add_argument(
        "--shares",
        required=True,
        type=_values,
        help=say("utfallsandelar, start:stopp:steg eller en lista 0.2,0.4,0.6", "outcome shares, start:stop:step or a list 0.2,0.4,0.6"),
    )
    p_bid.add_argument(
        "--keep",
        choices=("margin", "risk"),
        default="margin",
        help=say(
            "margin: samma förväntade resultat som andel av kontraktsvärdet som scenariot som givet; "
            "risk: risken för obestånd högst --risk-limit (standard margin)",
            "margin: the same expected result as a share of the contract value as the scenario as given; "
            "risk: the risk of insolvency at most --risk-limit (default margin)",
        ),
    )
    p_bid.add_argument(
        "--risk-limit",
        type=_share,
        default=0.05,
        help=say(
            "med --keep risk: den högsta risken för obestånd, 0–1 (standard 0,05)",
            "with --keep risk: the largest risk of insolvency, 0–1 (default 0.05)",
        ),
    )
    p_bid.add_argument(
        "--reps",
        type=_positive,
        default=200,
        help=say("simuleringar per prövat värde (standard 200)", "simulations per value tried (default 200)"),
    )
    p_bid.add_argument(
        "--save",
        type=Path,
        metavar="DIR",
        help=say(
            "skriv varje anbud som en scenariofil (bid_<andel>.yaml) i DIR", "write each bid as a scenario file (bid_<share>.yaml) into DIR"
        ),
    )
    _common(p_bid)

    p_dashboard = sub.add_parser(
        "dashboard",
        help=say(
            "visa instrumentpanelen i webbläsaren, med referensscenarierna",
            "show the dashboard in the browser, with the reference scenarios",
        ),
    )
    p_dashboard.add_argument(
        "--port",
        type=_port,
        default=8501,
        help=say("porten den svarar på, 1–65535 (standard 8501)", "the port it answers on, 1–65535 (default 8501)"),
    )
    p_dashboard.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="sv",
        help=say(
            "språket den öppnar på (standard sv; det går att byta i sidofältet)",
            "the language it opens in (default sv; the sidebar switches it)",
        ),
    )

    p_check = sub.add_parser(
        "check", help=say("kör valideringssviten och skriv docs/validation.md", "run the validation suite and write docs/validation.md")
    )
    p_check.add_argument(
        "--fast",
        action="store_true",
        help=say("små stickprov: sekunder i stället för minuter", "small samples: seconds instead of minutes"),
    )
    p_check.add_argument(
        "--out", type=Path, default=Path("docs/validation.md"), help=say("var rapporten skrivs", "where to write the report")
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # The language is read before the parser is built, so that its help and errors speak it
    # too; it holds for this command only (a caller in the same process keeps its own).
    with speaking(_language(argv)):
        try:
            return _main(argv)
        except KeyboardInterrupt:  # before the simulations began, or while the results were written
            Console(soft_wrap=True).print(
                say("[bold yellow]Avbrutet[/]; inga resultat skrevs.", "[bold yellow]Stopped[/]; no results were written."), highlight=False
            )
            return EXIT_INTERRUPTED


def _main(argv: list[str]) -> int:
    with _argparse_speaking():
        parser = _parser()
        args = parser.parse_args(argv)  # bad arguments: argparse prints usage and exits 2
    if args.command == "dashboard":
        return _dashboard(args.port, args.lang)
    if args.command == "check":
        missing = _not_a_checkout()
        if missing is not None:
            Console(soft_wrap=True).print(missing, highlight=False)
            return EXIT_FAILED
        sys.path.insert(0, str(_checkout() / "tests"))  # the suite lives with the tests, not in the package
        from validation.__main__ import main as check

        return check([*(["--fast"] if args.fast else []), "--out", str(args.out)])
    # A problem stays on one line, also in CI logs; a table sent to a file or a pipe may be
    # as wide as it needs (a terminal gives its own width).
    console = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 200)
    with _terminate_as_interrupt():
        return _command(parser, args, console)


def _command(parser: argparse.ArgumentParser, args: argparse.Namespace, console: Console) -> int:
    """The command asked for; what stops it is said in one line with its exit code."""
    # Here, not at the top: numpy, pandas and the engine load after the signal handlers are in
    # place, so a stop while they load is said like any other (by main).
    from sib.study.executors import PoolFailed, RunInterrupted, SchedulerUnreachable

    try:
        if args.command == "validate":
            return _validate(args.file, console)
        if args.command == "run":
            if (args.file is None) == (args.from_ is None):
                parser.error(say("ange en scenariofil eller --from DIR (en av dem)", "give a scenario file or --from DIR (one of them)"))
            if args.replication is not None:
                return _run_one(args, console)
            return _run_study(args, console)
        if args.command == "compare":
            return _compare(args, console)
        if args.command == "bid":
            return _bid(args, console)
        return _sweep(args, console)
    except ScenarioError as exc:
        _print_problems(exc, console)
        return EXIT_BAD_INPUT
    except OSError as exc:  # e.g. --out names a file, or a folder we may not write
        where = f" {exc.filename}" if exc.filename else ""
        console.print(
            say(
                "[bold red]resultaten kan inte skrivas[/]:{where}: {why}",
                "[bold red]cannot write the results[/]:{where}: {why}",
                where=where,
                why=exc.strerror or exc,
            ),
            highlight=False,
        )
        return EXIT_BAD_INPUT
    except PoolFailed as exc:
        console.print(f"[bold red]{escape(str(exc))}[/]", highlight=False)
        return EXIT_FAILED
    except SchedulerUnreachable as exc:  # a wrong address: bad input, like a bad file
        console.print(f"[bold red]{escape(str(exc))}[/]", highlight=False)
        return EXIT_BAD_INPUT
    except RunInterrupted as exc:
        console.print(
            say(
                "[bold yellow]Avbrutet[/] efter {done} av {total} simuleringar; inga resultat skrevs.",
                "[bold yellow]Stopped[/] after {done} of {total} simulations; no results were written.",
                done=exc.done,
                total=exc.total,
            ),
            highlight=False,
        )
        return EXIT_INTERRUPTED


def _dashboard(port: int, lang: str) -> int:
    """Streamlit serving the dashboard that comes with sib (``sib/dashboard/app.py``: the
    checkout's app.py is not in a wheel), opening in ``lang``. It takes this process's place,
    so Ctrl-C stops it the way it stops Streamlit."""
    os.environ["SIB_DASHBOARD_LANG"] = lang
    app = Path(__file__).resolve().parent / "dashboard" / "app.py"
    argv = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port)]
    argv += ["--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal"]
    # An installed sib does not change under its user; watching it would only reload modules
    # half-way (a reloaded class is not the one the other modules hold).
    argv += ["--server.fileWatcherType", "none"]
    sys.stdout.flush()
    os.execv(sys.executable, argv)
    return 0  # not reached: execv does not return


def _checkout() -> Path:
    """Where a checkout of the repository would have its scenarios and docs, for this sib."""
    return Path(__file__).resolve().parents[1]


def _not_a_checkout() -> str | None:
    """Why ``sib check`` cannot run here, or None: the validation suite lives in the repository
    (tests/validation/), reads its scenarios and writes its docs, and its queue checks need ciw
    (a test dependency)."""
    root = _checkout()
    if not (root / "tests" / "validation").is_dir() or not (root / "scenarios").is_dir():
        why = say("{root} är inte en utcheckning av sib", "{root} is not a checkout of sib", root=root)
    else:
        try:
            import ciw  # noqa: F401
        except ImportError:
            why = say("ciw saknas (pip install -e '.[test]')", "ciw is missing (pip install -e '.[test]')")
        else:
            return None
    return say(
        "[bold red]sib check[/] kör valideringssviten från en utcheckning av förrådet (git clone, sedan make validate): {why}",
        "[bold red]sib check[/] runs the validation suite from a checkout of the repository (git clone, then make validate): {why}",
        why=escape(why),
    )


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--seed",
        type=_whole,
        default=0,
        help=say("startvärde för slumpen, ett heltal >= 0 (standard 0)", "random seed, a whole number >= 0 (default 0)"),
    )
    p.add_argument(
        "--workers",
        type=_positive,
        help=say(
            "lokala arbetsprocesser (standard: en per kärna; 1 kör här)", "local worker processes (default: one per core; 1 runs here)"
        ),
    )
    p.add_argument(
        "--scheduler",
        type=_scheduler,
        help=say(
            "en Dask-schemaläggare att köra på, tcp://VÄRD:PORT (standard: $SIB_SCHEDULER)",
            "a Dask scheduler to run on, tcp://HOST:PORT (default: $SIB_SCHEDULER)",
        ),
    )
    _lang(p)


def _lang(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="sv",
        help=say("språk för tabeller, meddelanden och hjälp (standard sv)", "language of tables, messages and help (default sv)"),
    )


def _language(argv: Sequence[str]) -> str:
    """The language asked for with ``--lang`` (Swedish by default), read before the parser
    exists; an unknown one is left for the parser to refuse."""
    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg.removeprefix("--lang=") if arg.startswith("--lang=") else None
        if value in LANGUAGES:
            return value
    return "sv"


#: What argparse itself says (it looks each text up through gettext, as ``argparse._``), in Swedish.
_ARGPARSE_SV = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "the following arguments are required: %s": "de här argumenten måste anges: %s",
    "unrecognized arguments: %s": "okända argument: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ogiltigt val: %(value)r (välj bland %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "expected one argument": "ett värde förväntades",
    "expected at least one argument": "minst ett värde förväntades",
    "invalid %(type)s value: %(value)r": "ogiltigt värde (%(type)s): %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "tvetydig flagga: %(option)s kan betyda %(matches)s",
    "not allowed with argument %s": "inte tillsammans med argumentet %s",
}


@contextlib.contextmanager
def _argparse_speaking():
    """argparse's own texts (usage, its errors) in the language in force, for as long as the
    command line is read."""
    before = argparse._
    argparse._ = lambda text: pick((_ARGPARSE_SV.get(text, text), text))
    try:
        yield
    finally:
        argparse._ = before


def _interrupt(signum, frame):
    # Remembered as well: where the exception is lost (raised in a callback of numba's
    # compiler, which Python only reports), the run still stops at its next look.
    executors.remember_stop(signum)
    raise KeyboardInterrupt


@contextlib.contextmanager
def _terminate_as_interrupt():
    """SIGTERM stops a run the way Ctrl-C does: cleanly, saying how far it came; both are
    remembered for the whole command, also before its run begins."""
    try:
        before = {signum: signal.signal(signum, _interrupt) for signum in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread (e.g. called from a test runner's thread)
        yield
        return
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)
        executors.forget_stops()


def _whole(text: str) -> int:
    """A whole number >= 0 (seeds and replication numbers)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            say("måste vara ett heltal >= 0, angivet: {v!r}", "must be a whole number >= 0, got {v!r}", v=text)
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(say("måste vara ett heltal >= 0, angivet: {v}", "must be a whole number >= 0, got {v}", v=value))
    return value


def _port(text: str) -> int:
    """A TCP port, 1–65535."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(
            say("måste vara ett heltal från 1 till 65535, angivet: {v!r}", "must be a whole number from 1 to 65535, got {v!r}", v=text)
        )
    return value


def _positive(text: str) -> int:
    """A whole number >= 1 (replications, workers)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            say("måste vara ett heltal >= 1, angivet: {v!r}", "must be a whole number >= 1, got {v!r}", v=text)
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(say("måste vara ett heltal >= 1, angivet: {v}", "must be a whole number >= 1, got {v}", v=value))
    return value


def _reps(text: str) -> int:
    """Replications: a whole number from 1 to ``MAX_REPS``."""
    from sib.study.files import MAX_REPS

    value = _positive(text)
    if value > MAX_REPS:
        raise argparse.ArgumentTypeError(
            say(
                "måste vara ett heltal från 1 till {most}, angivet: {v}",
                "must be a whole number from 1 to {most}, got {v}",
                most=group(MAX_REPS),
                v=group(value),
            )
        )
    return value


#: How a Dask scheduler is reached: a protocol, a host and a port.
_SCHEDULER = re.compile(r"^(tcp|tls|ws|wss)://[^\s:/]+:\d{1,5}$")


def _scheduler(text: str) -> str:
    if not _SCHEDULER.match(text.strip()):
        raise argparse.ArgumentTypeError(
            say(
                "måste vara en schemaläggares adress som tcp://VÄRD:8786, angivet: {v!r}",
                "must be a scheduler's address like tcp://HOST:8786, got {v!r}",
                v=text,
            )
        )
    return text.strip()


def _whole_list(text: str) -> list[int]:
    return [_whole(part) for part in text.split(",") if part.strip()]


def _values(text: str) -> list[float]:
    from sib.study.compare import parse_values

    try:
        return parse_values(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _print_problems(exc: ScenarioError, console: Console) -> None:
    console.print(
        say(
            "[bold red]{source}[/]: {n} problem",
            "[bold red]{source}[/]: {n} problem(s)",
            source=escape(exc.source or say("scenariot", "scenario")),
            n=len(exc.problems),
        ),
        highlight=False,
    )
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


def _run_one(args: argparse.Namespace, console: Console) -> int:
    from sib.output import check_writable, write_replication
    from sib.replication import simulate
    from sib.scenario.loader import load_scenario

    scenario = load_scenario(args.file)
    if args.out is not None:
        check_writable(args.out)  # before the work, not after it
    try:
        rep = simulate(scenario, args.seed, args.replication)
    except ScenarioError as exc:
        raise ScenarioError(exc.problems, str(args.file)) from None
    console.print(key_figures(rep, args.lang))
    if args.out is not None:
        folder = write_replication(rep, args.out)
        console.print(say("Skrev {path}", "Wrote {path}", path=escape(str(folder))), highlight=False)
    return 0


def _executor(args: argparse.Namespace):
    from sib.study import executors

    if args.scheduler:
        return executors.dask_executor(args.scheduler)
    if args.workers == 1:
        return "serial"
    if args.workers:
        return executors.local_pool(args.workers)
    return None  # the default pool, or $SIB_SCHEDULER


@contextlib.contextmanager
def _progress(label: str):
    """A progress bar on stderr (transient: the results stay on screen, the bar goes)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(escape(label), total=None)  # a name may hold [brackets]
        yield lambda done, total: bar.update(task, completed=done, total=total or None)


def _run_study(args: argparse.Namespace, console: Console) -> int:
    from sib.scenario.loader import load_scenario
    from sib.study.files import check_destination, read_study, write_study
    from sib.study.results import run

    source = str(args.from_ or args.file)
    keep = args.keep
    if args.from_ is not None:
        scenario, reps, seed, kept, warnings = read_study(args.from_)
        keep = keep if keep is not None else kept
        for w in warnings:
            console.print(say("[yellow]varning[/]: {w}", "[yellow]warning[/]: {w}", w=escape(w)), highlight=False)
    else:
        scenario, reps, seed = load_scenario(args.file), args.reps, args.seed
    beyond = [i for i in keep or () if i >= reps]
    if beyond:  # before the work, not after it
        raise ScenarioError(
            [
                say(
                    "--keep: simulering {i} finns inte bland 0..{last} (--reps {n})",
                    "--keep: simulation {i} is not in 0..{last} (--reps {n})",
                    i=beyond[0],
                    last=reps - 1,
                    n=reps,
                )
            ],
            source,
        )
    if args.out is not None:
        check_destination(args.out)  # before the work, not after it
    try:
        with _progress(scenario.name) as progress:
            results = run(scenario, reps, seed, _executor(args), progress=progress)
    except ScenarioError as exc:
        raise ScenarioError(exc.problems, source) from None
    console.print(study_figures(results, args.lang))
    spread = spread_table(results, args.lang)
    if spread is not None:
        console.print(spread)
    if args.out is not None:
        folder = write_study(results, args.out, keep, args.lang)
        console.print(say("Skrev {path}", "Wrote {path}", path=escape(str(folder))), highlight=False)
    return 0


def _compare(args: argparse.Namespace, console: Console) -> int:
    from sib.scenario.loader import load_scenario
    from sib.study.compare import compare

    scenarios = [load_scenario(f) for f in args.files]
    with _progress(say("jämförelse", "comparison")) as progress:
        comparison = compare(scenarios, args.reps, args.seed, _executor(args), progress=progress)
    console.print(comparison_table(comparison, args.lang))
    if args.pdf is not None:
        from sib.study.summary import write_summary

        write_summary(comparison.results, args.pdf, args.lang, args.question)
        console.print(say("Skrev {path}", "Wrote {path}", path=escape(str(args.pdf))), highlight=False)
    return 0


def _sweep(args: argparse.Namespace, console: Console) -> int:
    from sib.scenario.edit import without_guarantee
    from sib.scenario.loader import load_scenario
    from sib.study.compare import sweeps

    scenario = load_scenario(args.file)
    designs = {"": scenario}
    if args.without_guarantee:
        if scenario.financing.guarantee is None:
            raise ScenarioError(
                [
                    say(
                        "financing.guarantee: --without-guarantee kräver ett scenario med garanti",
                        "financing.guarantee: --without-guarantee needs a scenario with a guarantee",
                    )
                ],
                str(args.file),
            )
        lang = args.lang
        designs = {
            say("med garanti", "with the guarantee", lang): scenario,
            say("utan garanti", "without the guarantee", lang): without_guarantee(scenario),
        }
    try:
        with _progress(args.param) as progress:
            found = sweeps(designs, args.param, args.values, args.reps, args.seed, _executor(args), progress=progress)
    except ScenarioError as exc:
        raise ScenarioError(
            exc.problems, say("{file} med --param {param}", "{file} with --param {param}", file=args.file, param=args.param)
        ) from None
    for design, result in found.items():
        console.print(sweep_table(result, args.lang, design))
    return 0


def _share(text: str) -> float:
    """A share from 0 up to (not including) 1."""
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(
            say("måste vara ett tal från 0 till under 1, angivet: {v!r}", "must be a number from 0 to below 1, got {v!r}", v=text)
        ) from None
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(say("måste vara från 0 till under 1, angivet: {v}", "must be from 0 to below 1, got {v}", v=text))
    return value


def _bid(args: argparse.Namespace, console: Console) -> int:
    from sib.scenario.edit import to_yaml
    from sib.scenario.loader import load_scenario
    from sib.study.bid import bid_study

    scenario = load_scenario(args.file)
    if args.save is not None:
        args.save.mkdir(parents=True, exist_ok=True)
        if not os.access(args.save, os.W_OK):
            raise PermissionError(13, say("får inte skrivas", "not writable"), str(args.save))
    stderr = Console(stderr=True)
    study = bid_study(
        scenario,
        args.shares,
        args.keep,
        args.risk_limit,
        args.reps,
        args.seed,
        _executor(args),
        progress=lambda share: stderr.print(f"… {percent(share, 0, lang=args.lang)}", highlight=False),
    )
    console.print(bid_table(study, args.lang))
    if args.save is not None:
        for b in study.bids:
            if b.found:
                (args.save / f"bid_{round(100 * b.share):02d}.yaml").write_text(to_yaml(b.scenario), encoding="utf-8")
    return 0


def bid_table(study, lang: str = "sv") -> Table:
    """Each share's bid: the expected value needed, against the scenario as given, and what it gives."""
    ref = study.reference
    cur = study.bids[0].scenario.currency if study.bids else "SEK"
    kr = lambda x: money(x, lang=lang, currency=cur)  # noqa: E731
    goal = (
        (
            say(
                f"samma förväntade marginal som givet ({percent(ref.margin, lang=lang)} av kontraktsvärdet)",
                f"the same expected margin as given ({percent(ref.margin, lang=lang)} of the contract value)",
                lang,
            )
        )
        if study.keep == "margin"
        else (
            say(
                f"risk för obestånd högst {percent(study.risk_limit, lang=lang)}",
                f"insolvency risk at most {percent(study.risk_limit, lang=lang)}",
                lang,
            )
        )
    )
    table = Table(
        title=(say("Vad utföraren behöver för att lämna anbud — ", "What the provider needs to bid — ", lang)) + goal,
        caption=say(
            "Givet: {share} på utfall, förväntat kontraktsvärde {value}, risk för obestånd {risk}. "
            "{n} simuleringar per prövat värde, samma slumptal vid varje.",
            "Given: {share} on outcomes, expected contract value {value}, insolvency risk {risk}. "
            "{n} simulations per value tried, the same random numbers at each.",
            lang,
            share=percent(study.reference_share, 0, lang=lang),
            value=kr(ref.expected_value),
            risk=percent(ref.insolvent, lang=lang),
            n=study.reps,
        ),
        caption_justify="left",
    )
    for label in (
        say("Utfallsandel", "Outcome share", lang),
        say("Förväntat kontraktsvärde", "Expected contract value", lang),
        say("Mot givet", "Against given", lang),
        say("Utförarens resultat", "Provider's result", lang),
        say("Risk för obestånd", "Insolvency risk", lang),
        say("Kommunens hela kostnad", "Municipality's whole cost", lang),
    ):
        table.add_column(label, justify="right", no_wrap=True)
    for b in study.bids:
        share = percent(b.share, 0, lang=lang)
        f = b.figures
        if f is None:
            table.add_row(share, say("ej funnet", "not found", lang), "", "", "", "")
            continue
        change = f.expected_value / ref.expected_value - 1
        table.add_row(
            share,
            kr(f.expected_value),
            ("+" if change >= 0 else "−") + percent(abs(change), lang=lang),
            kr(f.provider_result),
            percent(f.insolvent, lang=lang),
            kr(f.whole_cost),
        )
    return table


def spread_table(results, lang: str = "sv") -> Table | None:
    """How much of each key figure's spread comes from the uncertain parameters and how much from
    the cohort's luck (law of total variance); None for a scenario without uncertain parameters."""
    from sib.study.spread import FIGURES, split

    found = [(s, say(sv_label, en_label, lang)) for metric, sv_label, en_label in FIGURES if (s := split(results, metric))]
    if not found:
        return None
    table = Table(
        title=say("Varifrån spridningen kommer", "Where the spread comes from", lang),
        caption=say(
            "Andel av variansen mellan simuleringarna som de osäkra parametrarna (effekter, inflöde) förklarar, "
            "och resten: slumpen i en kohort av känd kvalitet.",
            "Share of the variance between simulations that the uncertain parameters (effects, referrals) "
            "explain, and the rest: the luck of a cohort of known quality.",
            lang,
        ),
        caption_justify="left",
    )
    table.add_column(say("Nyckeltal", "Figure", lang))
    table.add_column(say("Osäkra parametrar", "Uncertain parameters", lang), justify="right")
    table.add_column(say("Kohortens slump", "The cohort's luck", lang), justify="right")
    for s, label in found:
        table.add_row(label, percent(s.from_parameters, 0, lang=lang), percent(s.from_cohort, 0, lang=lang))
    return table


def study_figures(results, lang: str = "sv") -> Table:
    """The headline figures of a study, each with its 95 % interval, grouped by whom they are
    about: the municipality's whole cost first."""
    from sib.study.headline import HEADLINE, applies, section_label

    p = results.priced
    table = Table(
        title=say(
            "{name} — {n} simuleringar, startvärde för slumpen {seed}",
            "{name} — {n} simulations, random seed {seed}",
            lang,
            name=escape(results.scenario.name),
            n=results.reps,
            seed=results.seed.entropy,
        ),
        caption=_caption([results], lang),
        caption_justify="left",
    )
    table.add_column(say("Nyckeltal", "Figure", lang))
    table.add_column(
        say("Värde\n[dim]95 % konfidensintervall[/]", "Value\n[dim]95% confidence interval[/]", lang), justify="right", no_wrap=True
    )
    table.add_row(
        say("Förväntat kontraktsvärde", "Expected contract value", lang),
        money(p.expected_value, lang=lang, currency=results.scenario.currency),
    )
    table.add_row(say("Utfallsandel, förväntad", "Outcome share, expected", lang), percent(p.outcome_share_expected, lang=lang))
    section = None
    for f in HEADLINE:
        if not applies(f, results):
            continue
        if f.section != section:
            section = f.section
            table.add_section()
            table.add_row(f"[bold]{section_label(section, lang)}[/]", "")
        table.add_row(*_figure_cells(f, [results], lang))
    return table


def _figure_cells(f, results: list, lang: str) -> list[str]:
    """A figure's label and its value with its interval in each study; a negative value where
    that has a meaning of its own (liquidity below zero) says what it means."""
    from sib.study.headline import estimate, interval

    cells, negative = [], False
    for r in results:
        if f.metric not in r.summary:
            cells.append("–")
            continue
        e = estimate(r, f)
        negative |= bool(e.value < 0)
        cells.append(interval(e, f.kind, lang, r.scenario.currency, two_lines=True))
    label = f.label(lang)
    if negative and f.below_zero(lang):
        label += f"\n[dim]({f.below_zero(lang)})[/]"
    return [label, *cells]


def _caption(results: list, lang: str) -> str | None:
    """The note a reader of the whole cost needs: where a scenario can stop but does not say
    what carrying the participants on would cost, the whole cost leaves that out."""
    from sib.study.headline import continuation_note, leaves_out_continuation

    missing = [escape(r.scenario.name) for r in results if leaves_out_continuation(r.scenario)]
    if not missing:
        return None
    return f"{', '.join(missing)}: {continuation_note(lang)}" if len(results) > 1 else continuation_note(lang)


def comparison_table(comparison, lang: str = "sv") -> Table:
    from sib.study.headline import HEADLINE, applies, section_label

    names = comparison.names
    studies = [comparison.results[n] for n in names]
    table = Table(
        title=(say("Jämförelse med samma slumptal", "Comparison under common random numbers", lang)),
        caption=_caption(studies, lang),
        caption_justify="left",
    )
    table.add_column(say("Nyckeltal", "Figure", lang), min_width=20)
    for n in names:
        table.add_column(escape(n), justify="right", no_wrap=True, overflow="ellipsis")
    section = None
    for f in HEADLINE:
        if not any(applies(f, r) for r in studies):
            continue
        if f.section != section:
            section = f.section
            table.add_section()
            table.add_row(f"[bold]{section_label(section, lang)}[/]", *[""] * len(names))
        table.add_row(*_figure_cells(f, studies, lang))
    return table


def sweep_table(result, lang: str = "sv", design: str = "") -> Table:
    from sib.study.headline import interval

    table = Table(title=f"{result.parameter}" + (f" — {escape(design)}" if design else ""))
    table.add_column(result.parameter.rsplit(".", 1)[-1], justify="right")
    shown = [
        ("provider_insolvent", "probability", "share", say("Risk obestånd", "Insolvency probability", lang)),
        ("commissioner_whole_cost", "mean", "money", say("Kommunens hela kostnad", "Municipality's whole cost", lang)),
        ("commissioner_paid", "mean", "money", say("Betalt till utföraren", "Paid to the provider", lang)),
        ("funding_need", "p95", "money", say("Extra kredit, 95 %", "Extra credit, 95%", lang)),
        ("cost_per_outcome", "mean", "money", say("Betalt per utfall", "Paid per outcome", lang)),
    ]
    for *_, label in shown:
        table.add_column(label, justify="right", no_wrap=True)
    if design:  # with and without a guarantee: the credit line each was granted
        table.add_column(say("Kreditgräns", "Credit limit", lang), justify="right", no_wrap=True)
    for value, r in zip(result.values, result.results):
        cells = [interval(r.kpi(m, s), k, lang, r.scenario.currency, two_lines=True) for m, s, k, _ in shown]
        if design:
            cells.append(money(r.scenario.financing.credit_limit, lang=lang, currency=r.scenario.currency))
        table.add_row(number(value, lang), *cells)
    return table


def key_figures(rep, lang: str = "sv") -> Table:
    """The figures a reader looks for first, as a table."""
    m, p = rep.metrics, rep.priced

    def kr(amount: float) -> str:  # in the scenario's currency
        return money(amount, lang=lang, currency=rep.scenario.currency)

    yes, no = say("ja", "yes", lang), say("nej", "no", lang)
    table = Table(
        title=say(
            "{name} — simulering {i}, startvärde för slumpen {seed}",
            "{name} — simulation {i}, random seed {seed}",
            lang,
            name=escape(rep.scenario.name),
            i=rep.replication,
            seed=rep.seed,
        )
    )
    table.add_column(say("Nyckeltal", "Figure", lang))
    table.add_column(say("Värde", "Value", lang), justify="right")
    rows = [
        (say("Förväntat kontraktsvärde", "Expected contract value", lang), kr(p.expected_value)),
        (
            say("Utfallsandel, förväntad / full måluppfyllelse", "Outcome share, expected / full achievement", lang),
            f"{percent(p.outcome_share_expected, lang=lang)} / {percent(p.outcome_share_full, lang=lang)}",
        ),
        (
            say("Högsta kontraktsvärde", "Maximum contract value", lang),
            kr(p.max_contract_value) if p.max_contract_value is not None else (say("obegränsat", "unbounded", lang)),
        ),
        (
            say("Över direktupphandlingsgränsen ({limit})", "Above the direct-award limit ({limit})", lang, limit=kr(p.direct_award_limit)),
            yes if p.exceeds_direct_award_limit else no,
        ),
        (say("Remitterade / inskrivna", "Referred / enrolled", lang), f"{m['referrals']} / {m['enrolled']}"),
        (
            say("Förlorade: full lista / lång väntan / vid tjänstens slut", "Lost: list full / waited too long / at service end", lang),
            f"{m['lost_list_full']} / {m['lost_max_wait']} / {m['lost_service_ended']}",
        ),
        (say("Avböjda, kontraktet fullt", "Declined, contract full", lang), str(m["declined_contract_full"])),
        (say("Verifierade utfall", "Verified outcomes", lang), group(m["outcome_claims_verified"], lang=lang)),
        (say("Kommunens hela kostnad", "The municipality's whole cost", lang), kr(m["commissioner_whole_cost"])),
        (say("Betalt till utföraren", "Paid to the provider", lang), kr(m["commissioner_paid"])),
        (say("  varav fast", "  of which fixed", lang), kr(m["commissioner_paid_fixed"])),
        (say("  varav utfall", "  of which outcomes", lang), kr(m["commissioner_paid_outcome"])),
        (say("Betalt per verifierat utfall", "Paid per verified outcome", lang), kr(m["cost_per_outcome"])),
        (
            say("Kommunens kostnad för att föra tjänsten vidare", "The municipality's cost of carrying the service on", lang),
            kr(m["continuation_cost"]),
        ),
        (say("Utförarens resultat", "Provider's result", lang), kr(m["provider_result"])),
        (
            say("Utförarens lägsta kassa", "Provider's lowest cash", lang),
            f"{kr(m['provider_min_cash'])} ({date(m['provider_min_cash_date'])})",
        ),
        (
            say("Utförarens lägsta likviditet (kassa + outnyttjad kredit)", "Provider's lowest liquidity (cash + undrawn credit)", lang),
            f"{kr(m['provider_min_liquidity'])} ({date(m['provider_min_liquidity_date'])})",
        ),
        (say("Extra kredit som hade burit utföraren", "Extra credit that would have carried the provider", lang), kr(m["funding_need"])),
        (say("Största kreditutnyttjande", "Peak credit drawn", lang), kr(m["peak_credit_drawn"])),
        (
            say("Dagar efter med betalningar / dröjsmålsränta", "Days behind with payments / late-payment interest", lang),
            f"{m['shortfall_days']} / {kr(m['shortfall_cost'])}",
        ),
        (
            say("Obestånd (bristen på pengar mer än tillfällig)", "Insolvent (the shortage of cash more than temporary)", lang),
            f"{yes} ({date(m['provider_insolvency_date'])})" if m["provider_insolvent"] else no,
        ),
        (
            say("Tjänsten upphörde", "Service stopped", lang),
            f"{date(m['service_stopped_date'])}, {m['participants_taken_over']} {say('övertagna', 'taken over', lang)}"
            if m["service_stopped"]
            else no,
        ),
        (
            say("Garantin betalade / banken förlorade", "Guarantor paid / bank lost", lang),
            f"{kr(m['guarantor_paid'])} / {kr(m['bank_loss'])}",
        ),
    ]
    if rep.scenario.financing.invoice_financing is not None:
        rows.append(
            (
                say("Fakturor belånade / kostnad / som mest", "Invoices financed / cost / at their peak", lang),
                f"{m['invoices_financed']} / {kr(m['invoice_financing_cost'])} / {kr(m['invoice_advance_peak'])}",
            )
        )
    if "investor_paid_in" in m:
        irr = percent(m["investor_irr"], lang=lang) if m["investor_irr"] == m["investor_irr"] else m["investor_irr_note"]
        rows += [
            (
                say("Investeraren satte in / fick tillbaka", "Investor paid in / received", lang),
                f"{kr(m['investor_paid_in'])} / {kr(m['investor_received'])}",
            ),
            (say("Investerarens avkastning (IRR)", "Investor's rate of return (IRR)", lang), irr),
        ]
    if "econ_municipality_net_cost" in m:
        # Below zero the avoided costs are larger than the spending: said as a saving, not a minus sign.
        net = m["econ_municipality_net_cost"]
        saved = net < 0
        rows.append(
            (
                say(
                    "Kommunens besparing efter undvikna kostnader (nuvärde)",
                    "Municipality's saving after avoided costs (present value)",
                    lang,
                )
                if saved
                else say(
                    "Kommunens nettokostnad efter undvikna kostnader (nuvärde)",
                    "Municipality's net cost after avoided costs (present value)",
                    lang,
                ),
                kr(-net if saved else net),
            )
        )
    for label, value in rows:
        table.add_row(label, value)
    return table


def entry() -> None:
    # SIGUSR1 prints every thread's stack to stderr: what a run that will not stop is doing.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    # From here on SIGTERM stops the command the way Ctrl-C does (main keeps it so for callers
    # that are not this entry point).
    signal.signal(signal.SIGTERM, _interrupt)
    code = main()
    if code == EXIT_INTERRUPTED:
        # Stopped: what had to be said is said, no folder is left and the pool's workers are
        # killed, so the process ends here without the interpreter's exit, which could wait
        # for a pool thread the signal caught half-way, or report the stop a second time (a
        # KeyboardInterrupt that landed in code a library ran through PyRun leaves CPython
        # believing it unhandled: exit -SIGINT). Coverage saves its data on _exit.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    entry()
