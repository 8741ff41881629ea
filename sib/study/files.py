"""A study on disk: summary, monthly quantiles, manifest, Excel workbook and chosen ledgers.

The folder is built under a temporary name beside its destination and renamed into place
when complete, so an interrupted run leaves either the whole folder or none. The manifest
holds the fully resolved scenario and the seed, so ``sib run --from DIR`` gives the same
numbers again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from sib.i18n import say
from sib.output import atomic_write, check_writable, pricing_record, versions, write_replication_tables
from sib.scenario.errors import ScenarioError
from sib.scenario.loader import build
from sib.scenario.schema import Scenario
from sib.study.results import Results
from sib.study.workbook import write_workbook

#: Replications kept in full by default: the 5th, 50th and 95th percentile of the provider's
#: minimum liquidity (the bad, the typical and the good case to drill into).
KEEP_METRIC = "provider_min_liquidity"
KEEP_PERCENTILES = (5, 50, 95)


def default_keep(results: Results) -> list[int]:
    return sorted({results.at_percentile(KEEP_METRIC, q) for q in KEEP_PERCENTILES})


def check_destination(out: Path) -> None:
    """Refuse, before any work, a destination that is a file, already holds something, or lies
    where this process cannot write (its folder is created to find out)."""
    out = Path(out)
    if not out.exists() or out.is_dir():
        check_writable(out.parent)
    if out.exists() and not out.is_dir():
        raise FileExistsError(0, say("är en fil; --out behöver en mapp", "is a file; --out needs a folder"), str(out))
    if out.is_dir() and any(out.iterdir()):
        raise FileExistsError(
            0,
            say(
                "innehåller redan resultat; välj en annan --out (en studiemapp skrivs aldrig över)",
                "already holds results; choose another --out (a study folder is never overwritten)",
            ),
            str(out),
        )


def manifest(results: Results, keep: Sequence[int]) -> dict[str, Any]:
    seed = results.seed
    return {
        "kind": "study",
        "scenario": results.scenario.model_dump(mode="json", by_alias=True),
        "scenario_digest": results.scenario.digest,
        "seed_entropy": str(seed.entropy),
        "seed_spawn_key": list(seed.spawn_key),
        "reps": results.reps,
        "replications": list(keep),
        "pricing": pricing_record(results.priced),
        "versions": versions(),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def write_study(results: Results, out: Path, keep: Sequence[int] | None = None, lang: str = "sv") -> Path:
    """Write the study's folder at ``out`` (which must not hold anything yet)."""
    out = Path(out)
    check_destination(out)
    keep = default_keep(results) if keep is None else sorted(set(keep))
    for i in keep:
        if not 0 <= i < results.reps:
            raise ValueError(
                say(
                    "--keep: simulering {i} finns inte bland 0..{last}",
                    "--keep: replication {i} is not in 0..{last}",
                    i=i,
                    last=results.reps - 1,
                )
            )
    _clear_stale_stages(out)
    stage = out.with_name(f".{out.name}.partial-{os.getpid()}")
    shutil.rmtree(stage, ignore_errors=True)
    try:
        stage.mkdir(parents=True)
        atomic_write(stage / "summary.parquet", lambda p: results.summary.to_parquet(p, index=False))
        atomic_write(stage / "timeseries.parquet", lambda p: results.timeseries.to_parquet(p, index=False))
        atomic_write(stage / "results.xlsx", lambda p: write_workbook(results, p, lang))
        for i in keep:
            write_replication_tables(results.replication(i), stage / "replications" / str(i))
        text = json.dumps(manifest(results, keep), indent=2, ensure_ascii=False, default=str)
        atomic_write(stage / "manifest.json", lambda p: p.write_text(text, encoding="utf-8"))
        if out.is_dir():
            out.rmdir()  # empty (checked above): the finished folder takes its place
        os.replace(stage, out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return out


def _clear_stale_stages(out: Path) -> None:
    """Remove what a run killed outright (SIGKILL, a power cut) left half written beside ``out``:
    ``.<name>.partial-<pid>`` folders whose process is gone. A live run's stage is left alone."""
    for stage in out.parent.glob(f".{out.name}.partial-*"):
        pid = stage.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stage, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        return True
    return True


#: The most replications one study may ask for (``--reps``, a manifest's ``reps``).
MAX_REPS = 1_000_000


def read_study(folder: Path) -> tuple[Scenario, int, np.random.SeedSequence, list[int], list[str]]:
    """What a study folder's manifest says to run again: scenario, reps, seed, kept
    replications, and warnings (versions that differ from this installation's). A manifest
    edited into something else is refused, naming the field."""
    path = Path(folder) / "manifest.json"
    if not path.is_file():
        raise FileNotFoundError(
            0,
            say(
                "saknar manifest.json: inte en fullständig resultatmapp från sib", "has no manifest.json: not a complete sib results folder"
            ),
            str(folder),
        )
    if path.stat().st_size > 2_000_000:
        raise ScenarioError(
            [
                say(
                    "manifest.json: större än 2 MB; sib skriver mycket mindre filer",
                    "manifest.json: larger than 2 MB; sib writes far smaller ones",
                )
            ],
            str(path),
        )
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError(
            [say("manifest.json: inte giltig JSON ({exc})", "manifest.json: not valid JSON ({exc})", exc=exc)], str(path)
        ) from None
    if not isinstance(record, dict) or not isinstance(record.get("scenario"), dict):
        raise ScenarioError(
            [
                say(
                    "scenario: manifestet måste innehålla scenariot som en mappning (nyckel: värde)",
                    "scenario: the manifest must hold the scenario as a mapping",
                )
            ],
            str(path),
        )
    scenario = build(record["scenario"], source=str(path))
    entropy, spawn = record.get("seed_entropy"), record.get("seed_spawn_key", [])
    if not isinstance(entropy, (int, str)) or not str(entropy).isdigit():
        raise ScenarioError(
            [
                say(
                    "seed_entropy: måste vara ett heltal, minst 0, angivet: {v!r}",
                    "seed_entropy: must be a whole number >= 0, got {v!r}",
                    v=entropy,
                )[:200]
            ],
            str(path),
        )
    if not isinstance(spawn, list) or not all(isinstance(k, int) and not isinstance(k, bool) and k >= 0 for k in spawn):
        raise ScenarioError(
            [
                say(
                    "seed_spawn_key: måste vara en lista med heltal, vart och ett minst 0",
                    "seed_spawn_key: must be a list of whole numbers >= 0",
                )
            ],
            str(path),
        )
    seed = np.random.SeedSequence(int(entropy), spawn_key=tuple(spawn))
    kept = record.get("replications", [])
    reps = record.get("reps", max(kept, default=0) + 1 if isinstance(kept, list) and all(isinstance(k, int) for k in kept) else None)
    if isinstance(reps, bool) or not isinstance(reps, int) or not 1 <= reps <= MAX_REPS:
        raise ScenarioError(
            [
                say(
                    "reps: måste vara ett heltal från 1 till {most}, angivet: {v!r}",
                    "reps: must be a whole number from 1 to {most}, got {v!r}",
                    most=MAX_REPS,
                    v=reps,
                )[:200]
            ],
            str(path),
        )
    if not isinstance(kept, list) or not all(isinstance(k, int) and not isinstance(k, bool) and 0 <= k < reps for k in kept):
        raise ScenarioError(
            [
                say(
                    "replications: måste vara en lista med simuleringarnas nummer i 0..{last}",
                    "replications: must be a list of replication numbers in 0..{last}",
                    last=reps - 1,
                )
            ],
            str(path),
        )
    versions_then = record.get("versions", {})
    if not isinstance(versions_then, dict):
        raise ScenarioError(
            [
                say(
                    "versions: måste vara en mappning från paketnamn till versioner",
                    "versions: must be a mapping of package names to versions",
                )
            ],
            str(path),
        )
    now = versions()
    warnings = [
        say(
            "{name} var {was} när resultaten togs fram och är {now} nu: siffrorna kan skilja sig",
            "{name} was {was} when these results were made, is {now} now: numbers may differ",
            name=name,
            was=was,
            now=now.get(name),
        )
        for name, was in versions_then.items()
        if now.get(name) != was
    ]
    if scenario.digest != record.get("scenario_digest"):
        warnings.append(
            say(
                "scenariot läses annorlunda med den här versionen av sib: siffrorna kan skilja sig",
                "the scenario reads differently with this version of sib: numbers may differ",
            )
        )
    return scenario, reps, seed, list(kept), warnings
