"""A hand-made "create_task" run for screenshots, docs and tests of the chart.

``main`` and five request tasks that sleep one second; the fourth request makes a
blocking ``time.sleep(0.3)`` after waking, so the loop stalls and the last two
requests wait in the ready queue until it returns; the last one then fails.
Run ``python -m loopviz.ui.gantt.demo out.png [--dark]`` to save a screenshot.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

import numpy as np

from loopviz.ui.gantt.palette import SliceState as S

LOOP, MAIN = 0, 1


@dataclass
class Lesson:
    """Everything a run feeds to the chart, in the chart's input shapes."""

    lanes: list[tuple[int, str, int]]
    slices: list[tuple[int, float, float, int, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    markers: list[tuple[int, float, str]] = field(default_factory=list)
    stalls: list[tuple[float, float | None]] = field(default_factory=list)
    end: float = 0.0

    def add(self, lane: int, start: float, end: float, state: S, text: str = "") -> None:
        self.texts.append(text)
        self.slices.append((lane, start, end, int(state), len(self.texts) - 1))

    def arrays(self) -> tuple[np.ndarray, ...]:
        """``lane, start, end, state, detail`` columns, sorted by end like the model's."""
        rows = sorted(self.slices, key=lambda s: s[2])
        lane, start, end, state, detail = zip(*rows, strict=True)
        return (
            np.array(lane, np.int32),
            np.array(start),
            np.array(end),
            np.array(state, np.uint8),
            np.array(detail, np.int64),
        )

    def until(self, t: float):
        """The run as a live view sees it at time ``t``: finished and open slices, stalls.

        Returns ``(finished, open, markers, stalls)``: finished are the ``arrays()``
        columns of slices ended by ``t``; open are ``lane, start, state, detail`` of
        those still in progress; a stall still in progress has ``end`` None.
        """
        lane, start, end, state, detail = self.arrays()
        done = end <= t
        live = (start <= t) & ~done
        finished = tuple(c[done] for c in (lane, start, end, state, detail))
        opened = (lane[live], start[live], state[live], detail[live])
        markers = [m for m in self.markers if m[1] <= t]
        stalls = [(s, e if e is not None and e <= t else None) for s, e in self.stalls if s <= t]
        return finished, opened, markers, stalls

    def describe(self, state: int, detail: int) -> str:
        return self.texts[detail] if 0 <= detail < len(self.texts) else ""


def create_task_lesson() -> Lesson:
    """The run described in the module docstring (times in seconds)."""
    tasks = [(2 + i, f"Task-{2 + i} get_request(page/{i + 1})", 1) for i in range(5)]
    lesson = Lesson(lanes=[(LOOP, "event loop", 0), (MAIN, "main", 0), *tasks])
    add = lesson.add
    add(MAIN, 0.0, 0.0012, S.RUNNING, "main(): creates 5 tasks\nline 35–37")
    add(MAIN, 0.0012, 2.0010, S.WAITING, "await asyncio.sleep(2.0)\nline 39")
    t = 0.0012
    for i, (lane, _name, _depth) in enumerate(tasks):
        created = 0.0004 + i * 0.00015
        add(lane, created, t, S.READY, "in the ready queue")
        add(lane, t, t + 0.0002, S.RUNNING, "get_request(): prints, then sleeps")
        t += 0.0002
        add(lane, t, 1.0 + t, S.WAITING, "await asyncio.sleep(1.0)\nline 28")
    add(LOOP, 0.0, 0.0022, S.CALLBACK, "task steps")
    add(LOOP, 0.0022, 1.0012, S.IDLE, "select(): waits 0.999 s for the next timer")
    add(LOOP, 1.0012, 1.0016, S.CALLBACK, "timers fire: sleep futures get their result")
    wake = 1.0016
    for i, (lane, _name, _depth) in enumerate(tasks):
        t0 = 1.0 + 0.0014 + i * 0.0002
        if i < 3:
            add(lane, t0, wake, S.READY, "in the ready queue")
            step = 0.0003 if i != 2 else 0.3004
            kind = S.RUNNING if i != 2 else S.BLOCKING
            text = "prints the response" if i != 2 else "time.sleep(0.3) blocks the loop\nline 29"
            add(lane, wake, wake + step, kind, text)
            lesson.markers.append((lane, wake + step, "done"))
            wake += step
        else:
            add(lane, t0, wake, S.READY, "in the ready queue: the loop is blocked")
            add(lane, wake, wake + 0.0004, S.RUNNING, "prints the response")
            wake += 0.0004
            outcome = "done" if i == 3 else "failed"
            lesson.markers.append((lane, wake, outcome))
    lesson.stalls.append((1.0023, 1.3027))
    add(LOOP, wake, 2.0008, S.IDLE, "select(): waits for main's sleep(2) timer")
    add(LOOP, 2.0008, 2.0010, S.CALLBACK, "timer fires: main's sleep is over")
    add(MAIN, 2.0010, 2.0012, S.READY, "in the ready queue")
    add(MAIN, 2.0012, 2.0016, S.RUNNING, "await asyncio.gather(*tasks): all done\nline 40")
    lesson.markers.append((MAIN, 2.0016, "done"))
    lesson.end = 2.0016
    return lesson


def feed(view, lesson: Lesson) -> None:
    """Give ``lesson`` to a :class:`GanttView` the way the app does: one batch."""
    view.set_describe(lesson.describe)
    view.set_lanes(lesson.lanes)
    view.add_slices(*lesson.arrays())
    view.set_markers(lesson.markers)
    view.set_stalls(lesson.stalls)
    view.set_now(lesson.end)


def feed_live(view, lesson: Lesson, t: float) -> None:
    """Give ``lesson`` as it stands at time ``t`` of a live run (open slices, live stall)."""
    finished, opened, markers, stalls = lesson.until(t)
    view.set_describe(lesson.describe)
    view.set_lanes(lesson.lanes)
    view.add_slices(*finished)
    view.set_open_slices(*opened)
    view.set_markers(markers)
    view.set_stalls(stalls)
    view.set_now(t)


def main(argv: list[str] | None = None) -> int:
    """Save a 1600x900 screenshot: ``demo.py OUT.png [--dark] [--live SECONDS]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    dark = "--dark" in args
    live = float(args[args.index("--live") + 1]) if "--live" in args else None
    out = next(
        (a for i, a in enumerate(args) if not a.startswith("--") and args[i - 1] != "--live"),
        "/tmp/gantt_demo.png",
    )
    from PySide6.QtWidgets import QApplication

    from loopviz.ui.gantt.palette import palette_for
    from loopviz.ui.gantt.widget import GanttView

    app = QApplication.instance() or QApplication([])
    view = GanttView(palette=palette_for(dark))
    view.resize(1600, 900)
    lesson = create_task_lesson()
    if live is None:
        feed(view, lesson)
    else:
        feed_live(view, lesson, live)
    view.setXRange(-0.05, 2.15, padding=0)
    view.show()
    app.processEvents()
    ok = view.grab().save(out)
    print(out if ok else f"could not write {out}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
