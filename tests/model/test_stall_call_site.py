"""A loop held inside a plain function is reported at the coroutine's line that called it.

Lesson 11's ``crunch`` and lesson 12's ``count_primes`` are plain functions; the
watchdog samples the ``for`` loop inside them. The line a lecturer points at (the
line to fix) is the coroutine's ``crunch(CHUNK_SIZE)``, so the stall names that
line, and still says where inside ``crunch`` the loop was held.
"""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

import pytest

from loopviz.catalog import bundled_scenarios_dir
from loopviz.model import Recording, State, export_chrome_trace
from loopviz.model.slice_words import SliceDescriber
from loopviz.model.stall_caller import find_call_site, inside_phrase
from loopviz.model.stalls import StackFrame

YIELD_LESSON = bundled_scenarios_dir() / "11_sleep_zero_yield_point.py"


def line_of(path: Path, needle: str) -> int:
    return next(n for n, text in enumerate(path.read_text().splitlines(), 1) if needle in text)


@pytest.fixture(scope="module")
def yield_lesson() -> Recording:
    from loopviz.api import record

    # Long chunks: the watchdog's first look (at 0.1 s) lands in crunch, not in a print.
    rec = record(YIELD_LESSON, params={"CHUNKS": 2, "CHUNK_SIZE": 3_000_000})
    assert rec.stalls(), "part 1 of the lesson must block the loop"
    return rec


def part_one_stalls(rec: Recording):
    tasks = {t.id: t.coro for t in rec.tasks()}
    return [s for s in rec.stalls() if tasks.get(s.task) == "worker_without_yield"]


def test_lesson_11_stalls_name_the_coroutines_call_and_the_line_inside_crunch(yield_lesson):
    call_line = line_of(YIELD_LESSON, "crunch(CHUNK_SIZE)  # no await")
    crunch_body = range(
        line_of(YIELD_LESSON, "def crunch"), line_of(YIELD_LESSON, "return total") + 1
    )
    stalls = part_one_stalls(yield_lesson)
    assert len(stalls) == 2, [(s.task, s.where) for s in yield_lesson.stalls()]
    for stall in stalls:
        assert stall.where is not None and stall.inside is not None
        assert (stall.where.line, stall.where.function) == (call_line, "worker_without_yield")
        assert stall.where.text.startswith("crunch(CHUNK_SIZE)")
        assert stall.call == "crunch"
        # Inside crunch the watchdog's look lands on whichever of its lines was running.
        assert stall.inside.function == "crunch" and stall.inside.line in crunch_body
        for sample in stall.samples:  # each look, as the banner shows it at its time
            if sample.inside is not None:
                assert sample.where == stall.where
            else:  # a look that caught the print: already the coroutine's own line
                assert sample.where is not None
                assert sample.where.function == "worker_without_yield"


def test_the_bar_hover_says_blocked_at_the_call_then_inside_crunch(yield_lesson):
    call_line = line_of(YIELD_LESSON, "crunch(CHUNK_SIZE)  # no await")
    loop_line = line_of(YIELD_LESSON, "total += n * n")
    rec = yield_lesson
    describe = SliceDescriber(rec)
    stall = part_one_stalls(rec)[0]
    task = next(t for t in rec.tasks() if t.id == stall.task)
    bar = next(s for s in rec.slices(task.id) if s.state == State.BLOCKING)
    lines = describe(int(State.BLOCKING), bar.ref).split("\n")
    name = YIELD_LESSON.name
    inside = stall.inside
    assert inside is not None and inside.line in range(loop_line - 2, loop_line + 2)
    assert lines == [
        f"blocked at {name}:{call_line} crunch(...)",
        f"inside crunch() at {name}:{inside.line}",
        f"{task.name} · step · then finished",
    ]


def test_the_chrome_trace_says_it_the_same_way(yield_lesson):
    buf = io.StringIO()
    export_chrome_trace(yield_lesson, buf)
    events = json.loads(buf.getvalue())["traceEvents"]
    call_line = line_of(YIELD_LESSON, "crunch(CHUNK_SIZE)  # no await")
    stalls = [e["args"] for e in events if e.get("cat") == "stall"]
    name = YIELD_LESSON.name
    first = part_one_stalls(yield_lesson)[0]
    assert first.inside is not None
    inside = f"crunch() at {name}:{first.inside.line}"
    assert {"where": f"{name}:{call_line}", "call": "crunch", "inside": inside} in stalls
    blocking = [e["args"]["detail"] for e in events if "blocked" in e["args"].get("detail", "")]
    assert len(blocking) >= 2
    assert all(d.startswith(f"blocked at {name}:") for d in blocking)


# -- finding the call in the source ---------------------------------------------------------

SOURCE = textwrap.dedent(
    """\
    import asyncio

    def crunch(n):
        total = 0
        for k in range(n):
            total += k
        return total

    def twice(n):
        return crunch(n) + crunch(n)

    def deco(f):
        return f

    @deco
    async def main():
        await asyncio.sleep(0)
        x = twice(10)
        await asyncio.sleep(0)

    async def both():
        crunch(1)
        crunch(2)

    async def inline():
        return sum(k for k in range(10))
    """
)


def test_a_call_through_a_plain_helper_is_found_from_a_decorated_coroutine():
    decorator_line, def_line = 15, 16
    for line in (decorator_line, def_line):
        site = find_call_site(SOURCE, line, 6, "crunch")
        assert site is not None
        assert (site.line, site.function, site.call, site.text) == (
            18,
            "main",
            "twice",
            "x = twice(10)",
        )


def test_two_candidate_lines_give_no_answer_rather_than_a_wrong_one():
    assert find_call_site(SOURCE, 21, 6, "crunch") is None


def test_a_line_inside_the_coroutine_itself_is_left_as_it_is():
    assert find_call_site(SOURCE, 25, 26, "inline") is None
    assert find_call_site("def broken(:\n", 1, 1, "x") is None
    assert find_call_site(SOURCE, 3, 6, "crunch") is None  # not a coroutine


def test_the_inside_phrase_names_the_function_then_the_place():
    frame = StackFrame("/lessons/x.py", 31, "count_primes.<locals>.<genexpr>", "")
    assert inside_phrase(frame) == "inside count_primes() at x.py:31"
    assert inside_phrase(StackFrame("/lessons/x.py", 3, "<module>", "")) == "inside at x.py:3"
    assert inside_phrase(None) == ""


def test_source_too_deep_to_parse_gives_no_call_site_and_no_crash():
    deep = "async def main():\n    x = " + "+".join(["f(1)"] * 20_000) + "\n"
    assert find_call_site(deep, 1, None, "f") is None
