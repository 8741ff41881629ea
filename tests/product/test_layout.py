"""The tests are laid out so that a module's tests are found by its name: ``sib/engine/vat.py``
in ``tests/engine/test_vat.py`` (a further group of them in ``test_vat_<aspect>.py``), the
top-level ``sib/cli.py`` in ``tests/test_cli.py``, a tool ``tools/x.py`` in
``tests/tools/test_x.py``. Tests of sib as a whole (the golden set, properties, the browser, the
installed wheel) are in ``tests/product/``. Helpers are ``tests/helpers_*.py``."""

from __future__ import annotations

from pathlib import Path

from helpers_paths import REPO

TESTS = REPO / "tests"
#: Folders of tests that are not about one module.
WHOLE = {"product", "validation", "data"}


def _modules(package: Path) -> dict[Path, set[str]]:
    """Each folder of ``package`` (relative to it) with the names of the modules in it."""
    found: dict[Path, set[str]] = {}
    for module in package.rglob("*.py"):
        if module.name != "__init__.py":
            found.setdefault(module.parent.relative_to(package), set()).add(module.stem)
    return found


def _tested(test: Path, modules: set[str]) -> bool:
    name = test.stem.removeprefix("test_")
    return any(name == m or name.startswith(f"{m}_") for m in modules)


def test_every_module_of_sib_has_a_test_file_of_its_name():
    missing = [
        f"sib/{folder / module}.py"
        for folder, modules in _modules(REPO / "sib").items()
        for module in sorted(modules)
        if not any(_tested(t, {module}) for t in (TESTS / folder).glob("test_*.py"))
    ]
    assert not missing, f"no tests/<package>/test_<module>.py for {missing}"


def test_every_test_file_outside_product_is_named_after_a_module_in_its_folder():
    """A file named after nothing (``tests/engine/test_misc.py``) or in the wrong folder would
    hide its tests from whoever looks for them by the module's name."""
    sib, tools = _modules(REPO / "sib"), _modules(REPO / "tools")
    strays = []
    for test in TESTS.rglob("test_*.py"):
        folder = test.parent.relative_to(TESTS)
        if folder.parts and folder.parts[0] in WHOLE:
            continue
        if folder.parts[:1] == ("tools",):
            modules = tools.get(Path(*folder.parts[1:]), set())
        else:
            modules = sib.get(folder, set())
        if not _tested(test, modules):
            strays.append(str(test.relative_to(REPO)))
    assert not strays, f"test files named after no module in their folder: {sorted(strays)}"


def test_every_test_folder_is_a_package_so_two_files_may_share_a_name():
    """``tests/study/test_compare.py`` and ``tests/dashboard/pages/test_compare.py`` can only
    both exist if pytest imports them as ``tests.study.test_compare`` and so on."""
    folders = {t.parent for t in TESTS.rglob("test_*.py")}
    assert not [str(f.relative_to(REPO)) for f in folders if not (f / "__init__.py").exists()]
