"""The scenarios the dashboard offers: the files in the scenario folder, and the user's own —
versions saved from the form and uploaded files — kept as files in a folder of their own
(``user_dir()``), so that they outlast the session and can be renamed and deleted."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import sib
from sib.fmt import group
from sib.i18n import language, say
from sib.scenario import shipped
from sib.scenario.edit import to_yaml
from sib.scenario.loader import MAX_FILE_BYTES, loads_scenario

#: The folder of scenario files: the reference scenarios sib comes with; SIB_SCENARIO_DIR points
#: it elsewhere (tests, or a folder of one's own).
SCENARIO_DIR = Path(os.environ.get("SIB_SCENARIO_DIR") or shipped.folder())
DEFAULT = "bostad_forst.yaml"
#: What the default is compared with first: the same service bought the traditional way (0 %).
BASELINE = "bostad_forst_traditionellt.yaml"
UPLOAD_LIMIT = MAX_FILE_BYTES


def user_dir() -> Path:
    """Where the user's own scenarios are kept: SIB_USER_DIR, else sib/scenarios under the
    XDG data folder (~/.local/share/sib/scenarios)."""
    given = os.environ.get("SIB_USER_DIR")
    if given:
        return Path(given)
    data = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data) / "sib" / "scenarios"


@dataclass
class Library:
    """Scenarios by display name, in the order they were added; ``broken`` holds files that
    could not be read, with their problems."""

    scenarios: dict[str, sib.Scenario] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # display name → file name in the scenario folder
    broken: dict[str, list[str]] = field(default_factory=dict)
    own: dict[str, Path] = field(default_factory=dict)  # display name → the user's file
    folder: Path | None = None  # where the user's own are kept; None: not kept

    @classmethod
    def from_folder(cls, folder: Path = SCENARIO_DIR, own: Path | None = None) -> Library:
        """The scenario folder's files, then the user's own from ``own`` (default ``user_dir()``)."""
        lib = cls(folder=own if own is not None else user_dir())
        for path in sorted(folder.glob("*.yaml")):
            try:
                sc = sib.load_scenario(path)
            except sib.ScenarioError as exc:
                lib.broken[path.name] = exc.problems
                continue
            lib.add(sc, file=path.name)
        if lib.folder.is_dir():
            for path in sorted(lib.folder.glob("*.yaml"), key=lambda p: p.stat().st_mtime):
                try:
                    sc = sib.load_scenario(path)
                except sib.ScenarioError as exc:
                    lib.broken[path.name] = exc.problems
                    continue
                lib.own[lib.add(sc)] = path
        return lib

    def keep(self, scenario: sib.Scenario) -> str:
        """Add the user's scenario and write it to their folder (as a complete file); returns its name."""
        name = self.add(scenario)
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._write(name, self.own.get(name) or _free_path(self.folder, _slug(name)))
        return name

    def rename(self, name: str, new: str) -> str:
        """Give one of the user's scenarios another name (kept in the same file); returns the name used."""
        scenario = self.scenarios.pop(name).model_copy(update={"name": new.strip() or name})
        path = self.own.pop(name)
        renamed = self.add(scenario)
        self._write(renamed, path)
        return renamed

    def _write(self, name: str, path: Path) -> None:
        path.write_text(to_yaml(self.scenarios[name]), encoding="utf-8")
        self.own[name] = path

    def delete(self, name: str) -> None:
        """Remove one of the user's scenarios, and its file."""
        self.scenarios.pop(name)
        self.own.pop(name).unlink(missing_ok=True)

    def add(self, scenario: sib.Scenario, file: str | None = None) -> str:
        """Add under the scenario's name (made unique); returns the name used."""
        name, k = scenario.name, 2
        while name in self.scenarios and self.scenarios[name].digest != scenario.digest:
            name, k = f"{scenario.name} ({k})", k + 1
        self.scenarios[name] = scenario
        if file is not None:
            self.files[name] = file
        return name

    def names_of(self, files: tuple[str, ...] | list[str]) -> list[str]:
        """The display names of scenario files, in their order (files not in the library left out)."""
        by_file = {f: name for name, f in self.files.items()}
        return [by_file[f] for f in files if f in by_file]

    def default_names(self, n: int = 2) -> list[str]:
        """The default scenario first, then the traditional contract it is compared with, then
        its other variants (files that start the same)."""
        first = next((k for k, f in self.files.items() if f == DEFAULT), next(iter(self.scenarios), None))
        if first is None:
            return []
        stem = DEFAULT.removesuffix(".yaml")
        rest = [k for k, f in self.files.items() if k != first and f.startswith(stem)]
        rest.sort(key=lambda k: self.files[k] != BASELINE)
        return [first, *rest][:n]


def read_upload(data: bytes, name: str) -> sib.Scenario:
    """An uploaded file, refused above the size limit before it is parsed; its ``extends`` may
    name a file in the scenario folder."""
    if len(data) > UPLOAD_LIMIT:
        raise sib.ScenarioError(
            [
                say(
                    "filen är {size} byte; högst {most} tas emot",
                    "the file is {size} bytes; at most {most} are accepted",
                    size=group(len(data), lang=language()),
                    most=group(UPLOAD_LIMIT, lang=language()),
                )
            ],
            name,
        )
    return loads_scenario(data, source=name, library=SCENARIO_DIR)


def _slug(name: str) -> str:
    """A file name from a scenario's name: letters and digits, the rest as single underscores."""
    keep = "".join(c.lower() if c.isalnum() else "_" for c in name)
    return "_".join(p for p in keep.split("_") if p)[:80] or "scenario"


def _free_path(folder: Path, stem: str) -> Path:
    path, k = folder / f"{stem}.yaml", 2
    while path.exists():
        path, k = folder / f"{stem}_{k}.yaml", k + 1
    return path
