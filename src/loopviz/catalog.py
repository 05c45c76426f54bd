"""The scenario catalog: what each scenario file is about, read without running it.

A scenario is a plain asyncio program. Its metadata lives where a reader of the
code looks anyway, so that it never gets in the way of the lesson:

- the module docstring: first line = title, then a blank line and the
  explanation, then optional ``Key point:`` and ``Lecture notes:`` sections;
- parameters: module-level UPPERCASE constants assigned a literal int, float or
  str, with a trailing ``# param: <description>`` comment.

Files are read with :mod:`ast` and :mod:`tokenize` and are **never executed**:
listing a directory must not run anyone's code. A file that cannot be parsed is
still listed, with :attr:`ScenarioInfo.error` set, so the user sees why it
cannot be run. The full format is described in ``docs/writing-scenarios.md``.

This module is stdlib-only and must stay Qt-free (the CLI's ``list`` command and
the runner use it without a GUI).
"""

from __future__ import annotations

import ast
import io
import os
import re
import tokenize
from dataclasses import dataclass, replace
from pathlib import Path

__all__ = [
    "Parameter",
    "ScenarioInfo",
    "assets_dir",
    "bundled_scenarios_dir",
    "list_scenarios",
    "read_scenario",
    "title_from_name",
]

_PACKAGE_DIR = Path(__file__).resolve().parent

