"""Following the scenario's own coroutine objects, from the call that makes one to its death.

The first lesson of asyncio is that calling an ``async def`` function only
creates a coroutine object. No loop hook sees that happen, so the runner
compiles the scenario through :func:`instrument_source`, which marks every
``async def`` in it with two small additions:

* the decorator ``@__loopviz_track__`` (innermost, so ``@staticmethod`` and the
  like still apply on top) reports each coroutine object as it is created:
  CORO_CREATED, and CORO_DESTROYED when it dies (weakly referenced);
* a first statement ``__loopviz_track__.started()`` (after the docstring)
  reports the moment the coroutine first runs, i.e. when it is first awaited:
  CORO_SCHEDULED with ``c=2``. Being wrapped in a task is reported by the loop
  (``c=1``), before the task's first step.

Why a statement and not a poll of the coroutine's state: a coroutine that is
awaited and finishes without suspending lives and dies inside one task step;
only code inside it can tell that it ran, so "never awaited" is exact.

Line numbers are kept: the added nodes carry the positions of the ``def`` and
of the statement they precede.
"""

from __future__ import annotations

import ast
import asyncio
import functools
import inspect
import sys
import time
from asyncio import events, tasks
from collections.abc import Callable
from typing import Any

from loopviz.protocol import EventKind, pack_kind
from loopviz.tracer.locations import is_user_file
from loopviz.tracer.recorder import SCHEDULED, Recorder

TRACKER_NAME = "__loopviz_track__"
"""The global name the runner binds to ``coroutine_tracker(recorder)`` in the scenario's module."""


def coroutine_tracker(recorder: Recorder) -> Callable[[Any], Any]:
    """A decorator that reports every coroutine object the decorated ``async def`` creates.

    The returned decorator also has a ``started()`` attribute, called by
    instrumented code as the first statement of each coroutine body.
    """
    on = [True]
    frames_get = recorder.coro_frames.get
    intern = recorder.intern
    emit = recorder.emit

    def _context() -> tuple[int, int, Any]:
        """(loop index, running task oid, loop tracker) for the current thread."""
        loop = events._get_running_loop()
        state = getattr(loop, "_lv_state", None)
        tracker = getattr(loop, "_lv_tracker", None)
        if loop is None or state is None or tracker is None:
            return 0, 0, None
        task = tasks.current_task(loop)
        return state.index, tracker.task_oid(task) if task is not None else 0, tracker

    def created(coro: Any, frame: Any) -> None:
        index, task_oid, tracker = _context()
        r = recorder.track_coro(coro, index)
        while frame is not None and not is_user_file(frame.f_code.co_filename):
            frame = frame.f_back
        location = 0
        if frame is not None:
            code = frame.f_code
            if tracker is not None:
                location = tracker.line_sid(code.co_filename, frame.f_lineno)
            else:
                location = intern(f"{code.co_filename}:{frame.f_lineno}")
        emit(
            pack_kind(EventKind.CORO_CREATED, index),
            time.monotonic_ns(),
            r.oid,
            task_oid,
            intern(coro.__qualname__),
            location,
        )

    def started() -> None:
        """First statement of an instrumented coroutine: it is being run for the first time."""
        if not on[0]:
            return
        try:
            r = frames_get(id(sys._getframe(1)))
            if r is None or r.flags & SCHEDULED:
                return
            _index, task_oid, _tracker = _context()
            if r.flags & SCHEDULED:  # discovering the task may have reported it already
                return
            r.flags |= SCHEDULED
            emit(
                pack_kind(EventKind.CORO_SCHEDULED, r.loop),
                time.monotonic_ns(),
                r.oid,
                task_oid,
                2,
                0,
            )
        except Exception as exc:
            on[0] = False
            recorder.report_error("coroutine started", exc)

    def track(fn: Any) -> Any:
        if not inspect.iscoroutinefunction(fn):
            return fn

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            coro = fn(*args, **kwargs)
            if on[0]:
                try:
                    created(coro, sys._getframe(1))
                except Exception as exc:
                    on[0] = False
                    recorder.report_error("coroutine created", exc)
            return coro

        _mark_coroutine_function(wrapper)
        return wrapper

    track.started = started  # type: ignore[attr-defined]
    return track


def _mark_coroutine_function(func: Any) -> None:
    """Keep ``iscoroutinefunction`` true for the wrapper (3.12+: inspect too; 3.11: asyncio's)."""
    mark = getattr(inspect, "markcoroutinefunction", None)
    if mark is not None:
        mark(func)
    else:  # 3.11: only asyncio.iscoroutinefunction can be told
        func._is_coroutine = asyncio.coroutines._is_coroutine


def instrument_source(source: str, filename: str) -> ast.Module:
    """Parse a scenario and mark every ``async def`` (not async generators) for tracking.

    The runner compiles the result as ``__main__`` with ``__loopviz_track__`` in
    its globals. A SyntaxError propagates unchanged, with the file and line.
    """
    tree = ast.parse(source, filename)
    _Instrumenter().visit(tree)
    ast.fix_missing_locations(tree)
    return tree


class _Instrumenter(ast.NodeTransformer):
    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.AST:
        self.generic_visit(node)
        if _is_async_generator(node):
            return node
        decorator = ast.Name(id=TRACKER_NAME, ctx=ast.Load())
        node.decorator_list.append(ast.copy_location(decorator, node))
        first = 1 if _has_docstring(node.body) else 0
        anchor = node.body[min(first, len(node.body) - 1)]
        call = ast.Expr(
            value=ast.Call(
                func=ast.Attribute(
                    value=ast.Name(id=TRACKER_NAME, ctx=ast.Load()), attr="started", ctx=ast.Load()
                ),
                args=[],
                keywords=[],
            )
        )
        _copy_location_deep(call, anchor)
        node.body.insert(first, call)
        return node


def _copy_location_deep(node: ast.AST, source: ast.AST) -> None:
    for child in ast.walk(node):
        if not isinstance(child, ast.expr | ast.stmt):
            continue
        ast.copy_location(child, source)
        child.end_lineno = child.lineno  # type: ignore[attr-defined]
        child.end_col_offset = child.col_offset  # type: ignore[attr-defined]


def _has_docstring(body: list[ast.stmt]) -> bool:
    return (
        bool(body)
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    )


def _is_async_generator(node: ast.AsyncFunctionDef) -> bool:
    """True if ``yield`` appears in the function's own body (not in nested scopes)."""
    stack: list[ast.AST] = list(node.body)
    while stack:
        child = stack.pop()
        if isinstance(child, ast.Yield | ast.YieldFrom):
            return True
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        stack.extend(ast.iter_child_nodes(child))
    return False
