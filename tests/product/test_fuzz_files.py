"""The file fuzz of ``make validate`` (tests/fuzz_files.py), on a few files: each goes through
``sib validate`` and one replication, and a file that crashes, hangs or grows too large is
caught, kept and counted."""

from __future__ import annotations

import fuzz_files


def test_a_few_files_pass_through_the_command_and_are_counted(tmp_path):
    outcomes = fuzz_files.fuzz(24, seed=5, jobs=2, failures=tmp_path / "failed", fixed=False)
    assert len(outcomes) == 24 and not [(o.label, o.problem) for o in outcomes if o.problem]
    assert any(o.valid for o in outcomes) and any(not o.valid for o in outcomes)
    assert not (tmp_path / "failed").exists()
    assert "24 files in" in fuzz_files.report(outcomes, 60.0)


def test_a_crash_a_hang_and_a_large_file_are_caught_and_kept(tmp_path, monkeypatch):
    aimed = dict(fuzz_files.AIMED)
    slow = "referrals at their limit, pricing at the joint limit"  # prices for several seconds
    cases = [("a crash", aimed["base 60"]), ("a hang", aimed[slow]), ("large", aimed["a number in quotes"])]
    monkeypatch.setattr(fuzz_files, "cases", lambda n, seed, fixed: iter(cases))
    monkeypatch.setattr(fuzz_files, "SECONDS", 2.0)
    monkeypatch.setattr(fuzz_files, "MEMORY", 1)  # every file is "too large": the check is what is tested
    original = fuzz_files._child

    def child(path, log):
        if "1:50" in path.read_text(encoding="utf-8"):  # the crash: sib itself raises
            import sib.cli

            sib.cli.main = lambda argv: 1 / 0
        original(path, log)

    monkeypatch.setattr(fuzz_files, "_child", child)
    outcomes = {o.label: o.problem for o in fuzz_files.fuzz(3, seed=1, jobs=2, failures=tmp_path / "failed")}
    assert outcomes == {"a crash": "a traceback", "a hang": "did not end within 2 s", "large": outcomes["large"]}
    assert outcomes["large"].startswith("peak memory")
    kept = sorted(p.name for p in (tmp_path / "failed").iterdir())
    assert kept == [f"case-0000{i}.{ext}" for i in range(3) for ext in ("out", "yaml")]
    assert "ZeroDivisionError" in (tmp_path / "failed" / "case-00000.out").read_text(encoding="utf-8")
