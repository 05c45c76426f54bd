"""Every command of the app as a ``QAction``, created in one place.

The actions live on :class:`AppActions` so later issues can wire them
(``window.app_actions.run.triggered.connect(...)``, ``.setEnabled(True)``), and so
the keyboard-shortcuts dialog can list them: it reads the shortcuts from these
objects, it never keeps a copy that could go stale.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QWidget

from loopviz.ui.theme import ThemeMode

EXPORT_DISABLED_TIP = "Export becomes available once a run has been recorded"
RUN_TIP = "Run the selected scenario and record its event loop"


def _action(
    parent: QWidget,
    text: str,
    tip: str,
    shortcuts: tuple[str, ...] = (),
    *,
    enabled: bool = True,
    checkable: bool = False,
) -> QAction:
    action = QAction(text, parent)
    action.setStatusTip(tip)
    action.setToolTip(tip)
    # Explicit keys rather than QKeySequence.StandardKey: on X11 the standard keys
    # add media keys ("Open", "ZoomIn") that only clutter the shortcuts dialog.
    action.setShortcuts([QKeySequence(key) for key in shortcuts])
    action.setEnabled(enabled)
    action.setCheckable(checkable)
    return action


@dataclass
class AppActions:
    """The window's actions, grouped like the menus."""

    open_scenario: QAction
    export: QAction
    quit: QAction
    run: QAction
    stop: QAction
    theme_system: QAction
    theme_light: QAction
    theme_dark: QAction
    theme_group: QActionGroup
    larger_text: QAction
    smaller_text: QAction
    default_text: QAction
    full_screen: QAction
    follow_now: QAction
    whole_run: QAction
    reset_layout: QAction
    about: QAction
    shortcuts: QAction

    def all(self) -> list[QAction]:
        """Every action (not the group)."""
        return [value for f in fields(self) if isinstance(value := getattr(self, f.name), QAction)]

    def theme_action(self, mode: ThemeMode) -> QAction:
        return {
            ThemeMode.SYSTEM: self.theme_system,
            ThemeMode.LIGHT: self.theme_light,
            ThemeMode.DARK: self.theme_dark,
        }[mode]


def create_actions(window: QWidget) -> AppActions:
    """Create the actions with their texts, shortcuts and tips; the window connects them."""
    w = window
    theme_group = QActionGroup(w)
    theme_group.setExclusive(True)
    themes = []
    for mode, label in (
        (ThemeMode.SYSTEM, "&System"),
        (ThemeMode.LIGHT, "&Light"),
        (ThemeMode.DARK, "&Dark"),
    ):
        tip = (
            "Follow the desktop's light or dark setting"
            if mode is ThemeMode.SYSTEM
            else f"Use the {mode.value} theme"
        )
        action = _action(w, label, tip, checkable=True)
        action.setData(mode.value)
        theme_group.addAction(action)
        themes.append(action)
    return AppActions(
        open_scenario=_action(
            w, "&Open scenario…", "Open any asyncio program (.py) as a scenario", ("Ctrl+O",)
        ),
        export=_action(w, "&Export…", EXPORT_DISABLED_TIP, ("Ctrl+E",), enabled=False),
        quit=_action(w, "&Quit", "Quit loopviz", ("Ctrl+Q",)),
        run=_action(w, "&Run", RUN_TIP, ("F5",), enabled=False),
        stop=_action(w, "&Stop", "Stop the running scenario", ("Shift+F5",), enabled=False),
        theme_system=themes[0],
        theme_light=themes[1],
        theme_dark=themes[2],
        theme_group=theme_group,
        larger_text=_action(w, "&Larger text", "Make code and output larger", ("Ctrl++", "Ctrl+=")),
        smaller_text=_action(w, "S&maller text", "Make code and output smaller", ("Ctrl+-",)),
        default_text=_action(w, "&Default text size", "Reset code and output size", ("Ctrl+0",)),
        full_screen=_action(
            w,
            "&Full screen",
            "Fill the screen (for projection)",
            ("F11",),
            checkable=True,
        ),
        follow_now=_action(
            w,
            "&Follow now",
            "Keep the newest moment of a live run in view (F or End in the timeline)",
            checkable=True,
        ),
        whole_run=_action(w, "Show &whole run", "Zoom the timeline out to the whole run (Home)"),
        reset_layout=_action(w, "&Reset layout", "Put every pane back where it started"),
        about=_action(w, "&About loopviz", "Version and library versions"),
        shortcuts=_action(w, "&Keyboard shortcuts", "List every keyboard shortcut", ("Ctrl+/",)),
    )
