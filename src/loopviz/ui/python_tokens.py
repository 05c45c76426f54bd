"""Split Python source into coloured spans, using the interpreter's own tokenizer.

Using ``tokenize`` instead of regular expressions gets triple-quoted strings,
f-strings and ``async``/``await`` exactly right. Spans are per line and measured
in UTF-16 code units, because that is how Qt counts characters in a text block.
This module is Qt-free so it can be tested on its own.
"""

from __future__ import annotations

import ast
import builtins
import io
import keyword
import token
import tokenize
from dataclasses import dataclass

AWAIT_WORDS = frozenset({"async", "await"})
SELF_WORDS = frozenset({"self", "cls"})
BUILTIN_NAMES = frozenset(
    name for name in dir(builtins) if not name.startswith("_") and not keyword.iskeyword(name)
)
_STRING_TYPES = frozenset(
    getattr(token, name)
    for name in ("STRING", "FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END")
    if hasattr(token, name)
)
_LINE_STARTS = frozenset({tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT})


@dataclass(frozen=True)
class Span:
    """``length`` characters from ``start`` on one line are of ``kind``."""

    start: int
    length: int
    kind: str


def normalise_newlines(source: str) -> str:
    """Qt's text blocks and ``tokenize`` must agree on what a line is."""
    return source.replace("\r\n", "\n").replace("\r", "\n")


def python_spans(source: str) -> dict[int, list[Span]]:
    """Spans by 0-based line number; stops quietly at the first tokenizer error."""
    lines = normalise_newlines(source).split("\n")
    spans: dict[int, list[Span]] = {}
    for start, end, kind in _classified_tokens(lines):
        _add(spans, lines, start, end, kind)
    return spans


def _classified_tokens(lines: list[str]):
    """Yield ``((row, col), (row, col), kind)`` for every token worth colouring."""
    readline = io.StringIO("\n".join(lines)).readline
    previous: tokenize.TokenInfo | None = None
    previous_name = ""
    in_decorator = False
    try:
        for tok in tokenize.generate_tokens(readline):
            kind = None
            if in_decorator and (tok.type == tokenize.NAME or tok.string == "."):
                kind = "decorator"
            else:
                in_decorator = False
            if kind is None:
                kind = _kind(tok, previous, previous_name)
                if kind == "decorator":
                    in_decorator = True
            if kind:
                yield tok.start, tok.end, kind
            if tok.type == tokenize.NAME:
                previous_name = tok.string
            elif tok.type not in (tokenize.COMMENT, tokenize.NL):
                previous_name = ""
            previous = tok
    except (tokenize.TokenError, SyntaxError):
        return


def _kind(tok: tokenize.TokenInfo, previous: tokenize.TokenInfo | None, previous_name: str):
    if tok.type == tokenize.COMMENT:
        return "comment"
    if tok.type in _STRING_TYPES:
        return "string"
    if tok.type == tokenize.NUMBER:
        return "number"
    if tok.type == tokenize.OP and tok.string == "@":
        at_line_start = previous is None or previous.type in _LINE_STARTS
        return "decorator" if at_line_start else None
    if tok.type != tokenize.NAME:
        return None
    after_dot = previous is not None and previous.string == "."
    if tok.string in AWAIT_WORDS:
        return "await"
    if keyword.iskeyword(tok.string):
        return "keyword"
    if previous_name in ("def", "class"):
        return "definition"
    if after_dot:
        return None
    if tok.string in SELF_WORDS:
        return "self"
    if tok.string in BUILTIN_NAMES:
        return "builtin"
    return None


def _add(
    spans: dict[int, list[Span]],
    lines: list[str],
    start: tuple[int, int],
    end: tuple[int, int],
    kind: str,
) -> None:
    """Record a token, split over the lines it covers (triple-quoted strings)."""
    (first_row, first_col), (last_row, last_col) = start, end
    for row in range(first_row, last_row + 1):
        index = row - 1
        if not 0 <= index < len(lines):
            continue
        text = lines[index]
        col_from = first_col if row == first_row else 0
        col_to = last_col if row == last_row else len(text)
        begin, stop = _utf16(text, col_from), _utf16(text, col_to)
        if stop > begin:
            spans.setdefault(index, []).append(Span(begin, stop - begin, kind))


def _utf16(text: str, col: int) -> int:
    """Convert a code-point column into a UTF-16 column (differs only past U+FFFF)."""
    prefix = text[:col]
    if prefix.isascii():
        return len(prefix)
    return len(prefix.encode("utf-16-le")) // 2


def first_code_line(source: str) -> int:
    """0-based line of the first code after the module docstring (0 if there is none).

    The source pane shows the docstring as prose in its header, so the code view
    starts here rather than repeating it.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return 0
    first = tree.body[0] if tree.body else None
    is_docstring = (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )
    if first is None or not is_docstring or first.end_lineno is None:
        return 0
    lines = normalise_newlines(source).split("\n")
    line = first.end_lineno  # 1-based end == 0-based index of the next line
    while line < len(lines) and not lines[line].strip():
        line += 1
    return line if line < len(lines) else 0
