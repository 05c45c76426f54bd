from loopviz.ui.units import format_duration, format_time


def test_durations_read_the_same_in_every_pane() -> None:
    assert format_duration(0.7099) == "0.71 s"
    assert format_duration(12.34) == "12.3 s"
    assert format_duration(0.0042) == "4.2 ms"
    assert format_duration(0.000035) == "35 µs"
    assert format_duration(-1) == "0 µs"
    assert format_time(1.23456) == "1.235 s"
