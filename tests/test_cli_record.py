"""`loopviz record` and `loopviz inspect` as a user runs them in a terminal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from loopviz.catalog import bundled_scenarios_dir

HOSTILE = Path(__file__).resolve().parent / "hostile"
pytestmark = pytest.mark.slow


def loopviz(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "loopviz", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_record_saves_a_recording_and_a_chrome_trace(tmp_path: Path) -> None:
    scenario = bundled_scenarios_dir() / "04_blocking_requests.py"
    proc = loopviz(
        "record", str(scenario), "-o", "run.lvz", "--chrome-trace", "run.json", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "duration:" in out and "tasks:" in out
    assert "stalls:    1" in out
    assert "requests.get at 04_blocking_requests.py:" in out
    assert "main() returned" in out
    trace = json.loads((tmp_path / "run.json").read_text())
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    names = {
        e["args"]["name"] for e in events if e.get("ph") == "M" and e.get("name") == "thread_name"
    }
    assert "event loop" in names
    stalls = [e for e in events if e.get("cat") == "stall"]
    assert len(stalls) == 1 and stalls[0]["args"]["call"] == "requests.get"
    assert stalls[0]["args"]["where"].startswith("04_blocking_requests.py:") or (
        "04_blocking_requests.py:" in stalls[0]["args"]["where"]
    )

    inspected = loopviz("inspect", "run.lvz", cwd=tmp_path)
    assert inspected.returncode == 0, inspected.stderr
    assert "statistics" in inspected.stdout and "loop busy" in inspected.stdout
    assert "ticker" in inspected.stdout or "Task-2" in inspected.stdout


def test_record_of_a_broken_scenario_fails_with_the_reason_on_stderr(tmp_path: Path) -> None:
    proc = loopviz("record", str(HOSTILE / "syntax_error.py"), "-o", "bad.lvz", cwd=tmp_path)
    assert proc.returncode != 0
    assert "SyntaxError" in proc.stderr
    assert "syntax_error.py:" in proc.stderr
    assert (tmp_path / "bad.lvz").exists(), "what was recorded is still saved"


def test_record_of_a_raising_scenario_shows_the_traceback(tmp_path: Path) -> None:
    proc = loopviz("record", str(HOSTILE / "main_raises.py"), cwd=tmp_path)
    assert proc.returncode == 1
    assert "ValueError: bad page 2" in proc.stderr
    assert "Traceback" in proc.stderr


def test_record_passes_arguments_after_double_dash(tmp_path: Path) -> None:
    script = tmp_path / "argv.py"
    script.write_text(
        "import sys\n\nasync def main():\n    print('args', sys.argv[1:])\n", encoding="utf-8"
    )
    proc = loopviz("record", str(script), "--echo", "--", "one", "--two", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "args ['one', '--two']" in proc.stdout


def test_record_rejects_a_missing_file(tmp_path: Path) -> None:
    proc = loopviz("record", "nope.py", cwd=tmp_path)
    assert proc.returncode == 2
    assert "no such file" in proc.stderr


def test_inspect_of_a_corrupt_file_says_what_is_wrong(tmp_path: Path) -> None:
    (tmp_path / "junk.lvz").write_bytes(b"this is not a recording at all")
    proc = loopviz("inspect", "junk.lvz", cwd=tmp_path)
    assert proc.returncode == 2
    assert "junk.lvz" in proc.stderr
    assert "Traceback" not in proc.stderr
