"""Light and dark colour schemes, their high-contrast variants, and the controller.

loopviz is projected in lecture halls, so both schemes favour contrast over
subtlety: near-black on white, saturated syntax colours, and an accent that
survives a washed-out projector. The presenter view goes further with the
high-contrast variant of whichever scheme is chosen (pure black on white, or
white on black, darker borders); it is a switch on the controller, not a mode the
user picks or that is remembered, so leaving the presenter view restores the
desk's scheme by itself. The Fusion style is used everywhere so the app looks
the same offscreen, under Xvfb and on a desktop; the palette does the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from loopviz.ui.stylesheet import build_stylesheet


class ThemeMode(StrEnum):
    """What the user picked in View > Theme."""

    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


@dataclass(frozen=True)
class SyntaxColors:
    """Colours of the source pane's highlighting (hex strings)."""

    keyword: str
    await_: str
    string: str
    comment: str
    number: str
    definition: str
    builtin: str
    decorator: str
    self_: str


@dataclass(frozen=True)
class Theme:
    """One complete colour scheme (hex strings, so it stays trivially comparable)."""

    name: str
    is_dark: bool
    window: str
    base: str
    alt_base: str
    text: str
    muted: str
    border: str
    accent: str
    accent_text: str
    selection: str
    header: str
    error: str
    warning: str
    gutter: str
    gutter_text: str
    plot_background: str
    plot_foreground: str
    syntax: SyntaxColors
    high_contrast: bool = False
    """The presenter view's variant: pure black/white, darker borders, bolder colours."""


LIGHT = Theme(
    name="light",
    is_dark=False,
    window="#eef0f3",
    base="#ffffff",
    alt_base="#f6f7f9",
    text="#14171c",
    muted="#5a6270",
    border="#c9ced6",
    accent="#1f5fd1",
    accent_text="#ffffff",
    selection="#d6e4fb",
    header="#e3e7ec",
    error="#b3261e",
    warning="#8a5a00",
    gutter="#f3f4f6",
    gutter_text="#8a919c",
    plot_background="#ffffff",
    plot_foreground="#3a404a",
    syntax=SyntaxColors(
        keyword="#0033b3",
        await_="#c2185b",
        string="#067d17",
        comment="#6a737d",
        number="#1750eb",
        definition="#00627a",
        builtin="#7a3e9d",
        decorator="#9e6a00",
        self_="#94558d",
    ),
)

DARK = Theme(
    name="dark",
    is_dark=True,
    window="#1f2228",
    base="#16181d",
    alt_base="#1c1f25",
    text="#e8eaed",
    muted="#9aa3af",
    border="#3a3f48",
    accent="#5b9bff",
    accent_text="#0b0d10",
    selection="#27406b",
    header="#2a2e36",
    error="#ff8a80",
    warning="#ffcc66",
    gutter="#1a1c21",
    gutter_text="#6b7280",
    plot_background="#16181d",
    plot_foreground="#c3c8d0",
    syntax=SyntaxColors(
        keyword="#c792ea",
        await_="#ff6b9a",
        string="#a5d6a7",
        comment="#8b949e",
        number="#f2b880",
        definition="#82aaff",
        builtin="#ffcb6b",
        decorator="#ffcb6b",
        self_="#f07178",
    ),
)

HIGH_CONTRAST_LIGHT = Theme(
    name="high-contrast light",
    is_dark=False,
    window="#ffffff",
    base="#ffffff",
    alt_base="#eef1f5",
    text="#000000",
    muted="#262a31",
    border="#5f6672",
    accent="#0040c0",
    accent_text="#ffffff",
    selection="#c4d8ff",
    header="#e2e6ec",
    error="#b00000",
    warning="#6e4200",
    gutter="#f1f3f6",
    gutter_text="#3b414b",
    plot_background="#ffffff",
    plot_foreground="#000000",
    syntax=SyntaxColors(
        keyword="#0022a8",
        await_="#c0004a",
        string="#005c0f",
        comment="#454c57",
        number="#0035d0",
        definition="#00566b",
        builtin="#681899",
        decorator="#804f00",
        self_="#8a237f",
    ),
    high_contrast=True,
)
"""Presenter view on a light theme: black on white, nothing pale left to wash out."""

HIGH_CONTRAST_DARK = Theme(
    name="high-contrast dark",
    is_dark=True,
    window="#000000",
    base="#000000",
    alt_base="#121417",
    text="#ffffff",
    muted="#dadde2",
    border="#8d95a1",
    accent="#6eaaff",
    accent_text="#000000",
    selection="#1e3f80",
    header="#1b1e23",
    error="#ff8a8a",
    warning="#ffd35c",
    gutter="#0b0c0e",
    gutter_text="#b3bac4",
    plot_background="#000000",
    plot_foreground="#ffffff",
    syntax=SyntaxColors(
        keyword="#d6a8ff",
        await_="#ff78ae",
        string="#a6f5a6",
        comment="#bcc3cc",
        number="#ffc487",
        definition="#94c4ff",
        builtin="#ffdc6e",
        decorator="#ffdc6e",
        self_="#ff8c8c",
    ),
    high_contrast=True,
)
"""Presenter view on a dark theme: white on black."""


