"""The menu bar, assembled from :class:`~loopviz.ui.actions.AppActions` and the docks."""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget, QMenu, QMenuBar

from loopviz.ui.actions import AppActions


def build_menu_bar(menu_bar: QMenuBar, actions: AppActions, docks: list[QDockWidget]) -> None:
    """File, Run, View, Help; View lists one show/hide toggle per dock, in layout order."""
    file_menu = _menu(menu_bar, "&File")
    file_menu.addAction(actions.open_scenario)
    file_menu.addSeparator()
    file_menu.addAction(actions.open_recording)
    file_menu.addAction(actions.save_recording)
    file_menu.addSeparator()  # the export menu puts its actions after this one
    file_menu.addAction(actions.quit)

    run_menu = _menu(menu_bar, "&Run")
    run_menu.addAction(actions.run)
    run_menu.addAction(actions.stop)
    run_menu.addSeparator()  # the presenter's next/previous scenario go before this one
    run_menu.addAction(actions.recording_limits)
    lecture = actions.lecture()
    for i, action in enumerate(lecture):
        if i in (0, 3, 9):  # play · steps · start/end
            run_menu.addSeparator()
        run_menu.addAction(action)

    view_menu = _menu(menu_bar, "&View")
    for dock in docks:
        toggle = dock.toggleViewAction()
        toggle.setStatusTip(f"Show or hide the {dock.windowTitle()} pane")
        view_menu.addAction(toggle)
    view_menu.addSeparator()
    theme_menu = _menu(view_menu, "&Theme")
    for action in (actions.theme_system, actions.theme_light, actions.theme_dark):
        theme_menu.addAction(action)
    view_menu.addSeparator()
    view_menu.addAction(actions.larger_text)
    view_menu.addAction(actions.smaller_text)
    view_menu.addAction(actions.default_text)
    view_menu.addSeparator()
    timeline_menu = _menu(view_menu, "T&imeline")
    timeline_menu.addAction(actions.follow_now)
    timeline_menu.addAction(actions.whole_run)
    view_menu.addSeparator()
    view_menu.addAction(actions.full_screen)
    view_menu.addAction(actions.reset_layout)

    help_menu = _menu(menu_bar, "&Help")
    help_menu.addAction(actions.shortcuts)
    help_menu.addSeparator()
    help_menu.addAction(actions.about)


def _menu(parent: QMenuBar | QMenu, title: str) -> QMenu:
    menu = parent.addMenu(title)
    menu.setToolTipsVisible(True)
    return menu


def menu_titles(menu_bar: QMenuBar) -> list[str]:
    """Top-level menu titles without mnemonics ("File", "Run", …)."""
    return [a.text().replace("&", "") for a in menu_bar.actions() if a.menu() is not None]


def find_menu(menu_bar: QMenuBar, title: str) -> QMenu:
    """The top-level menu called ``title`` (mnemonic ignored)."""
    for action in menu_bar.actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text().replace("&", "") == title:
            return menu
    raise KeyError(title)
