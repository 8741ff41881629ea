"""The scenarios the dashboard offers: the files in the scenario folder, versions the user
saved from the form, and uploaded files — by display name, kept in the session."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import sib
from sib.scenario.loader import MAX_FILE_BYTES

#: The folder of scenario files; SIB_SCENARIO_DIR points it elsewhere (tests).
SCENARIO_DIR = Path(os.environ.get("SIB_SCENARIO_DIR") or Path(__file__).resolve().parents[2] / "scenarios")
DEFAULT = "bostad_forst.yaml"
#: What the default is compared with first: the same service bought the traditional way (0 %).
BASELINE = "bostad_forst_traditionellt.yaml"
UPLOAD_LIMIT = MAX_FILE_BYTES


@dataclass
class Library:
    """Scenarios by display name, in the order they were added; ``broken`` holds files that
    could not be read, with their problems."""

    scenarios: dict[str, sib.Scenario] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # display name → file name
    broken: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_folder(cls, folder: Path = SCENARIO_DIR) -> Library:
        lib = cls()
        for path in sorted(folder.glob("*.yaml")):
            try:
                sc = sib.load_scenario(path)
            except sib.ScenarioError as exc:
                lib.broken[path.name] = exc.problems
                continue
            lib.add(sc, file=path.name)
        return lib

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
    """An uploaded file, refused above the size limit before it is parsed."""
    if len(data) > UPLOAD_LIMIT:
        raise sib.ScenarioError([f"the file is {len(data):,} bytes; at most {UPLOAD_LIMIT:,} are accepted".replace(",", " ")], name)
    return sib.loads_scenario(data, source=name)
