"""The scenario catalog reads metadata from source, in course order, without running it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from loopviz.catalog import (
    Parameter,
    assets_dir,
    bundled_scenarios_dir,
    list_scenarios,
    read_scenario,
    title_from_name,
)


def write(directory: Path, name: str, source: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


def test_bundled_scenarios_in_course_order() -> None:
    infos = list_scenarios()
    founding = [info for info in infos if info.order in (1, 2, 3, 4)]
    assert [(info.order, info.title) for info in founding] == [
        (1, "Sequential awaits"),
        (2, "Coroutines are not tasks"),
        (3, "Create task"),
        (4, "Blocking requests"),
    ]
    assert infos[: len(founding)] == founding
    for info in founding:
        assert info.error is None
        assert info.has_main
        assert info.path.is_absolute() and info.path.parent == bundled_scenarios_dir()
        assert info.explanation and info.key_point and info.lecture_notes


def test_bundled_dirs_resolve_to_checkout() -> None:
    assert bundled_scenarios_dir().is_dir()
    assert bundled_scenarios_dir().name == "scenarios"
    assert assets_dir().name == "assets"


def test_blocking_scenario_parameters() -> None:
    info = read_scenario(bundled_scenarios_dir() / "04_blocking_requests.py")
    params = {p.name: p for p in info.parameters}
    assert set(params) == {"TICKS", "TICK", "DELAY"}
    assert params["TICKS"].value == 10
    assert params["TICK"].value == 0.001
    lines = info.path.read_text(encoding="utf-8").splitlines()
    for param in info.parameters:
        assert lines[param.line - 1].startswith(f"{param.name} = ")


def test_metadata_parsing(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "07_gather_results.py",
        '''\
        """Gather results

        gather returns the results in the order
        the awaitables were passed.

        Second paragraph.

        Key point: Order of results is the order
        of arguments.

        Lecture notes:
        - Point at the result list,
          right after gather returns.
        - Then at the lanes.
        """

        import asyncio

        COUNT = 3  # param: how many tasks
        DELAY: float = 0.5  # param: seconds per task
        NAME = "job"  # param:   task name prefix
        OFFSET = -2  # param: shift
        VERBOSE = True  # param: booleans are not parameters
        lower = 1  # param: lowercase names are not parameters
        PLAIN = 4  # no param comment
        HASH = "# param: not a comment"
        COMPUTED = 2 * 3  # param: not a literal
        A = B = 1  # param: chained assignment is not a parameter


        async def main() -> None:
            await asyncio.sleep(DELAY)
        ''',
    )
    info = read_scenario(path)
    assert info.error is None
    assert info.name == "07_gather_results.py"
    assert info.order == 7
    assert info.title == "Gather results"
    assert info.explanation == (
        "gather returns the results in the order the awaitables were passed.\n\nSecond paragraph."
    )
    assert info.key_point == "Order of results is the order of arguments."
    assert info.lecture_notes == (
        "- Point at the result list, right after gather returns.\n- Then at the lanes."
    )
    assert info.parameters == (
        Parameter("COUNT", 3, "how many tasks", 19),
        Parameter("DELAY", 0.5, "seconds per task", 20),
        Parameter("NAME", "job", "task name prefix", 21),
        Parameter("OFFSET", -2, "shift", 22),
    )
    assert info.has_main


def test_sections_optional_and_key_point_on_next_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "x.py",
        '''\
        """Only a title"""
        ''',
    )
    info = read_scenario(path)
    assert (info.title, info.explanation, info.key_point, info.lecture_notes) == (
        "Only a title",
        "",
        "",
        "",
    )
    assert not info.has_main  # no async def main

    path = write(tmp_path, "y.py", '"""T\n\nKey point:\n  On the next line.\n"""\n')
    assert read_scenario(path).key_point == "On the next line."


def test_sync_main_is_not_async_main(tmp_path: Path) -> None:
    path = write(tmp_path, "a.py", "def main():\n    pass\n")
    assert not read_scenario(path).has_main


def test_no_docstring_title_from_file_name(tmp_path: Path) -> None:
    path = write(tmp_path, "03_create_task.py", "import asyncio\n\nasync def main():\n    pass\n")
    info = read_scenario(path)
    assert info.title == "Create task"
    assert info.explanation == ""
    assert info.order == 3
    assert info.has_main
    assert title_from_name("my-first_scenario.py") == "My first scenario"
    assert title_from_name("12.py") == "12"


def test_syntax_error_is_listed_with_line(tmp_path: Path) -> None:
    write(tmp_path, "01_good.py", '"""Good"""\n')
    write(tmp_path, "02_broken.py", '"""Broken"""\n\n\ndef f(:\n    pass\n')
    infos = list_scenarios(tmp_path)
    assert [info.name for info in infos] == ["01_good.py", "02_broken.py"]
    broken = infos[1]
    assert broken.error is not None
    assert broken.error.startswith("SyntaxError:")
    assert "02_broken.py" in broken.error and "line 4" in broken.error
    assert broken.title == "Broken"  # from the file name, since nothing could be parsed


def test_undecodable_file_is_listed(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_bytes(b'"""caf\xe9"""\n')
    (info,) = list_scenarios(tmp_path)
    assert info.error is not None and "SyntaxError" in info.error
    assert info.title == "Bad"


def test_course_order(tmp_path: Path) -> None:
    for name in ["zeta.py", "10_ten.py", "2_two.py", "alpha.py", "_helper.py", "notes.txt"]:
        write(tmp_path, name, "")
    (tmp_path / "sub.py").mkdir()
    names = [info.name for info in list_scenarios(tmp_path)]
    assert names == ["2_two.py", "10_ten.py", "alpha.py", "zeta.py"]


def test_reading_never_executes(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    path = write(
        tmp_path,
        "evil.py",
        f'''\
        """Evil"""
        from pathlib import Path
        Path({str(marker)!r}).write_text("ran")
        COUNT = 1  # param: count
        ''',
    )
    info = read_scenario(path)
    list_scenarios(tmp_path)
    assert info.title == "Evil" and info.parameters[0].name == "COUNT"
    assert not marker.exists()


def test_missing_and_non_python_paths(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_scenario(tmp_path / "nope.py")
    (tmp_path / "notes.txt").write_text("hi")
    with pytest.raises(ValueError, match=r"\.py"):
        read_scenario(tmp_path / "notes.txt")
    with pytest.raises(ValueError):
        read_scenario(tmp_path)
    with pytest.raises(FileNotFoundError):
        list_scenarios(tmp_path / "missing")


def test_catalog_and_localhttp_are_qt_free() -> None:
    code = (
        "import sys, loopviz.catalog, loopviz.localhttp\n"
        "bad = [m for m in ('PySide6', 'pyqtgraph', 'qasync', 'numpy') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_wheel_layout_prefers_bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "site-packages" / "loopviz"
    (package / "_bundled" / "scenarios").mkdir(parents=True)
    monkeypatch.setattr("loopviz.catalog._PACKAGE_DIR", package)
    assert bundled_scenarios_dir() == package / "_bundled" / "scenarios"
    assert assets_dir() == package / "_bundled" / "assets"
    assert list_scenarios() == []
