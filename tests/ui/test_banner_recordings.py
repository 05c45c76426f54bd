"""Realistic recordings for the stall banner, source markers and console tests.

Built with the model's simulator, on the bundled scenarios' real line numbers, so
what the views show can be checked against the code the class reads. The tests
here only pin the recordings' shape the other tests rely on.
"""

from __future__ import annotations

from pathlib import Path

from loopviz.model import Recording
from loopviz.model.synthetic import Sim
from loopviz.protocol import Message

REPO = Path(__file__).resolve().parents[2]
BLOCKING = REPO / "scenarios" / "04_blocking_requests.py"
CREATE_TASK = REPO / "scenarios" / "03_create_task.py"
RAISES = "/home/lecturer/lessons/main_raises.py"
SOCKET = ("/usr/lib/python3.12/socket.py", 717, "readinto", "return self._sock.recv_into(b)")


def line_of(path: Path, needle: str) -> int:
    """1-based number of the first line of ``path`` containing ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def blocking_lines() -> dict[str, int]:
    return {
        "tick": line_of(BLOCKING, "await asyncio.sleep(TICK)"),
        "create": line_of(BLOCKING, "asyncio.create_task(ticker())"),
        "yield": line_of(BLOCKING, "await asyncio.sleep(0)"),
        "get": line_of(BLOCKING, "requests.get(url"),
        "wait": line_of(BLOCKING, "await ticker_task"),
    }


def blocking_sim(seconds: float = 1.0, ticks: int = 3, scenario: str | None = None) -> Sim:
    """04_blocking_requests: a ticker waits on its sleep while main blocks in requests.get.

    ``scenario`` is the path the runner saw (default: the bundled file).
    """
    path = scenario or str(BLOCKING)
    lines = blocking_lines()
    sim = Sim(scenario=path)

    def ticker(sim: Sim):
        for n in range(1, ticks + 1):
            yield from sim.sleep(0.001, at=lines["tick"])
            sim.print(f"Tick {n}: slept {1000 * seconds if n == 1 else 1.0:.1f} ms")

    def main(sim: Sim):
        task = sim.create_task(ticker, name="ticker", at=lines["create"])
        yield from sim.sleep(0, at=lines["yield"])
        text = BLOCKING.read_text(encoding="utf-8").splitlines()[lines["get"] - 1]
        sim.block(
            seconds,
            where=(path, lines["get"], "main", text),
            call="requests.get",
            innermost=SOCKET,
        )
        sim.print("Status: 200")
        yield from sim.wait(task, at=lines["wait"])

    sim.run(main)
    return sim


def blocking_recording(
    seconds: float = 1.0, ticks: int = 3, scenario: str | None = None
) -> Recording:
    """The whole blocking run, as a recording opened after the fact."""
    rec = Recording()
    rec.feed(blocking_sim(seconds, ticks, scenario).w.data())
    return rec


def live_blocking_recording(at: float, seconds: float = 1.0) -> Recording:
    """The blocking run as the app sees it live ``at`` seconds in: the stall is not over."""
    sim = blocking_sim(seconds)
    start = 1_000_000_000_000  # Sim's default start_ns
    now = start + round(at * 1e9)
    rec = Recording()
    rec.feed(sim.w.data(until_ns=now))
    rec.advance_to(now)
    return rec


def create_task_recording(requests: int = 5) -> Recording:
    """03_create_task: five requests sleep on the same line while main sleeps on its own."""
    path = str(CREATE_TASK)
    sleep_line = line_of(CREATE_TASK, "await asyncio.sleep(DELAY)")
    sim = Sim(scenario=path)

    def get_request(sim: Sim, k: int):
        sim.print(f"Requesting https://example.com/page/{k}")
        yield from sim.sleep(1.0, at=sleep_line)
        sim.print(f"Got response from https://example.com/page/{k}")

    def main(sim: Sim):
        tasks = [
            sim.create_task(get_request, k, at=line_of(CREATE_TASK, "tasks = ["))
            for k in range(1, requests + 1)
        ]
        sim.print(f"Number of tasks: {requests + 1}")
        yield from sim.sleep(2.0, at=line_of(CREATE_TASK, "await asyncio.sleep(HEAD_START)"))
        for task in tasks:
            yield from sim.wait(task, at=line_of(CREATE_TASK, "await asyncio.gather"))

    sim.run(main)  # main is Task-1, the requests Task-2 … Task-6
    rec = Recording()
    rec.feed(sim.w.data())
    return rec


TRACEBACK = [
    "Traceback (most recent call last):",
    f'  File "{RAISES}", line 13, in main',
    "    await check(result)",
    f'  File "{RAISES}", line 7, in check',
    '    raise ValueError(f"bad result: {value!r}")',
    '  File "/usr/lib/python3.12/asyncio/tasks.py", line 314, in __step_run_and_handle_result',
    "    result = coro.send(None)",
    "ValueError: bad result: 42",
]


def raising_recording() -> Recording:
    """A main() that prints, warns on stderr, then raises ValueError at main_raises.py:7."""
    sim = Sim(scenario=RAISES)

    def worker(sim: Sim, n: int):
        yield from sim.sleep(0.5 * n, at=4)
        sim.print(f"worker {n} done")

    def main(sim: Sim):
        sim.print("starting 3 workers")
        tasks = [sim.create_task(worker, n, name=f"worker-{n}", at=9) for n in (1, 2, 3)]
        for task in tasks:
            yield from sim.wait(task, at=10)
        sim.print(f"{RAISES}:12: RuntimeWarning: coroutine 'check' was never awaited", "stderr")
        for line in TRACEBACK:
            sim.print(line, stream="stderr")
        yield from sim.sleep(0, at=13)

    sim.run(main, close=False)
    sim.w.message(
        Message.EXIT,
        sim.now,
        outcome="raised",
        type="ValueError",
        message="bad result: 42",
        traceback="\n".join(TRACEBACK),
        file=RAISES,
        line=7,
    )
    sim.w.message(
        Message.RUN_END,
        sim.now + 3_000_000,
        outcome="raised",
        returncode=1,
        signal=None,
        detail="raised ValueError: bad result: 42 at main_raises.py:7",
    )
    rec = Recording()
    rec.feed(sim.w.data())
    return rec


def test_blocking_recording_stalls_in_requests_get_on_the_real_line() -> None:
    rec = blocking_recording()
    [stall] = rec.stalls()
    assert stall.call == "requests.get"
    assert stall.where is not None and stall.where.line == blocking_lines()["get"]
    assert "requests.get(url" in stall.where.text
    state = rec.state_at(0.5)
    assert state.stall is not None and state.stall.where == stall.where
    assert {t.name for t in state.tasks} == {"Task-1", "ticker"}


def test_live_blocking_recording_is_inside_an_ongoing_stall() -> None:
    rec = live_blocking_recording(0.4)
    stall = rec.state_at(0.4).stall
    assert stall is not None and stall.stall is not None and stall.stall.end is None
    assert 0.35 < stall.elapsed < 0.45


def test_create_task_recording_has_five_requests_on_one_line() -> None:
    state = create_task_recording().state_at(0.5)
    lines = [t.line for t in state.tasks if t.name != "Task-1"]
    assert len(lines) == 5 and len(set(lines)) == 1


def test_raising_recording_ends_with_the_exception() -> None:
    rec = raising_recording()
    assert rec.outcome is not None and rec.outcome.outcome == "raised"
    assert [line.text for line in rec.output()][-len(TRACEBACK) :] == TRACEBACK
