"""Recording limits without a window: the figures users type, their memory, the defaults,
``loopviz --help`` and ``--max-events`` refused with a message before any Qt loads."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from loopviz.model import recording as model_recording
from loopviz.tracer import Recorder
from loopviz.tracer.flusher import FROM_CAP, Flusher
from loopviz.tracer.limits import DEFAULT_BUFFER_RECORDS, buffer_records_for, total_memory
from loopviz.ui import recording_limits as rl
from loopviz.ui.recording_limits import (
    LimitError,
    RecordingLimits,
    cli_max_events,
    default_max_events,
    events_text,
    lines_text,
    memory_warning,
    parse_count,
)

GIB = 2**30


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("20000000", 20_000_000),
        ("20,000,000", 20_000_000),
        (" 20 000 000 ", 20_000_000),
        ("20_000_000", 20_000_000),
        ("20M", 20_000_000),
        ("2.5m", 2_500_000),
        ("500k", 500_000),
        ("500", 500),
    ],
)
def test_big_numbers_are_read_as_people_type_them(text: str, value: int) -> None:
    assert parse_count(text, "events", 100, 10**9) == value


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Type the number of events"),
        ("abc", "'abc' is not a number of events"),
        ("-5", "'-5' is not a number of events"),
        ("1.5", "not a whole number"),
        ("99", "At least 100 events"),
        ("2G", "At most 1,000,000,000 events"),
    ],
)
def test_a_figure_that_cannot_be_a_limit_is_refused_with_a_message(text: str, says: str) -> None:
    with pytest.raises(LimitError) as err:
        parse_count(text, "events", 100, 10**9)
    assert says in str(err.value)


def test_the_memory_a_limit_means_is_written_next_to_it() -> None:
    assert events_text(20_000_000) == "20,000,000 events ≈ 1.6 GB"
    assert events_text(500) == "500 events ≈ 40 kB"
    assert lines_text(2_000_000) == "2,000,000 printed lines ≈ 900 MB"
    assert "no limit" in events_text(None)


def test_the_default_is_20_million_events_on_a_24_gib_machine_and_less_on_a_small_one() -> None:
    assert default_max_events(24 * GIB) == 20_000_000
    assert default_max_events(64 * GIB) == 20_000_000, "never more than the documented default"
    assert default_max_events(4 * GIB) == 13_000_000, "a quarter of 4 GiB at 80 bytes/event"
    assert default_max_events(None) == 20_000_000, "memory unknown: the documented default"


def test_this_machines_memory_is_read_from_meminfo(tmp_path: Path) -> None:
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       24683656 kB\nMemFree:        22335692 kB\n")
    assert total_memory(meminfo) == 24683656 * 1024
    meminfo.write_text("nonsense")
    assert total_memory(meminfo) is None
    assert total_memory(tmp_path / "missing") is None


def test_no_limit_and_a_limit_near_the_memory_are_warned_about() -> None:
    assert "can fill the memory" in memory_warning(RecordingLimits(None, 2_000_000), 24 * GIB)
    assert "printed lines" in memory_warning(RecordingLimits(20_000_000, None), 24 * GIB)
    assert "more than half" in memory_warning(RecordingLimits(200_000_000, 2_000_000), 24 * GIB)
    assert memory_warning(RecordingLimits(20_000_000, 2_000_000), 24 * GIB) == ""


def test_the_defaults_repeated_for_a_fast_help_match_the_models() -> None:
    assert rl.DEFAULT_MAX_EVENTS == model_recording.DEFAULT_MAX_EVENTS
    assert rl.DEFAULT_MAX_OUTPUT_LINES == model_recording.DEFAULT_MAX_OUTPUT_LINES


def test_the_runners_buffer_can_hold_the_whole_cap_within_the_memory() -> None:
    # The 10 M-event flood in the window kept only ~2.5 M events with a fixed 4 M mark.
    assert buffer_records_for(20_000_000, 24 * GIB) == 20_000_000
    assert buffer_records_for(500, 24 * GIB) == DEFAULT_BUFFER_RECORDS, "never below the old mark"
    small = buffer_records_for(20_000_000, 2 * GIB)
    assert DEFAULT_BUFFER_RECORDS <= small < 20_000_000, "a small machine is not made to swap"
    assert buffer_records_for(None, 24 * GIB) > 20_000_000, "no cap: bounded by memory only"
    assert buffer_records_for(20_000_000, None) == DEFAULT_BUFFER_RECORDS


def test_a_flusher_asked_to_size_its_buffer_from_the_cap_does() -> None:
    recorder = Recorder()
    recorder.set_event_limit(20_000_000)
    read_fd, write_fd = os.pipe()
    try:
        sized = Flusher(recorder, write_fd, buffer_records=FROM_CAP).buffer_records
        fixed = Flusher(Recorder(), write_fd).buffer_records
    finally:
        os.close(read_fd)
        os.close(write_fd)
    assert sized == buffer_records_for(20_000_000, total_memory())
    assert fixed == DEFAULT_BUFFER_RECORDS, "not the default yet (see flusher.FROM_CAP)"


def test_cli_max_events_takes_0_for_no_limit() -> None:
    assert cli_max_events("0") is None
    assert cli_max_events("1M") == 1_000_000
    with pytest.raises(LimitError):
        cli_max_events("lots")


def _loopviz(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "loopviz", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_help_lists_max_events_for_the_window() -> None:
    out = _loopviz("--help").stdout
    assert "--max-events N" in out
    assert "Recording limits" in out
    assert "0: no limit" in out


@pytest.mark.parametrize(
    ("value", "says"), [("abc", "not a number of events"), ("5", "At least 100 events")]
)
def test_a_bad_max_events_is_refused_before_the_window_opens(value: str, says: str) -> None:
    done = _loopviz("--max-events", value)
    assert done.returncode == 2
    assert says in done.stderr
    assert "Traceback" not in done.stderr


def test_the_app_parser_hands_max_events_to_the_window() -> None:
    from loopviz.cli.main import app_parser
    from loopviz.ui.recording_limits import SESSION_DEFAULT

    assert app_parser().parse_args(["x.py", "--max-events", "20M"]).max_events == 20_000_000
    assert app_parser().parse_args(["--max-events", "0"]).max_events is None
    assert app_parser().parse_args([]).max_events == SESSION_DEFAULT, "the saved figure"


def test_the_ui_entry_point_documents_max_events_too() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "loopviz.ui", "--help"], capture_output=True, text=True, timeout=60
    )
    assert "--max-events N" in done.stdout
