"""The ready-queue strip under the timeline.

During a run it will show the handles waiting in ``loop._ready`` at the cursor
time, in queue order, left to right. Until then it explains what it is for.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

EMPTY_TEXT = "Empty — callbacks waiting for their turn line up here during a run"


class ReadyQueuePane(QWidget):
    """A thin horizontal strip: label on the left, queue contents to the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PaneBody")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(12)
        self.contents = QHBoxLayout()
        self.contents.setSpacing(6)
        self.empty = QLabel(EMPTY_TEXT, self)
        self.empty.setObjectName("EmptyState")
        # Clip rather than wrap or widen: the strip stays one line high and never
        # forces a minimum width on the docks around it.
        self.empty.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.contents.addWidget(self.empty, 1)
        layout.addLayout(self.contents, 1)
        self.setMinimumHeight(40)
