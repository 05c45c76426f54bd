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
    open_recording: QAction
    save_recording: QAction
    quit: QAction
    run: QAction
    stop: QAction
    recording_limits: QAction
    play_pause: QAction
    slower: QAction
    faster: QAction
    next_step: QAction
    previous_step: QAction
    next_iteration: QAction
    previous_iteration: QAction
    next_notable: QAction
    previous_notable: QAction
    go_to_start: QAction
    go_to_end: QAction
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

    def lecture(self) -> list[QAction]:
        """Moving through a recording: stepping, playback, start and end (Run menu)."""
        return [
            self.play_pause,
            self.slower,
            self.faster,
            self.next_step,
            self.previous_step,
            self.next_iteration,
            self.previous_iteration,
            self.next_notable,
            self.previous_notable,
            self.go_to_start,
            self.go_to_end,
        ]

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
        open_recording=_action(
            w,
            "Open &recording…",
            "Open a saved run (.lvz) to step through it",
            ("Ctrl+Shift+O",),
        ),
        save_recording=_action(
            w,
            "&Save recording…",
            "Save the run shown as a .lvz file, to open it again later (e.g. in class)",
            ("Ctrl+S",),
            enabled=False,
        ),
        quit=_action(w, "&Quit", "Quit loopviz", ("Ctrl+Q",)),
        run=_action(w, "&Run", RUN_TIP, ("F5",), enabled=False),
        stop=_action(w, "&Stop", "Stop the running scenario", ("Shift+F5",), enabled=False),
        recording_limits=_action(
            w,
            "Recording &limits…",
            "How many events and printed lines a run may record in full (for the next run)",
            ("Ctrl+Shift+L",),
        ),
        play_pause=_action(w, "&Play / pause", "Play the recording from the cursor", ("Space",)),
        slower=_action(w, "Play s&lower", "Slower playback, down to 0.01×", ("[",)),
        faster=_action(w, "Play &faster", "Faster playback, up to 4×", ("]",)),
        next_step=_action(
            w, "&Next step", "Cursor to the next handle run: one tick of the loop", ("Right",)
        ),
        previous_step=_action(w, "Pre&vious step", "Cursor to the previous handle run", ("Left",)),
        next_iteration=_action(
            w, "Next loop &iteration", "Cursor to the next pass of the event loop", ("Shift+Right",)
        ),
        previous_iteration=_action(
            w, "Previous loop i&teration", "Cursor to the previous loop pass", ("Shift+Left",)
        ),
        next_notable=_action(
            w,
            "Next notable &event",
            "Next task created or done, stall, print or exception",
            ("Ctrl+Right",),
        ),
        previous_notable=_action(
            w, "Previous notable e&vent", "Previous notable event", ("Ctrl+Left",)
        ),
        go_to_start=_action(w, "Go to s&tart", "Cursor to the start of the run", ("Home",)),
        go_to_end=_action(
            w, "Go to &end", "Cursor to the end of the run (during a run: live again)", ("End",)
        ),
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
            ("Ctrl+Shift+F",),
            checkable=True,
        ),
        follow_now=_action(
            w,
            "&Follow now",
            "Keep the newest moment of a live run in view (F in the timeline)",
            checkable=True,
        ),
        whole_run=_action(w, "Show &whole run", "Zoom the timeline out to the whole run"),
        reset_layout=_action(w, "&Reset layout", "Put every pane back where it started"),
        about=_action(w, "&About loopviz", "Version and library versions"),
        shortcuts=_action(w, "&Keyboard shortcuts", "List every keyboard shortcut", ("Ctrl+/",)),
    )
