"""Where code lives: the scenario's own files versus the stdlib, installed packages and loopviz.

Why it matters: a beginner asks "where is my program now?", so every location
the tracer reports is the innermost frame of *user* code — the scenario file,
not ``asyncio/tasks.py`` or ``socket.py``. The classification is cached per
filename, because the tracer asks the same question for every task step.
"""

from __future__ import annotations

import ast
import linecache
import os
import sys
import sysconfig
from types import FrameType
from typing import Any

import loopviz


def _library_roots() -> tuple[str, ...]:
    """Directories whose files are never the user's: stdlib, site-packages, loopviz itself."""
    roots: set[str] = set()
    for scheme_key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(scheme_key)
        if path:
            roots.add(path)
    for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}:
        roots.add(sysconfig.get_path("stdlib", vars={"installed_base": prefix, "base": prefix}))
    try:
        import site

        roots.update(site.getsitepackages())
        roots.add(site.getusersitepackages())
    except (AttributeError, ImportError):  # pragma: no cover - embedded interpreters
        pass
    roots.add(os.path.dirname(loopviz.__file__))
    return tuple(os.path.normcase(os.path.abspath(r)) + os.sep for r in roots if r)


_ROOTS = _library_roots()
_BUNDLED = (
    os.path.normcase(os.path.join(os.path.dirname(os.path.abspath(loopviz.__file__)), "_bundled"))
    + os.sep
)
_USER_CACHE: dict[str, bool] = {}
_ASYNCIO_DIR = os.path.normcase(os.path.dirname(os.path.abspath(__import__("asyncio").__file__)))
_ASYNCIO_CACHE: dict[str, bool] = {}


def is_user_file(filename: str) -> bool:
    """True for the scenario's own files: not stdlib, site-packages, loopviz or ``<frozen ...>``.

    The scenarios bundled with loopviz (``loopviz/_bundled/scenarios`` in an
    installed copy) are user files too: they are what the lecturer runs.

    Why a path test and not a module test: frames carry filenames, and the
    scenario runs as ``__main__`` from an arbitrary directory.
    """
    known = _USER_CACHE.get(filename)
    if known is not None:
        return known
    if not filename or filename.startswith("<"):
        result = False
    else:
        path = os.path.normcase(os.path.abspath(filename))
        if path.startswith(_BUNDLED):  # the scenarios shipped inside an installed loopviz
            result = True
        else:
            parts = path.split(os.sep)
            result = (
                not path.startswith(_ROOTS)
                and "site-packages" not in parts
                and "dist-packages" not in parts
            )
    _USER_CACHE[filename] = result
    return result


def is_asyncio_file(filename: str) -> bool:
    """True for files of the stdlib ``asyncio`` package (its API frames are walked through)."""
    known = _ASYNCIO_CACHE.get(filename)
    if known is None:
        known = os.path.normcase(os.path.dirname(os.path.abspath(filename))) == _ASYNCIO_DIR
        _ASYNCIO_CACHE[filename] = known
    return known


def user_frame(frame: FrameType | None, user_paths: Any = is_user_file) -> FrameType | None:
    """The innermost frame at or outside ``frame`` that is user code, or None."""
    while frame is not None:
        if user_paths(frame.f_code.co_filename):
            return frame
        frame = frame.f_back
    return None


def frame_summary(frame: FrameType | None) -> dict[str, Any] | None:
    """``{file, line, function, text}`` for a stall message; None for no frame."""
    if frame is None:
        return None
    code = frame.f_code
    line = frame.f_lineno or code.co_firstlineno
    return {
        "file": code.co_filename,
        "line": line,
        "function": code.co_qualname,
        "text": linecache.getline(code.co_filename, line).strip(),
    }


def callee_name(user: FrameType, inner: FrameType | None) -> str | None:
    """What the user's line is calling right now, e.g. ``requests.get`` or ``time.sleep``.

    With a Python callee (``inner``, the frame one step inward) the answer is
    its module and name, shortened to the shortest package that exports the
    same function (``requests.api.get`` → ``requests.get``). A C function has no
    frame, so the call expression at the frame's current instruction is read
    from the source instead (``time.sleep(0.5)`` → ``time.sleep``).
    """
    if inner is not None:
        code = inner.f_code
        module = inner.f_globals.get("__name__") or ""
        qualname = code.co_qualname
        if "." not in qualname and module:
            parts = module.split(".")
            for i in range(1, len(parts)):
                package = sys.modules.get(".".join(parts[:i]))
                obj = getattr(package, qualname, None)
                obj = getattr(obj, "__wrapped__", obj)
                if getattr(obj, "__code__", None) is code:
                    return f"{'.'.join(parts[:i])}.{qualname}"
        return f"{module}.{qualname}" if module and module != "__main__" else qualname
    return _call_expression(user)


def _call_expression(frame: FrameType) -> str | None:
    """The callee expression of the call the frame is executing, from its source positions."""
    code = frame.f_code
    try:
        positions = list(code.co_positions())
        line, end_line, col, end_col = positions[frame.f_lasti // 2]
    except (IndexError, ValueError, AttributeError):
        return None
    if line is None or end_line is None or col is None or end_col is None:
        return None
    lines = [linecache.getline(code.co_filename, n) for n in range(line, end_line + 1)]
    if not lines or not lines[0]:
        return None
    if len(lines) == 1:
        text = lines[0].encode()[col:end_col].decode(errors="replace")
    else:
        lines[0] = lines[0].encode()[col:].decode(errors="replace")
        lines[-1] = lines[-1].encode()[:end_col].decode(errors="replace")
        text = "".join(lines)
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return None
    if isinstance(node, ast.Await):
        node = node.value
    if isinstance(node, ast.Call):
        return ast.unparse(node.func)
    return None
