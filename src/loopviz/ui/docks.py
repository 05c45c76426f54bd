"""Dock panes with a clear, bold title bar and a close button.

The default dock title is small and pale; on a projector the class should be able
to read which pane is which. Each dock keeps an object name so ``saveState`` can
restore the layout.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QDockWidget, QHBoxLayout, QLabel, QToolButton, QWidget


class PaneTitleBar(QWidget):
    """Title, a muted subtitle on the right, and a close button if ``on_close`` is given.

    Used as a dock's title bar (mouse events it does not use go to the dock, so
    dragging and double-click to float still work) and as the timeline's header.
    """

    def __init__(
        self, parent: QWidget, title: str, on_close: Callable[[], object] | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("PaneTitleBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.setSpacing(8)
        self.title = QLabel(title, self)
        self.title.setObjectName("PaneTitle")
        self.subtitle = QLabel("", self)
        self.subtitle.setObjectName("PaneSubtitle")
        layout.addWidget(self.title)
        layout.addStretch(1)
        layout.addWidget(self.subtitle)
        if on_close is not None:
            close = QToolButton(self)
            close.setObjectName("PaneClose")
            close.setText("×")
            close.setToolTip(f"Hide the {title} pane (the View menu shows it again)")
            close.setAutoRaise(True)
            close.clicked.connect(on_close)
            layout.addWidget(close)
        else:
            layout.addSpacing(4)
        self._fit_height()

    def _fit_height(self) -> None:
        self.setFixedHeight(self.fontMetrics().height() + 16)

    def changeEvent(self, event: QEvent) -> None:
        """A larger font (the presenter view) gets a taller bar, so the title is not cut."""
        if event.type() == QEvent.Type.FontChange:
            self._fit_height()
        super().changeEvent(event)


def make_dock(title: str, object_name: str, body: QWidget, parent: QWidget) -> QDockWidget:
    """A movable, closable, floatable dock holding ``body``."""
    dock = QDockWidget(title, parent)
    dock.setObjectName(object_name)
    dock.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetClosable
        | QDockWidget.DockWidgetFeature.DockWidgetMovable
        | QDockWidget.DockWidgetFeature.DockWidgetFloatable
    )
    dock.setTitleBarWidget(PaneTitleBar(dock, title, dock.close))
    dock.setWidget(body)
    return dock


def title_bar(dock: QDockWidget) -> PaneTitleBar:
    """The dock's custom title bar (for setting its subtitle)."""
    bar = dock.titleBarWidget()
    assert isinstance(bar, PaneTitleBar)
    return bar
