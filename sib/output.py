"""Writing results to disk, each file under a temporary name and then renamed into place.

A reader never sees a half-written file under its real name: an interrupted run leaves at
most a ``.tmp`` file behind, never a truncated ``ledger.parquet`` that looks whole.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import platform
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import simpy

import sib
from sib.i18n import say


def check_writable(folder: Path) -> None:
    """Refuse, before any work, a folder this process cannot create or write in: the error
    comes now, not after the computing. Creates the folder (and its parents) if need be."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    probe = folder / f".sib-probe-{os.getpid()}"
    try:
        probe.write_bytes(b"")
    finally:
        probe.unlink(missing_ok=True)


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold ``folder``'s lock file: runs that write into one folder at once (``--replication i
    --out D``, each adding its replication to D's manifest) take turns reading and rewriting it,
    so none is lost."""
    with open(Path(folder) / ".sib.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(tmp)`` then rename tmp over ``path`` (atomic on one file system)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def versions() -> dict[str, str]:
    """What a result depends on besides the scenario and the seed."""
    import scipy

    return {
        "sib": sib.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "simpy": simpy.__version__,
        "pandas": pd.__version__,
        "python": platform.python_version(),
    }


def pricing_record(priced: sib.PricedContract) -> dict[str, Any]:
    """What pricing found, as a manifest records it."""
    return {
        "fixed_factor": priced.terms.fixed_factor,
        "outcome_factor": priced.terms.outcome_factor,
        "expected_value": priced.expected_value,
        "outcome_share_expected": priced.outcome_share_expected,
        "outcome_share_full": priced.outcome_share_full,
        "max_contract_value": priced.max_contract_value,
    }


def manifest(rep: sib.Replication) -> dict[str, Any]:
    seed = rep.seed
    entropy = seed.entropy if isinstance(seed, np.random.SeedSequence) else seed
    spawn_key = list(seed.spawn_key) if isinstance(seed, np.random.SeedSequence) else []
    return {
        "scenario": rep.scenario.model_dump(mode="json", by_alias=True),
        "scenario_digest": rep.scenario.digest,
        "seed_entropy": str(entropy),
        "seed_spawn_key": spawn_key,
        "replications": [rep.replication],
        "pricing": pricing_record(rep.priced),
        "versions": versions(),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def _write_table(frame: pd.DataFrame, folder: Path, name: str) -> None:
    atomic_write(folder / f"{name}.parquet", lambda p: frame.to_parquet(p, index=False))
    atomic_write(folder / f"{name}.csv", lambda p: frame.to_csv(p, index=False))


def write_replication_tables(rep: sib.Replication, folder: Path) -> Path:
    """One replication's ledger, events, monthly series and metrics (Parquet and CSV)."""
    folder.mkdir(parents=True, exist_ok=True)
    _write_table(rep.ledger, folder, "ledger")
    _write_table(rep.events, folder, "events")
    _write_table(rep.monthly, folder, "monthly")
    metrics = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in rep.metrics.items()}
    metrics.update({f"param.{k}": v for k, v in rep.parameters.items()})
    _write_table(pd.DataFrame([metrics]), folder, "metrics")
    return folder


def write_replication(rep: sib.Replication, out: Path) -> Path:
    """Write manifest.json and the replication's ledger, events, monthly series and metrics."""
    record = manifest(rep)
    check_writable(Path(out))
    with locked(Path(out)):
        path = Path(out) / "manifest.json"
        if path.is_file():  # checked before anything is written: never mix two studies' files
            before = _manifest_of(path, Path(out))
            same = all(before.get(k) == record[k] for k in ("scenario_digest", "seed_entropy", "seed_spawn_key"))
            if not same:
                raise FileExistsError(
                    0,
                    say(
                        "innehåller resultat av ett annat scenario eller startvärde; välj en annan --out",
                        "holds the results of another scenario or seed; choose another --out",
                    ),
                    str(out),
                )
            record["replications"] = sorted(set(before.get("replications", [])) | {rep.replication})
        folder = write_replication_tables(rep, Path(out) / "replications" / str(rep.replication))
        # The manifest goes last: a folder with a manifest is a complete folder.
        text = json.dumps(record, indent=2, ensure_ascii=False, default=str)
        atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))
    return folder


def _manifest_of(path: Path, out: Path) -> dict[str, Any]:
    """A folder's manifest as a mapping; one that is not (edited, truncated) is refused."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        found = None
    if not isinstance(found, dict):
        raise FileExistsError(
            0,
            say(
                "har en manifest.json som inte går att läsa; välj en annan --out",
                "has a manifest.json that cannot be read; choose another --out",
            ),
            str(out),
        )
    return found
