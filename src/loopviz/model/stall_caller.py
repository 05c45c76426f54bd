"""The coroutine's line that made a blocking call, when the watchdog only saw inside it.

The watchdog reports the innermost frame of the scenario's code. For
``requests.get(url)`` written in ``main`` that is ``main``'s own line — the line
to fix. For CPU work in a plain function (``primes = count_primes(LIMIT)`` in
``main``) it is a line *inside* ``count_primes``, the ``for`` loop: true, but
not what a lecturer points at. The line to fix is the coroutine's call, the one
to replace with ``await loop.run_in_executor(...)``.

A stall message carries no outer frames, so this finds that call in the
source the runner sent: in the blocked task's coroutine, the one call of the
function the watchdog saw (directly, or through plain functions of the same
file). Only a single, certain answer is returned; two candidate lines give
none, so a wrong line is never shown.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loopviz.model.stalls import StackFrame, Stall

MAX_DEPTH = 4
"""Plain functions walked through between the coroutine and the blocking function."""

Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class CallSite:
    """Where a coroutine called the function that held the loop."""

    line: int
    function: str
    """Qualname of the coroutine that made the call, e.g. ``main``."""
    call: str
    """The callee as written there, e.g. ``count_primes`` or ``self.crunch``."""
    text: str
    """The source line, stripped."""


def callee_name(qualname: str) -> str:
    """The name a caller writes: ``count_primes.<locals>.<genexpr>`` → ``count_primes``."""
    head = qualname.split(".<locals>.", 1)[0]
    return head.rsplit(".", 1)[-1]


def find_call_site(
    source: str, coroutine_line: int, where_line: int | None, callee: str
) -> CallSite | None:
    """The one line of the coroutine defined at ``coroutine_line`` that leads to ``callee``.

    ``where_line``: the line the watchdog saw, when it is in the same file; a line
    inside the coroutine itself needs no call site (None is returned).
    """
    return _call_site(source, coroutine_line, where_line or 0, callee)


@lru_cache(maxsize=256)
def _call_site(source: str, coroutine_line: int, where_line: int, callee: str) -> CallSite | None:
    index = _index(source)
    if index is None or not callee or callee.startswith("<"):
        return None
    coroutine = index.coroutine_at(coroutine_line)
    if coroutine is None:
        return None
    if where_line and coroutine.lineno <= where_line <= (coroutine.end_lineno or 0):
        return None  # the watchdog already names the coroutine's own line
    targets = index.reaching(callee)
    lines = {call.lineno: call for call in _calls(coroutine) if _name(call) in targets}
    if len(lines) != 1:
        return None
    [(line, call)] = lines.items()
    text = source.splitlines()[line - 1].strip() if line <= source.count("\n") + 1 else ""
    return CallSite(line, index.qualnames[coroutine], ast.unparse(call.func), text)


class _Index:
    """Every function of a file by name, with its qualname and the names it calls."""

    def __init__(self, tree: ast.Module) -> None:
        self.by_name: dict[str, list[Function]] = {}
        self.qualnames: dict[Function, str] = {}
        self._walk(tree, "")

    def _walk(self, tree: ast.AST, prefix: str) -> None:
        todo: list[tuple[ast.AST, str]] = [(tree, prefix)]  # no recursion: deep code is fine
        while todo:
            node, prefix = todo.pop()
            for child in ast.iter_child_nodes(node):
                if isinstance(child, Function):
                    qualname = f"{prefix}{child.name}"
                    self.qualnames[child] = qualname
                    self.by_name.setdefault(child.name, []).append(child)
                    todo.append((child, f"{qualname}.<locals>."))
                elif isinstance(child, ast.ClassDef):
                    todo.append((child, f"{prefix}{child.name}."))
                else:
                    todo.append((child, prefix))

    def coroutine_at(self, line: int) -> ast.AsyncFunctionDef | None:
        """The ``async def`` whose ``def`` (or first decorator) is on ``line``."""
        for fn in self.qualnames:
            first = min([fn.lineno, *(d.lineno for d in fn.decorator_list)])
            if isinstance(fn, ast.AsyncFunctionDef) and line in (fn.lineno, first):
                return fn
        return None

    def reaching(self, callee: str) -> set[str]:
        """``callee`` and the plain functions of the file that call it, a few calls deep."""
        names = {callee}
        for _ in range(MAX_DEPTH):
            more = {
                name
                for name, fns in self.by_name.items()
                if name not in names
                and all(isinstance(fn, ast.FunctionDef) for fn in fns)
                and any(_name(call) in names for fn in fns for call in _calls(fn))
            }
            if not more:
                break
            names |= more
        return names


@lru_cache(maxsize=16)
def _index(source: str) -> _Index | None:
    try:
        return _Index(ast.parse(source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None  # no call site is shown: the watchdog's own line stays


def _calls(fn: Function) -> list[ast.Call]:
    """The calls in ``fn``'s own body (not in functions or lambdas defined inside it)."""
    out: list[ast.Call] = []
    todo: list[ast.AST] = list(fn.body)
    while todo:
        node = todo.pop()
        if isinstance(node, Function | ast.Lambda | ast.ClassDef):
            continue
        if isinstance(node, ast.Call):
            out.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return out


def _name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def inside_text(stall: Stall) -> str:
    """ "inside count_primes() at lesson.py:31": the line seen in the function ``where`` called.

    Empty when ``where`` is the line the watchdog saw.
    """
    return inside_phrase(stall.inside)


def inside_phrase(frame: StackFrame | None) -> str:
    """ "inside readinto() at socket.py:717": one frame, as the banner, hover and export say it.

    The same order as the banner's headline ("requests.get(...) in main() at
    lesson.py:21"), so the two lines read alike.
    """
    if frame is None:
        return ""
    name = callee_name(frame.function)
    func = f" {name}()" if name and not name.startswith("<") else ""
    return f"inside{func} at {os.path.basename(frame.file) or frame.file}:{frame.line}"
