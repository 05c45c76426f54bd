"""How a task or future ended, read without disturbing it.

Why the private attributes: ``Future.result()`` / ``exception()`` mark the
exception as retrieved, which silences asyncio's "exception was never
retrieved" warning — a program would behave differently under the tracer.
``_state``, ``_result``, ``_exception`` and ``_cancel_message`` are plain reads
on both the C and the Python futures of CPython 3.11-3.13.
"""

from __future__ import annotations

import reprlib
import traceback
from typing import Any

from loopviz.protocol import Outcome

DETAIL_LIMIT = 200
"""Characters kept of a result's repr or an exception's message."""

_repr = reprlib.Repr()
_repr.maxstring = DETAIL_LIMIT
_repr.maxother = DETAIL_LIMIT
_repr.maxlevel = 3


_PLAIN = frozenset({type(None), bool, int, float})


def short_repr(obj: object) -> str:
    """A repr bounded in size *and* in work (containers are cut before they are walked)."""
    if type(obj) in _PLAIN:
        text = repr(obj)
        return text if len(text) <= DETAIL_LIMIT else text[: DETAIL_LIMIT - 3] + "..."
    try:
        text = _repr.repr(obj)
    except Exception:  # user __repr__ may raise anything
        text = f"<{type(obj).__name__} (repr() failed)>"
    if len(text) > DETAIL_LIMIT:
        text = text[: DETAIL_LIMIT - 3] + "..."
    return text


def exception_detail(exc: BaseException) -> str:
    """``ExcType: message``, as a user reads it in a traceback's last line."""
    try:
        message = str(exc)
    except Exception:
        message = "(str() failed)"
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    if len(text) > DETAIL_LIMIT:
        text = text[: DETAIL_LIMIT - 3] + "..."
    return text


def exception_message_fields(exc: BaseException) -> dict[str, Any]:
    """The ``type``/``message``/``traceback`` fields of a TASK_EXCEPTION message."""
    try:
        message = str(exc)
    except Exception:
        message = "(str() failed)"
    try:
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    except Exception:
        text = ""
    return {"type": type(exc).__name__, "message": message, "traceback": text}


def outcome_of(fut: Any) -> tuple[int, str, BaseException | None]:
    """``(Outcome, detail, exception or None)`` of a done future or task."""
    if fut._state == "CANCELLED":
        message = getattr(fut, "_cancel_message", None)
        if message is None:
            return Outcome.CANCELLED, "", None
        try:
            text = str(message)
        except Exception:
            text = short_repr(message)
        return Outcome.CANCELLED, text[:DETAIL_LIMIT], None
    exc = fut._exception
    if exc is not None:
        return Outcome.EXCEPTION, exception_detail(exc), exc
    return Outcome.RESULT, short_repr(fut._result), None