_STYLE_PROPERTY = "loopvizStyle"


def use_fusion(app: QApplication) -> None:
    """Switch to Fusion once: ``setStyle`` re-polishes every widget, even for the same style.

    Once a style sheet is set, ``app.style()`` is Qt's style-sheet wrapper (its name is
    empty), so the choice is remembered in an application property instead.
    """
    if app.property(_STYLE_PROPERTY) != "fusion":
        app.setStyle("Fusion")
        app.setProperty(_STYLE_PROPERTY, "fusion")


def uses_fusion(app: QApplication) -> bool:
    """Whether :func:`use_fusion` has styled ``app`` (tests read it)."""
    return app.property(_STYLE_PROPERTY) == "fusion"


def system_is_dark() -> bool:
    """Whether the desktop asks for a dark scheme (Qt 6.5+ ``QStyleHints.colorScheme``)."""
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def resolve(mode: ThemeMode, high_contrast: bool = False) -> Theme:
    """The concrete theme for a mode; SYSTEM follows the desktop, light when it says nothing.

    ``high_contrast`` (the presenter view) keeps the mode's light or dark choice and
    takes its high-contrast variant, so leaving the presenter view needs no memory.
    """
    if mode is ThemeMode.DARK:
        dark = True
    elif mode is ThemeMode.LIGHT:
        dark = False
    else:
        dark = system_is_dark()
    if high_contrast:
        return HIGH_CONTRAST_DARK if dark else HIGH_CONTRAST_LIGHT
    return DARK if dark else LIGHT


def build_palette(theme: Theme) -> QPalette:
    """A full QPalette for Fusion, including the disabled group (greyed menu items)."""
    c = QColor
    p = QPalette()
    role = QPalette.ColorRole
    group = QPalette.ColorGroup
    p.setColor(role.Window, c(theme.window))
    p.setColor(role.WindowText, c(theme.text))
    p.setColor(role.Base, c(theme.base))
    p.setColor(role.AlternateBase, c(theme.alt_base))
    p.setColor(role.ToolTipBase, c(theme.base))
    p.setColor(role.ToolTipText, c(theme.text))
    p.setColor(role.PlaceholderText, c(theme.muted))
    p.setColor(role.Text, c(theme.text))
    p.setColor(role.Button, c(theme.header))
    p.setColor(role.ButtonText, c(theme.text))
    p.setColor(role.BrightText, c(theme.error))
    p.setColor(role.Highlight, c(theme.accent))
    p.setColor(role.HighlightedText, c(theme.accent_text))
    p.setColor(role.Link, c(theme.accent))
    p.setColor(role.LinkVisited, c(theme.accent))
    p.setColor(role.Light, c(theme.base).lighter(120))
    p.setColor(role.Midlight, c(theme.header))
    p.setColor(role.Mid, c(theme.border))
    p.setColor(role.Dark, c(theme.border).darker(130))
    p.setColor(role.Shadow, c("#000000"))
    for disabled_role in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group.Disabled, disabled_role, c(theme.gutter_text))
    p.setColor(group.Disabled, role.Highlight, c(theme.border))
    return p


class ThemeController(QObject):
    """Owns the chosen mode, applies palette + stylesheet, and tells views when it changes.

    Views that paint their own colours (plot, highlighter, list delegate) connect to
    ``changed`` rather than reading the palette, so one switch repaints everything.
    """

    changed = Signal(object)  # Theme

    def __init__(self, mode: ThemeMode = ThemeMode.SYSTEM, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mode = ThemeMode(mode)
        self._high_contrast = False
        self._theme = resolve(mode)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_changed)

    @property
    def mode(self) -> ThemeMode:
        return self._mode

    @property
    def theme(self) -> Theme:
        return self._theme

    @property
    def high_contrast(self) -> bool:
        """Whether the presenter view's high-contrast variant is on (never remembered)."""
        return self._high_contrast

    def set_high_contrast(self, on: bool) -> None:
        """The current mode's high-contrast variant on or off (the presenter view)."""
        if bool(on) != self._high_contrast:
            self._high_contrast = bool(on)
            self.apply()

    def set_mode(self, mode: ThemeMode) -> None:
        """Switch mode and re-apply; emits ``changed`` even if the colours stay the same."""
        self._mode = ThemeMode(mode)
        self.apply()

    def apply(self) -> None:
        """Apply the current mode's theme to the whole application."""
        self._theme = resolve(self._mode, self.high_contrast)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            use_fusion(app)
            # Both calls re-polish every widget of every window: skip them when
            # nothing changes (each new window applies its theme once).
            palette = build_palette(self._theme)
            if app.palette() != palette:
                app.setPalette(palette)
            sheet = build_stylesheet(self._theme)
            if app.styleSheet() != sheet:
                app.setStyleSheet(sheet)
        self.changed.emit(self._theme)

    def _on_system_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._mode is ThemeMode.SYSTEM:
            self.apply()
