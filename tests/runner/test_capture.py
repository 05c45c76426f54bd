"""print() output becomes one OUTPUT message per line, stamped where it was written."""

from loopviz.protocol import Message
from loopviz.tracer.capture import MAX_LINE, LineCapture
from loopviz.tracer.recorder import Recorder


def lines_of(recorder: Recorder) -> list[tuple[str, str]]:
    _, _, messages = recorder.take()
    return [(m["stream"], m["text"]) for m in messages if m["k"] == Message.OUTPUT]


def test_print_gives_one_line_per_call() -> None:
    recorder = Recorder()
    out = LineCapture(recorder, "stdout")
    print("Number of tasks:", 6, file=out)
    print("two\nlines", file=out)
    assert lines_of(recorder) == [
        ("stdout", "Number of tasks: 6"),
        ("stdout", "two"),
        ("stdout", "lines"),
    ]


def test_partial_lines_wait_for_their_newline_or_close() -> None:
    recorder = Recorder()
    err = LineCapture(recorder, "stderr")
    err.write("progress ")
    err.write("50%")
    assert lines_of(recorder) == []
    err.write(" done\nnext")
    assert lines_of(recorder) == [("stderr", "progress 50% done")]
    err.close()
    assert lines_of(recorder) == [("stderr", "next")]


def test_an_enormous_line_is_cut_with_a_note() -> None:
    recorder = Recorder()
    out = LineCapture(recorder, "stdout")
    out.write("x" * (MAX_LINE + 10) + "\n")
    ((_, text),) = lines_of(recorder)
    assert text.startswith("x" * MAX_LINE)
    assert "10 more characters cut" in text
