"""Each live pane in a realistic lesson state, light and dark, as a class would see it.

Saves ``panes_*.png`` to ``$LOOPVIZ_SCREENSHOT_DIR`` (``/tmp`` if unset) with the
application's real font, palette and style sheet, and checks what must be
visible in each picture.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QSplitter, QVBoxLayout, QWidget

from loopviz.protocol import HandleKind
from loopviz.ui.app import configure_application
from loopviz.ui.coroutines_pane import CoroutinesPane
from loopviz.ui.futures_table import FuturesPane
from loopviz.ui.gantt.palette import SliceState
from loopviz.ui.live_style import state_palette
from loopviz.ui.ready_queue_pane import PAD, ReadyQueuePane
from loopviz.ui.tasks_table import TasksPane
from loopviz.ui.theme import Theme, ThemeController, ThemeMode

from .test_live_panes_support import first_instant, lesson, near


def out_dir() -> Path:
    return Path(os.environ.get("LOOPVIZ_SCREENSHOT_DIR") or "/tmp")


@pytest.fixture(params=["light", "dark"])
def theme(request, qapp) -> Iterator[Theme]:
    """The app styled as loopviz styles it; put back afterwards for the other tests."""
    palette, sheet, font = qapp.palette(), qapp.styleSheet(), qapp.font()
    configure_application(qapp)
    controller = ThemeController(ThemeMode(request.param))
    controller.apply()
    yield controller.theme
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setFont(font)


def present(qtbot, widget: QWidget, size: tuple[int, int]) -> None:
    """Shown first, as in the window: hidden panes put their updates off until shown."""
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)


def save(widget: QWidget, name: str, theme: Theme) -> QImage:
    QApplication.processEvents()
    image = widget.grab().toImage()
    assert image.save(str(out_dir() / f"panes_{name}_{theme.name}.png"))
    return image


def test_ready_queue_strip(qtbot, theme) -> None:
    rec = lesson("queue")
    state = first_instant(
        rec,
        lambda s: (
            s.loops[0].running is not None
            and s.loops[0].timer_count > 0
            and {HandleKind.WAKEUP, HandleKind.CALLBACK} <= {e.kind for e in s.loops[0].ready}
        ),
    )
    pane = ReadyQueuePane(theme=theme)
    present(qtbot, pane, (1300, 112))
    pane.show_state(rec.state_at(0.26), animate=False)  # who waits on which timer
    pane.show_state(state, animate=False)
    image = save(pane, "ready_queue", theme)
    colors = state_palette(theme)
    strip = pane.strip.geometry().topLeft()
    fills = {
        b.kind: image.pixelColor(
            QPoint(int(b.rect.x() + PAD / 2), int(b.rect.center().y())) + strip
        ).name()
        for b in pane.strip.boxes()
    }
    assert near(fills[HandleKind.CALLBACK], colors.state(SliceState.CALLBACK))
    assert pane.strip.running_box() is not None


@pytest.mark.parametrize(
    ("name", "lesson_name", "t"),
    [("ready_queue_idle", "create_task", 0.5), ("ready_queue_blocking", "blocking", 1.2)],
)
def test_ready_queue_idle_and_blocking(qtbot, theme, name, lesson_name, t) -> None:
    pane = ReadyQueuePane(theme=theme)
    present(qtbot, pane, (1300, 112))
    pane.show_state(lesson(lesson_name).state_at(t), animate=False)
    save(pane, name, theme)
    assert pane.strip.message.startswith(("idle", "blocked"))


def test_ready_queue_long(qtbot, theme) -> None:
    rec = lesson("many")
    pane = ReadyQueuePane(theme=theme)
    present(qtbot, pane, (1300, 112))
    pane.show_state(first_instant(rec, lambda s: s.loops[0].ready_count > 1000), animate=False)
    save(pane, "ready_queue_long", theme)
    assert pane.strip.more > 1000


def test_tasks_table(qtbot, theme) -> None:
    rec = lesson("queue")
    pane = TasksPane(theme=theme)
    present(qtbot, pane, (1200, 300))
    pane.set_recording(rec)
    pane.show_state(
        first_instant(
            rec,
            lambda s: (
                s.t > 0.3
                and any(t.name == "failing" and t.state.name == "DONE" for t in s.tasks)
                and s.loops[0].running is not None
                and s.loops[0].running.task != 0
            ),
        )
    )
    assert pane.select_task(next(i.id for i in rec.tasks() if i.name == "consumer-2"))
    save(pane, "tasks", theme)
    assert pane.model.rowCount() == 6


def test_tasks_table_filtered(qtbot, theme) -> None:
    rec = lesson("many")
    pane = TasksPane(theme=theme)
    present(qtbot, pane, (1200, 360))
    pane.set_recording(rec)
    pane.show_state(rec.state_at(0.3))
    pane.set_filter("Task-12")
    save(pane, "tasks_filtered", theme)
    assert pane.proxy.rowCount() == 111


def test_futures_table(qtbot, theme) -> None:
    rec = lesson("queue")
    pane = FuturesPane(theme=theme)
    present(qtbot, pane, (820, 280))
    pane.set_recording(rec)
    pane.show_state(rec.state_at(0.05))
    pane.show_state(rec.state_at(0.26))
    save(pane, "futures", theme)
    assert {r.text.split(":")[0] for r in pane.shown_rows()} >= {"gather", "Queue.get"}


def test_coroutines_pane_during_the_sleep_and_as_they_become_tasks(qtbot, theme) -> None:
    rec = lesson("coroutines")
    waiting = CoroutinesPane(theme=theme)
    present(qtbot, waiting, (640, 260))
    waiting.set_recording(rec)
    waiting.show_state(rec.state_at(1.0))
    save(waiting, "coroutines", theme)
    becoming = CoroutinesPane(theme=theme)
    present(qtbot, becoming, (640, 260))
    becoming.set_recording(rec)
    becoming.show_state(rec.state_at(1.0))
    becoming.show_state(rec.state_at(2.0001))
    left_at = becoming.leaving()[0].left_at
    becoming.clock = lambda: left_at + 0.3
    save(becoming, "coroutines_to_tasks", theme)
    assert len(waiting.pending()) == 5 and len(becoming.leaving()) == 5


def test_all_panes_together(qtbot, theme) -> None:
    """The bottom of the window during lesson 02's gather: strip over the three tables."""
    rec = lesson("coroutines")
    root = QWidget()
    ready = ReadyQueuePane(root, theme)
    panes = (TasksPane(theme=theme), FuturesPane(theme=theme), CoroutinesPane(theme=theme))
    tables = QSplitter(root)
    for pane in panes:
        tables.addWidget(pane)
    layout = QVBoxLayout(root)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(ready)
    layout.addWidget(tables, 1)
    present(qtbot, root, (1800, 420))
    tables.setSizes([860, 560, 380])
    state = first_instant(rec, lambda s: s.t > 2 and s.loops[0].running.label.startswith("Task-1"))
    for pane in panes:
        pane.set_recording(rec)
        pane.show_state(rec.state_at(1.0))
        pane.show_state(state)
    ready.show_state(state, animate=False)
    save(root, "all", theme)
    assert len(panes[2].leaving()) == 5 and panes[1].model.rowCount() >= 1
