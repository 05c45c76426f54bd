"""The ``loopviz`` command as a new user meets it: --version, --help, list, a wheel install."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from loopviz import __version__
from loopviz.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
COURSE = [  # the founding lessons, first in the course
    "01_sequential_awaits.py",
    "02_coroutines_are_not_tasks.py",
    "03_create_task.py",
    "04_blocking_requests.py",
]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"loopviz {__version__}"


def test_help_names_the_app_and_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "--run" in out
    for command in ("list", "record", "inspect", "serve"):
        assert f"  {command} " in out


def test_list_prints_the_course_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[:4]] == COURSE
    assert "Sequential awaits" in lines[0]


def test_list_of_a_missing_folder_fails_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "/no/such/folder"]) == 2
    assert "no/such/folder" in capsys.readouterr().err


def test_app_with_a_missing_scenario_fails_before_opening_a_window(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["/no/such/scenario.py"]) == 2
    assert "no such scenario file" in capsys.readouterr().err


def test_python_dash_m_loopviz_works() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "loopviz", "--version"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"loopviz {__version__}"


@pytest.mark.slow
def test_wheel_ships_scenarios_and_lists_them_outside_the_repo(tmp_path: Path) -> None:
    """A non-editable install, run from another folder, still finds the bundled course."""
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if build.returncode != 0 and "No matching distribution" in build.stderr:
        pytest.skip("hatchling cannot be fetched here")
    assert build.returncode == 0, build.stderr
    (wheel,) = wheels.glob("loopviz-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    pip = env_dir / "bin" / "pip"
    subprocess.run([pip, "install", "-q", "--no-deps", wheel], check=True, timeout=300)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    exe = env_dir / "bin" / "loopviz"
    version = subprocess.run(
        [exe, "--version"], cwd=elsewhere, capture_output=True, text=True, timeout=60
    )
    assert version.stdout.strip() == f"loopviz {__version__}", version.stderr
    listing = subprocess.run([exe, "list"], cwd=elsewhere, capture_output=True, text=True)
    assert listing.returncode == 0, listing.stderr
    shipped = sorted(p.name for p in (ROOT / "scenarios").glob("[0-9]*.py"))
    assert [line.split()[0] for line in listing.stdout.splitlines()] == shipped
    assert shipped[:4] == COURSE
    installed = env_dir / "lib"
    assert list(installed.glob("python3*/site-packages/loopviz/_bundled/assets/loopviz.png"))
