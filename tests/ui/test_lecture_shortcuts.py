"""Help › Keyboard shortcuts lists the lecture keys, read from the live actions."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from loopviz.ui.main_window import MainWindow


def test_the_shortcuts_dialog_lists_every_lecture_key(window: MainWindow) -> None:
    rows = window.show_shortcuts().rows()
    keys = {command: key for _where, command, key in rows}
    native = QKeySequence("Right").toString(QKeySequence.SequenceFormat.NativeText)
    assert keys["Next step"] == native
    assert keys["Previous step"] == QKeySequence("Left").toString(
        QKeySequence.SequenceFormat.NativeText
    )
    for command in (
        "Next loop iteration",
        "Previous loop iteration",
        "Next notable event",
        "Previous notable event",
        "Play / pause",
        "Play slower",
        "Play faster",
        "Go to start",
        "Go to end",
        "Save recording…",
        "Open recording…",
    ):
        assert keys.get(command), command
    assert ("Timeline", "Move the cursor to a moment", "click or drag") in rows
    assert not any(key == "←, →" for _w, _c, key in rows), "plain arrows belong to stepping"
    window.dialog.close()


def test_full_screen_left_f11_to_the_presenter_view(window: MainWindow) -> None:
    full = window.app_actions.full_screen
    assert [k.toString() for k in full.shortcuts()] == ["Ctrl+Shift+F"]
    taken = [
        a.text()
        for a in window.findChildren(type(full))
        if any(k.toString() == "F11" for k in a.shortcuts())
    ]
    assert full.text() not in taken and len(taken) <= 1