_ORDER_RE = re.compile(r"^(\d+)")
_PREFIX_RE = re.compile(r"^\d+[\s_.\-]*")
_SECTION_RE = re.compile(r"^(key point|lecture notes)\s*:\s*(.*)$", re.IGNORECASE)
_PARAM_NAME_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_PARAM_COMMENT_RE = re.compile(r"^#\s*param\s*:\s*(.*?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Parameter:
    """A constant the app may show and let the lecturer change before a run."""

    name: str
    value: int | float | str
    description: str
    line: int  # 1-based line of the assignment


@dataclass(frozen=True)
class ScenarioInfo:
    """Everything the app shows about a scenario before running it."""

    path: Path  # absolute
    name: str  # file name, e.g. "03_create_task.py"
    order: int | None  # numeric prefix of the file name, None if none
    title: str
    explanation: str
    key_point: str
    lecture_notes: str
    parameters: tuple[Parameter, ...]
    has_main: bool  # module defines `async def main()` at top level
    error: str | None  # why the file cannot be read or parsed; it is still listed


def _resource_dir(name: str) -> Path:
    """A wheel carries ``loopviz/_bundled/<name>``; a source checkout has ``<repo>/<name>``."""
    bundled = _PACKAGE_DIR / "_bundled"
    if bundled.is_dir():  # installed from a wheel, even if <name> was empty and left out
        return bundled / name
    return _PACKAGE_DIR.parent.parent / name


def bundled_scenarios_dir() -> Path:
    """The directory of the scenarios that ship with loopviz."""
    return _resource_dir("scenarios")


def assets_dir() -> Path:
    """The directory of loopviz's assets (icons and the like)."""
    return _resource_dir("assets")


def _order_of(name: str) -> int | None:
    match = _ORDER_RE.match(name)
    return int(match.group(1)) if match else None


def title_from_name(name: str) -> str:
    """``"03_create_task.py"`` → ``"Create task"``: a title for files without a docstring."""
    stem = Path(name).stem
    words = _PREFIX_RE.sub("", stem).replace("_", " ").replace("-", " ")
    words = " ".join(words.split())
    if not words:
        return stem
    return words[0].upper() + words[1:]


def _reflow(lines: list[str]) -> str:
    """Join wrapped lines into paragraphs; blank lines separate paragraphs."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return "\n\n".join(paragraphs)


def _note_lines(lines: list[str]) -> str:
    """One note per line; an indented line continues the note above it."""
    notes: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        if notes and line[:1].isspace():
            notes[-1] = f"{notes[-1]} {line.strip()}"
        else:
            notes.append(line.strip())
    return "\n".join(notes)


def _parse_docstring(doc: str) -> tuple[str, str, str, str]:
    """Split a cleaned docstring into (title, explanation, key point, lecture notes)."""
    lines = doc.splitlines()
    title = lines[0].strip() if lines else ""
    sections: dict[str, list[str]] = {"explanation": [], "key point": [], "lecture notes": []}
    current = sections["explanation"]
    for line in lines[1:]:
        match = _SECTION_RE.match(line)
        if match:
            current = sections[match.group(1).lower()]
            if match.group(2).strip():
                current.append(match.group(2))
        else:
            current.append(line)
    return (
        title,
        _reflow(sections["explanation"]),
        _reflow(sections["key point"]),
        _note_lines(sections["lecture notes"]),
    )


def _literal(node: ast.expr) -> int | float | str | None:
    """The value of a literal int/float/str (a leading minus allowed), else None."""
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
    ):
        inner = _literal(node.operand)
        return -inner if isinstance(inner, int | float) else None
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float | str)
        and not isinstance(node.value, bool)  # True is an int, but not a knob to turn
    ):
        return node.value
    return None


def _comments_by_line(source: str) -> dict[int, str]:
    """Comments keyed by line; tokenize knows a ``#`` inside a string is not a comment."""
    comments: dict[int, str] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                comments[token.start[0]] = token.string
    except (tokenize.TokenError, SyntaxError):
        pass
    return comments


def _parameters(tree: ast.Module, source: str) -> tuple[Parameter, ...]:
    comments = _comments_by_line(source)
    found: dict[str, Parameter] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            target, value = stmt.target, stmt.value
        else:
            continue
        if not isinstance(target, ast.Name) or not _PARAM_NAME_RE.match(target.id):
            continue
        literal = _literal(value)
        match = _PARAM_COMMENT_RE.match(comments.get(stmt.end_lineno or stmt.lineno, ""))
        if literal is None or match is None:
            continue
        # A later assignment wins, as it would when the module runs.
        found[target.id] = Parameter(target.id, literal, match.group(1), stmt.lineno)
    return tuple(found.values())


def _has_async_main(tree: ast.Module) -> bool:
    return any(isinstance(stmt, ast.AsyncFunctionDef) and stmt.name == "main" for stmt in tree.body)


def _decode(data: bytes) -> str:
    """Decode like the interpreter does: BOM or coding cookie, else UTF-8."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    text = data.decode(encoding)
    return text.removeprefix("\ufeff")


def read_scenario(path: str | os.PathLike[str]) -> ScenarioInfo:
    """Read one scenario's metadata without executing it.

    Raises FileNotFoundError for a missing file and ValueError for a path that
    is not a ``.py`` file. A file that exists but cannot be decoded or parsed
    is returned with ``error`` set and a title taken from its name.
    """
    path = Path(os.path.abspath(os.fspath(path)))
    if not path.exists():
        raise FileNotFoundError(f"scenario not found: {path}")
    if not path.is_file() or path.suffix != ".py":
        raise ValueError(f"not a Python scenario file (expected a .py file): {path}")

    name = path.name
    fallback = ScenarioInfo(
        path=path,
        name=name,
        order=_order_of(name),
        title=title_from_name(name),
        explanation="",
        key_point="",
        lecture_notes="",
        parameters=(),
        has_main=False,
        error=None,
    )
    try:
        source = _decode(path.read_bytes())
        tree = ast.parse(source, filename=name)
    except (OSError, SyntaxError, ValueError, LookupError, RecursionError, MemoryError) as exc:
        # SyntaxError also covers tokenize's bad-cookie errors; ValueError covers
        # NUL bytes on 3.11 and UnicodeDecodeError; LookupError an unknown codec.
        error = f"{type(exc).__name__}: {exc}"
        if name not in error:  # e.g. a bad encoding: say which file
            error = f"{error} ({name})"
        return replace(fallback, error=error)

    doc = ast.get_docstring(tree, clean=True) or ""
    title, explanation, key_point, notes = _parse_docstring(doc)
    return replace(
        fallback,
        title=title or fallback.title,
        explanation=explanation,
        key_point=key_point,
        lecture_notes=notes,
        parameters=_parameters(tree, source),
        has_main=_has_async_main(tree),
    )


def _course_key(info: ScenarioInfo) -> tuple[int, int, str, str]:
    """Numbered scenarios first, by number; then the others by name."""
    if info.order is not None:
        return (0, info.order, info.name.casefold(), info.name)
    return (1, 0, info.name.casefold(), info.name)


def list_scenarios(directory: Path | None = None) -> list[ScenarioInfo]:
    """All scenarios in ``directory`` (default: the bundled ones) in course order.

    Only ``*.py`` files directly in the directory count; names starting with
    ``_`` or ``.`` are helpers, not scenarios. A broken file is listed with
    ``error`` set rather than breaking the whole list.
    """
    directory = bundled_scenarios_dir() if directory is None else Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"scenario directory not found: {directory}")
    infos = []
    for entry in directory.iterdir():
        if entry.suffix != ".py" or entry.name.startswith(("_", ".")) or not entry.is_file():
            continue
        try:
            infos.append(read_scenario(entry))
        except FileNotFoundError:  # deleted while we were listing
            continue
    return sorted(infos, key=_course_key)
