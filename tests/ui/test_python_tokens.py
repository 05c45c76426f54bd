"""The source pane's highlighting comes from Python's own tokenizer (Qt-free part)."""

from __future__ import annotations

from loopviz.ui.markup import inline_html, paragraphs_html
from loopviz.ui.python_tokens import first_code_line, python_spans

SOURCE = '''"""Title

Explanation.
"""

import asyncio


@asyncio.coroutine_like
async def main(self) -> None:  # comment
    text = """two
lines"""
    await asyncio.sleep(1.5)
    print(f"{text!r} done", len(text))
'''


def kinds(source: str) -> dict[tuple[int, str], str]:
    lines = source.split("\n")
    return {
        (row, lines[row][s.start : s.start + s.length]): s.kind
        for row, spans in python_spans(source).items()
        for s in spans
    }


def test_tokens_are_classified_like_python_sees_them() -> None:
    found = kinds(SOURCE)
    assert found[(5, "import")] == "keyword"
    assert found[(8, "@")] == "decorator"
    assert found[(8, "asyncio")] == "decorator"
    assert found[(8, "coroutine_like")] == "decorator"
    assert found[(9, "async")] == "await"
    assert found[(9, "def")] == "keyword"
    assert found[(9, "main")] == "definition"
    assert found[(9, "self")] == "self"
    assert found[(9, "None")] == "keyword"
    assert found[(9, "# comment")] == "comment"
    assert found[(10, '"""two')] == "string"
    assert found[(11, 'lines"""')] == "string", "a triple-quoted string spans its lines"
    assert found[(12, "await")] == "await"
    assert found[(12, "1.5")] == "number"
    assert (12, "sleep") not in found, "attributes are not builtins"
    assert found[(13, "print")] == "builtin"
    assert found[(13, "len")] == "builtin"
    assert found[(0, '"""Title')] == "string"


def test_columns_count_utf16_units_like_qt() -> None:
    spans = python_spans('x = "😀"  # note\n')[0]
    comment = next(s for s in spans if s.kind == "comment")
    assert comment.start == len('x = "😀"  '.encode("utf-16-le")) // 2


def test_a_broken_file_is_highlighted_up_to_the_error() -> None:
    spans = python_spans('import os\nx = """never closed\n')
    assert spans[0][0].kind == "keyword"


def test_first_code_line_skips_the_module_docstring() -> None:
    assert first_code_line(SOURCE) == 5
    assert first_code_line("import os\n") == 0
    assert first_code_line("def broken(:\n") == 0


def test_docstring_markup_is_escaped_and_code_is_monospace() -> None:
    html = inline_html("Use `await` <b>now</b>")
    assert "<code" in html and "await" in html and "&lt;b&gt;" in html
    notes = paragraphs_html("- first\n- second `x`")
    assert notes.count("<li>") == 2
