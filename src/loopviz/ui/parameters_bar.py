"""The scenario's ``# param:`` constants as fields the lecturer can change before a run.

"What if each request took 0.2 s?" — change DELAY, press F5. The file is not
touched: the values go to the runner, which sets them for that run only.
Each field shows the file's value until changed; Reset puts them all back.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from loopviz.catalog import Parameter, ScenarioInfo


class ParametersBar(QWidget):
    """One labelled field per parameter; hidden for scenarios without parameters."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ParametersBar")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(10, 4, 10, 4)
        self._layout.setSpacing(6)
        self._fields: dict[str, tuple[Parameter, QWidget]] = {}
        self._made: dict[tuple[str, type], tuple[QLabel, QWidget]] = {}
        self.reset_button = QPushButton("Reset", self)
        self.reset_button.setToolTip("Back to the values in the file")
        self.reset_button.clicked.connect(self.reset)
        self.setVisible(False)

    def show_scenario(self, info: ScenarioInfo | None) -> None:
        """Show the fields for ``info``'s parameters.

        A field made for a name and type before is shown again, set to the new
        file's value, rather than made anew: every new spin box costs Qt memory
        it never returns (style pictures cached under its palette, layout items),
        and a lecture picks scenarios hundreds of times (bench/soak.py).
        """
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
            shiboken6.delete(item)  # takeAt hands the item over; PySide never frees it
        self._fields.clear()
        params = info.parameters if info is not None else ()
        for param in params:
            label, field = self._made_for(param)
            label.setToolTip(param.description)
            field.setToolTip(
                f"{param.description} (line {param.line}; the file says {param.value})"
            )
            self._layout.addWidget(label)
            self._layout.addWidget(field)
            label.show()
            field.show()
            self._fields[param.name] = (param, field)
        self._layout.addStretch(1)
        self._layout.addWidget(self.reset_button)
        self.reset_button.show()
        self.setVisible(bool(params))

    def _made_for(self, param: Parameter) -> tuple[QLabel, QWidget]:
        """The label and field for ``param``, made once per name and type, set to its value."""
        key = (param.name, type(param.value))
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = (QLabel(param.name, self), self._field(param))
        field = made[1]
        field.blockSignals(True)
        if isinstance(field, QSpinBox | QDoubleSpinBox):
            field.setRange(*_range_for(param.value))  # type: ignore[arg-type]
        self.set_value(param.name, param.value, field)
        field.blockSignals(False)
        return made

    def overrides(self) -> dict[str, object]:
        """The parameters whose value differs from the file's, for the runner."""
        out: dict[str, object] = {}
        for name, (param, field) in self._fields.items():
            value = _value(field)
            if value != param.value:
                out[name] = value
        return out

    def set_value(self, name: str, value: object, field: QWidget | None = None) -> None:
        """Set one field (tests; a future 'replay with these values')."""
        if field is None:
            field = self._fields[name][1]
        if isinstance(field, QLineEdit):
            field.setText(str(value))
        elif isinstance(field, QSpinBox):
            field.setValue(int(value))  # type: ignore[arg-type]
        elif isinstance(field, QDoubleSpinBox):
            field.setValue(float(value))  # type: ignore[arg-type]

    def reset(self) -> None:
        for name, (param, _field) in self._fields.items():
            self.set_value(name, param.value)

    def _field(self, param: Parameter) -> QWidget:
        value = param.value
        if isinstance(value, int):
            spin = QSpinBox(self)
            spin.setRange(*_range_for(value))
            spin.setValue(value)
            spin.valueChanged.connect(self.changed)
            return spin
        if isinstance(value, float):
            box = QDoubleSpinBox(self)
            box.setDecimals(3)
            box.setSingleStep(0.1)
            box.setRange(*_range_for(value))
            box.setValue(value)
            box.valueChanged.connect(self.changed)
            return box
        edit = QLineEdit(str(value), self)
        edit.textChanged.connect(self.changed)
        return edit


def _range_for(value: int | float) -> tuple[int | float, int | float]:
    """A field's range: down to 0 (or the value, if negative), up to a generous ceiling."""
    if isinstance(value, int):
        return min(0, value), max(100_000, value * 100)
    return min(0.0, value), max(3600.0, value * 100)


def _value(field: QWidget) -> object:
    if isinstance(field, QSpinBox):
        return field.value()
    if isinstance(field, QDoubleSpinBox):
        return round(field.value(), 6)
    if isinstance(field, QLineEdit):
        return field.text()
    raise TypeError(type(field).__name__)
