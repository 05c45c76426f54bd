"""Python syntax highlighting for the source pane.

The spans come from :mod:`loopviz.ui.python_tokens` (the real tokenizer), computed
once per scenario; ``highlightBlock`` only looks them up. ``async`` and ``await``
get their own bold colour: they are what every lesson here is about.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from loopviz.ui.python_tokens import Span, python_spans
from loopviz.ui.theme import LIGHT, SyntaxColors, Theme


def _formats(colors: SyntaxColors) -> dict[str, QTextCharFormat]:
    def fmt(color: str, *, bold: bool = False, italic: bool = False) -> QTextCharFormat:
        f = QTextCharFormat()
        f.setForeground(QColor(color))
        if bold:
            f.setFontWeight(QFont.Weight.Bold)
        f.setFontItalic(italic)
        return f

    return {
        "keyword": fmt(colors.keyword),
        "await": fmt(colors.await_, bold=True),
        "string": fmt(colors.string),
        "comment": fmt(colors.comment, italic=True),
        "number": fmt(colors.number),
        "definition": fmt(colors.definition, bold=True),
        "builtin": fmt(colors.builtin),
        "decorator": fmt(colors.decorator),
        "self": fmt(colors.self_),
    }


class PythonHighlighter(QSyntaxHighlighter):
    """Colours a read-only document from precomputed token spans."""

    def __init__(self, document: QTextDocument, theme: Theme = LIGHT) -> None:
        super().__init__(document)
        self._spans: dict[int, list[Span]] = {}
        self._formats = _formats(theme.syntax)

    def set_source(self, source: str) -> None:
        """Tokenize ``source``; call before the document's text is replaced."""
        self._spans = python_spans(source)

    def set_theme(self, theme: Theme) -> None:
        """Switch colours and repaint."""
        self._formats = _formats(theme.syntax)
        self.rehighlight()

    def kind_at(self, line: int, column: int) -> str | None:
        """The span kind covering a 0-based line/column, for tests and tooltips."""
        for span in self._spans.get(line, ()):
            if span.start <= column < span.start + span.length:
                return span.kind
        return None

    def highlightBlock(self, text: str) -> None:
        for span in self._spans.get(self.currentBlock().blockNumber(), ()):
            self.setFormat(span.start, span.length, self._formats[span.kind])
