"""``sib run`` as a Monte Carlo study, ``sib compare`` and ``sib sweep``, as a user meets them:
the files a study writes, running it again from its folder, stopping it, and a Dask cluster."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from helpers_cli import Said, command
from helpers_paths import REPO

ROOT = REPO
BOSTAD = ROOT / "scenarios" / "bostad_forst.yaml"


def sib(*args: str) -> Said:
    """The command (run in this process: helpers_cli), in its own default language (Swedish)."""
    return command(*args)


@pytest.fixture(scope="module")
def study(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("s") / "study"
    result = sib("run", str(BOSTAD), "--reps", "40", "--seed", "6", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Risk att utföraren inte kan betala" in result.stdout and "Skrev" in result.stdout
    return out


def test_a_study_folder_holds_every_promised_file(study):
    summary = pd.read_parquet(study / "summary.parquet")
    assert len(summary) == 40 and summary["replication"].tolist() == list(range(40))
    assert {"scenario", "seed", "commissioner_paid", "provider_min_liquidity"} <= set(summary.columns)
    ts = pd.read_parquet(study / "timeseries.parquet")
    assert {"month", "series", "p05", "p50", "p95"} <= set(ts.columns)
    manifest = json.loads((study / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reps"] == 40 and manifest["seed_entropy"] == "6"
    assert set(manifest["versions"]) >= {"sib", "numpy", "simpy", "python"} and manifest["created"]
    assert manifest["scenario"]["name"].startswith("Bostad först") and len(manifest["scenario_digest"]) == 64
    # the 5th, 50th and 95th percentile of the provider's lowest liquidity, in full
    kept = sorted(int(p.name) for p in (study / "replications").iterdir())
    assert kept == manifest["replications"] and 1 <= len(kept) <= 3
    low = summary.set_index("replication")["provider_min_liquidity"]
    lowest = min(kept, key=lambda r: low[r])  # kept by their lowest liquidity, numbered by replication
    assert low[lowest] == pytest.approx(low.quantile(0.05), rel=0.5, abs=50_000)
    ledger = pd.read_parquet(study / "replications" / str(lowest) / "ledger.parquet")
    assert len(ledger) > 100
    book = openpyxl.load_workbook(study / "results.xlsx", read_only=True)
    assert book.sheetnames == ["Nyckeltal", "Budgetår", "Per månad", "Simuleringar", "Huvudbok", "Antaganden", "Körning"]
    rows = list(book["Antaganden"].iter_rows(values_only=True))
    assert any(
        r[0] == "capacity.places" and r[1] == 110 and (r[2] or "").startswith("antagande") for r in rows
    )  # the Swedish workbook's source
    assert rows[0][3] == "verk som citeras"  # each cited work in full, for an auditor without the repository
    assert any("[rantelagen-1975]" in (r[2] or "") and "Räntelag (1975:635)" in (r[3] or "") for r in rows)
    years = list(book["Budgetår"].iter_rows(values_only=True))
    assert years[0][0] == "år" and years[1][0] == 2027
    assert years[0][1] == "hela kostnaden (kassa), medel"  # the whole cost per year before what the provider is paid
    assert years[1][1] == pytest.approx(summary["commissioner_whole_cost_2027"].mean())
    figures = list(book["Nyckeltal"].iter_rows(values_only=True))
    head = figures[0]
    assert head[:5] == ("nyckeltal", "enhet", "beskrivning", "statistika", "värde") and head[-1] == "kod"
    first = dict(zip(head, figures[1]))
    assert (first["nyckeltal"], first["enhet"], first["statistika"], first["kod"]) == (
        "Kommunens hela kostnad, genomsnitt",
        "kr",
        "medel",
        "commissioner_whole_cost",
    )
    assert first["värde"] == pytest.approx(summary["commissioner_whole_cost"].mean()) and first["beskrivning"]
    assert [r[-1] for r in figures[1:5]].index("commissioner_paid") == 2  # paid to the provider right after it
    # Every figure named and described in Swedish, none by its code alone.
    assert all(r[0] and r[2] and r[0] != r[-1] for r in figures[1:] if not r[-1].startswith("param.")), [
        r[-1] for r in figures[1:] if not (r[0] and r[2])
    ]
    # The ledgers of a bad, a middling and a good case, every payment named, to the öre.
    ledger_rows = list(book["Huvudbok"].iter_rows(values_only=True))
    assert ledger_rows[0][:3] == ("fall", "simulering nr", "Datum")
    cases = {r[0] for r in ledger_rows[1:]}
    assert cases == {"5 % sämsta likviditet", "median", "95 % bästa likviditet"}
    worst = [r for r in ledger_rows[1:] if r[0] == "5 % sämsta likviditet"]
    kept_ledger = pd.read_parquet(study / "replications" / str(worst[0][1] - 1) / "ledger.parquet")
    assert round(sum(r[6] for r in worst) * 100) == kept_ledger["amount_ore"].sum()
    assert {r[5] for r in worst} >= {"omkostnader", "personallöner"}
    assert not [p for p in study.parent.iterdir() if p.name.startswith(".")], "a partial folder was left"


def test_from_a_folder_gives_the_same_numbers_and_warns_of_other_versions(study, tmp_path):
    again = tmp_path / "again"
    result = sib("run", "--from", str(study), "--out", str(again), "--workers", "1", "--lang", "en")  # and on another executor
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning" not in result.stdout
    pd.testing.assert_frame_equal(pd.read_parquet(study / "summary.parquet"), pd.read_parquet(again / "summary.parquet"))
    old = tmp_path / "old"
    old.mkdir()
    record = json.loads((study / "manifest.json").read_text(encoding="utf-8"))
    record["versions"]["numpy"] = "1.0.0"
    (old / "manifest.json").write_text(json.dumps(record), encoding="utf-8")
    warned = sib("run", "--from", str(old), "--reps", "5", "--workers", "1", "--lang", "en")
    assert warned.returncode == 0 and "numpy was 1.0.0" in warned.stdout


def test_a_folder_that_holds_results_is_refused_before_any_work(study):
    start = time.perf_counter()
    result = sib("run", str(BOSTAD), "--reps", "100000", "--out", str(study), "--lang", "en")
    assert result.returncode == 2 and "already holds results" in result.stdout
    assert time.perf_counter() - start < 30


def test_compare_and_sweep_print_their_tables():
    other = ROOT / "scenarios" / "bostad_forst_utan_garanti.yaml"
    result = sib("compare", str(BOSTAD), str(other), "--reps", "20", "--lang", "en", "--workers", "1")
    assert result.returncode == 0, result.stderr
    assert "Bostad först – utan garanti" in result.stdout and "Probability the provider cannot pay" in result.stdout
    swept = sib(
        "sweep", str(BOSTAD), "--param", "contract.outcome_share", "--values", "0.2:0.5:0.15", "--reps", "10", "--without-guarantee"
    )
    assert swept.returncode == 0, swept.stderr
    assert "Risk obestånd" in swept.stdout and len(re.findall(r"│\s+0,(2|35|5)\s+│", swept.stdout)) == 6  # two designs
    assert "Kommunens hela kostnad" in swept.stdout and "Extra kredit, 95 %" in swept.stdout
    # With the guarantee the bank lends what it secures on top of the provider's own standing; without it, only the latter.
    with_part, without_part = swept.stdout.split("utan garanti")
    assert "med garanti" in with_part and "944 444 kr" in with_part and "500 000 kr" in without_part
    assert "944 444 kr" not in without_part


def test_a_sweep_without_the_guarantee_needs_one():
    other = ROOT / "scenarios" / "bostad_forst_utan_garanti.yaml"
    result = sib("sweep", str(other), "--param", "contract.outcome_share", "--values", "0.2", "--reps", "5", "--without-guarantee")
    assert result.returncode == 2 and "financing.guarantee" in result.stdout and "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["--param", "contract.outcome_share", "--values", "0.2:1.4:0.4"], "contract.outcome_share: must be between 0 and 1, got 1.4"),
        (["--param", "contract.outcome_shar", "--values", "0.2"], "unknown key"),
    ],
)
def test_a_sweep_outside_the_allowed_range_names_the_field(args, message):
    result = sib("sweep", str(BOSTAD), *args, "--reps", "5", "--lang", "en")
    assert result.returncode == 2 and message in result.stdout and "Traceback" not in result.stdout + result.stderr


def test_bad_values_are_refused_by_the_argument_parser():
    result = sib("sweep", str(BOSTAD), "--param", "contract.outcome_share", "--values", "0.5:0.2:0.1")
    assert result.returncode == 2 and "start:stop:step" in result.stderr


#: When a stop signal reaches a run of 100 000 replications (seconds after it started, on an
#: idle machine): pricing the contract (~1 s), starting the pool (~2 s), the first batches
#: (~3 s), many batches later. Sent to runs side by side, so the machine is busy and each moment
#: falls later in the run than on an idle one: a signal must end the run whatever it is doing.
STOP_MOMENTS = (
    (1.5, signal.SIGTERM),
    (3.0, signal.SIGINT),
    (4.5, signal.SIGTERM),
    (7.0, signal.SIGINT),
)


def _started_run(out: Path, log: Path, workers: int = 2, scenario: Path = BOSTAD) -> subprocess.Popen:
    with log.open("w") as sink:  # a file, not a pipe: the exit is awaited, not the last writer
        return subprocess.Popen(
            [sys.executable, "-m", "sib.cli", "run", str(scenario), "--reps", "100000", "--out", str(out), "--workers", str(workers)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=ROOT,
            # As from a shell: Ctrl-C not ignored, whatever an earlier test left this process with
            # (a process that starts with SIGINT ignored keeps ignoring it).
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )


def _pool_workers(proc: subprocess.Popen) -> list:
    """The run's pool workers (not loky's resource tracker beside them)."""
    import psutil

    return [p for p in psutil.Process(proc.pid).children() if "popen_loky_posix" in " ".join(p.cmdline())]


def _ended_within(proc: subprocess.Popen, seconds: float, log: Path, what: str) -> None:
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:  # say where it hangs: every thread's stack, then end it
        proc.send_signal(signal.SIGUSR1)
        time.sleep(2)
        proc.kill()
        pytest.fail(f"still running {seconds:.0f} s after {what}:\n{log.read_text(encoding='utf-8')[-6000:]}")


def test_a_run_stopped_at_any_moment_says_how_far_it_came_and_leaves_no_folder(tmp_path):
    import psutil

    runs = []
    for k, (moment, sig) in enumerate(STOP_MOMENTS):
        out, log = tmp_path / f"r{k}" / "stopped", tmp_path / f"log{k}.txt"
        out.parent.mkdir()
        runs.append((moment, sig, out, log, _started_run(out, log)))
    # One more runs here (--workers 1), priced on a small sample: its batches are done one by one
    # as it waits for them, so once it has worked a while it has done some, and says so. Its
    # signal comes after 8 s of its own CPU time, however busy the machine.
    quick = tmp_path / "quick.yaml"
    quick.write_text(
        BOSTAD.read_text(encoding="utf-8").replace("\ncontract:\n", "\ncontract:\n  pricing:\n    replications: 20\n", 1), encoding="utf-8"
    )
    serial_out, serial_log = tmp_path / "serial" / "stopped", tmp_path / "serial.txt"
    serial_out.parent.mkdir()
    serial = _started_run(serial_out, serial_log, workers=1, scenario=quick)
    began = time.monotonic()
    for moment, sig, _, _, proc in runs:
        time.sleep(max(0.0, began + moment - time.monotonic()))
        proc.send_signal(sig)
    while sum(psutil.Process(serial.pid).cpu_times()[:2]) < 8 and time.monotonic() < began + 120:
        time.sleep(0.2)
    serial.send_signal(signal.SIGINT)
    runs.append(("8 s of its own CPU time", signal.SIGINT, serial_out, serial_log, serial))
    for moment, sig, out, log, proc in runs:
        when = f"{signal.Signals(sig).name} at {moment}" + (" s" if isinstance(moment, float) else "")
        _ended_within(proc, 30, log, when)
        said = log.read_text(encoding="utf-8")
        assert proc.returncode == 130, f"{when}: {said}"
        assert "Avbrutet" in said and "Traceback" not in said, said
        assert not out.exists() and not list(out.parent.iterdir()), "a stopped run left files"
    said = serial_log.read_text(encoding="utf-8")
    assert re.search(r"Avbrutet efter [1-9]\d* av 100000", said), said


def test_a_killed_run_leaves_no_folder_and_its_workers_end_with_it(tmp_path):
    import psutil

    out, log = tmp_path / "results" / "stopped", tmp_path / "log.txt"
    out.parent.mkdir()
    proc = _started_run(out, log)
    deadline = time.monotonic() + 60
    while len(workers := _pool_workers(proc)) < 2:  # the pool has started
        assert time.monotonic() < deadline and proc.poll() is None, log.read_text(encoding="utf-8")
        time.sleep(0.2)
    time.sleep(1)
    proc.kill()  # not reaped yet: its workers must notice that their parent is gone all the same
    gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, f"workers still running 10 s after their parent was killed: {alive}"
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    assert not out.exists() and not list(out.parent.iterdir()), "a killed run left files"


def _free_ports(n: int) -> list[int]:
    """``n`` different ports nobody listens on (the sockets held open together, so they differ)."""
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _started(*args: str) -> subprocess.Popen:
    """The command started in a real process; ``.communicate()`` waits for it."""
    return subprocess.Popen([sys.executable, "-m", "sib.cli", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)


def test_a_dask_scheduler_reached_by_address_gives_the_same_summary(tmp_path):
    """Four processes side by side: a run pointed where nobody listens (it waits out its 10 s
    connection timeout), a serial run, and a run on a scheduler started with one worker."""
    nobody_at, address = (f"tcp://127.0.0.1:{port}" for port in _free_ports(2))
    nobody = _started("run", str(BOSTAD), "--reps", "2", "--scheduler", nobody_at, "--lang", "en")
    here = _started("run", str(BOSTAD), "--reps", "12", "--seed", "3", "--workers", "1", "--out", str(tmp_path / "here"))
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    port = address.rsplit(":", 1)[1]
    scheduler = subprocess.Popen(
        [str(bin_dir / "dask"), "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    worker = subprocess.Popen(
        [str(bin_dir / "dask"), "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        # In a process of its own: a Dask client outlives its run in the process that made it.
        on_dask = _started("run", str(BOSTAD), "--reps", "12", "--seed", "3", "--scheduler", address, "--out", str(tmp_path / "dask"))
        out, err = on_dask.communicate(timeout=180)
        assert on_dask.returncode == 0, out + err
        out, err = here.communicate(timeout=180)
        assert here.returncode == 0, out + err
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "dask" / "summary.parquet"), pd.read_parquet(tmp_path / "here" / "summary.parquet")
        )
        # Nobody listens there: said in one line as a wrong address, not as a folder that cannot be written.
        out, err = nobody.communicate(timeout=180)
        assert nobody.returncode == 2 and f"the Dask scheduler at {nobody_at} does not answer" in out, out + err
        assert "cannot write" not in out and "Traceback" not in out + err
    finally:
        for p in (worker, scheduler, here, nobody):
            p.terminate()
            p.wait(timeout=30)


EDITED_MANIFESTS = {
    "not json": "{",
    "a list": "[]",
    "no scenario": {"drop": "scenario"},
    "scenario as text": {"scenario": "x"},
    "seed as text": {"seed_entropy": "abc"},
    "negative seed": {"seed_entropy": -1},
    "spawn key as text": {"seed_spawn_key": "x"},
    "reps as float": {"reps": 1e9},
    "no reps": {"reps": 0},
    "reps as text": {"reps": "40"},
    "a billion reps": {"reps": 10**9},
    "kept beyond reps": {"replications": [100]},
    "versions as text": {"versions": "x"},
}


@pytest.mark.parametrize("edit", EDITED_MANIFESTS.values(), ids=EDITED_MANIFESTS.keys())
def test_an_edited_manifest_is_refused_naming_its_field(study, tmp_path, edit, capsys):
    """``run --from`` a folder whose manifest was edited into nonsense: exit 2 and the field,
    before any work, never a traceback."""
    from sib.cli import main

    record = json.loads((study / "manifest.json").read_text(encoding="utf-8"))
    if isinstance(edit, str):
        text = edit
    else:
        edit = dict(edit)
        if edit.pop("drop", None):
            record.pop("scenario")
        record.update(edit)
        text = json.dumps(record)
    folder = tmp_path / "edited"
    folder.mkdir()
    (folder / "manifest.json").write_text(text, encoding="utf-8")
    assert main(["run", "--from", str(folder), "--workers", "1"]) == 2
    said = capsys.readouterr().out
    assert "manifest.json" in said and "problem" in said, said


@pytest.mark.parametrize(
    "args, said",
    [
        (["run", str(BOSTAD), "--reps", "-5"], "must be a whole number >= 1, got -5"),
        (["run", str(BOSTAD), "--reps", "1000000000"], "from 1 to 1 000 000"),
        (["sweep", str(BOSTAD), "--param", "contract.outcome_share", "--values", "0:inf:1"], "finite"),
        (["sweep", str(BOSTAD), "--param", "contract.outcome_share", "--values", ","], "1 to 200 values"),
        (["sweep", str(BOSTAD), "--param", "contract.outcome_share", "--values", "0:1:1e-12"], "at most 200"),
        (["run", str(BOSTAD), "--scheduler", "not a url"], "like tcp://HOST:8786"),
    ],
    ids=["negative reps", "a billion reps", "infinite stop", "no values", "a trillion values", "no scheduler address"],
)
def test_bad_arguments_are_refused_at_once_with_what_is_allowed(args, said, capsys):
    from sib.cli import main

    with pytest.raises(SystemExit) as done:
        main([*args, "--lang", "en"])
    assert done.value.code == 2 and said in capsys.readouterr().err


def test_a_replication_to_keep_beyond_the_run_is_refused_before_the_work(tmp_path, capsys):
    from sib.cli import main

    start = time.perf_counter()
    assert main(["run", str(BOSTAD), "--reps", "100000", "--keep", "100000", "--out", str(tmp_path / "k"), "--lang", "en"]) == 2
    assert "--keep: simulation 100000 is not in 0..99999" in capsys.readouterr().out
    assert time.perf_counter() - start < 20 and not (tmp_path / "k").exists()


def test_a_name_and_a_folder_with_brackets_are_printed_as_written(tmp_path, capsys):
    """Square brackets are the terminal library's markup: "[utkast]" vanished from a title and
    "[/]" crashed the run after validate had said OK."""
    from sib.cli import main

    folder = tmp_path / "[utkast]"
    folder.mkdir()
    text = BOSTAD.read_text(encoding="utf-8")
    (folder / "x.yaml").write_text(re.sub(r"(?m)^name: .*$", 'name: "Bostad först [utkast] [/]"', text, count=1), encoding="utf-8")
    assert main(["run", str(folder / "x.yaml"), "--reps", "5", "--workers", "1", "--out", str(folder / "out")]) == 0
    said = capsys.readouterr().out
    assert "Bostad först [utkast] [/] — 5 simuleringar" in said and f"Skrev {folder / 'out'}" in said


def test_a_worker_that_dies_ends_the_run_with_one_line_and_no_folder(tmp_path):
    out, log = tmp_path / "results" / "broken", tmp_path / "log.txt"
    out.parent.mkdir()
    proc = _started_run(out, log)
    deadline = time.monotonic() + 60
    while not (workers := _pool_workers(proc)):
        assert time.monotonic() < deadline and proc.poll() is None, log.read_text(encoding="utf-8")
        time.sleep(0.2)
    time.sleep(1)
    workers[0].kill()  # as the kernel's out-of-memory killer would
    _ended_within(proc, 30, log, "a worker was killed")
    said = log.read_text(encoding="utf-8")
    assert proc.returncode == 1, said
    assert "Arbetsprocesserna kunde inte starta eller avslutades oväntat (SIGKILL(-9))" in said, said
    assert "Traceback" not in said and len(said.strip().splitlines()) == 1, said
    assert not out.exists() and not list(out.parent.iterdir()), "a failed run left files"
