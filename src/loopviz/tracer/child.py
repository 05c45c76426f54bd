"""The runner: the child process in which loopviz runs one scenario, traced.

Started by the app (``loopviz.runner``) as::

    python -m loopviz.tracer.child --events-fd FD [--stall-ms MS] [--max-events N]
                                   SCENARIO.py [ARGS...]

Why a separate process: a blocked or runaway scenario must never freeze or
crash the window that shows it, and each run starts from a clean interpreter.

What it does, in order: start the flusher (events go to FD, never to the
scenario's stdout), say hello, send the scenario's source, compile it with
coroutine tracking, run it as ``__main__`` under a policy that makes every
event loop a :class:`TracingEventLoop` — so a script calling ``asyncio.run``
itself is traced — and if the script ran no loop of its own, run its
``async def main()``. How it ended goes out as an EXIT or LOAD_ERROR message;
the exit status says it too (0 returned, 1 raised, 2 could not load).
"""

from __future__ import annotations

import argparse
import asyncio
import builtins
import faulthandler
import inspect
import os
import sys
import time
import traceback
import types
from pathlib import Path

from loopviz.protocol import SCHEMA_VERSION, Message
from loopviz.tracer import (
    TRACKER_NAME,
    Recorder,
    Watchdog,
    coroutine_tracker,
    install,
    instrument_source,
    uninstall,
)
from loopviz.tracer.capture import LineCapture
from loopviz.tracer.flusher import FROM_CAP, Flusher
from loopviz.tracer.parameters import ParameterError, apply_overrides, parse_assignment

EXIT_RETURNED = 0
EXIT_RAISED = 1
EXIT_LOAD_ERROR = 2

_HERE = str(Path(__file__).resolve().parent.parent)


class LoadError(Exception):
    """The scenario could not be started; ``reason`` is one of the LOAD_ERROR reasons."""

    def __init__(self, reason: str, message: str, file: str = "", line: int = 0) -> None:
        super().__init__(message)
        self.reason = reason
        self.file = file
        self.line = line


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m loopviz.tracer.child")
    parser.add_argument("--events-fd", type=int, required=True)
    parser.add_argument("--stall-ms", type=float, default=100.0)
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--max-events", type=int, default=None, metavar="N")
    parser.add_argument("scenario")
    parser.add_argument("args", nargs=argparse.REMAINDER)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(sys.argv[1:] if argv is None else argv)
    path = os.path.abspath(opts.scenario)
    recorder = Recorder(stall_ms=opts.stall_ms)
    set_event_limit = getattr(recorder, "set_event_limit", None)
    if opts.max_events is not None and set_event_limit is not None:
        set_event_limit(max(opts.max_events, 0))  # past it: LIMIT_REACHED, then summaries
    # The buffer may hold as many records as the event cap allows (within a share of the
    # RAM): a flood the cap promises is kept in full, not cut where the app fell behind.
    flusher = Flusher(recorder, opts.events_fd, buffer_records=FROM_CAP)
    flusher.start()
    os.register_at_fork(after_in_child=lambda: _forget_in_fork(flusher))
    faulthandler.enable(file=sys.__stderr__, all_threads=False)
    recorder.message(
        Message.HELLO,
        schema=SCHEMA_VERSION,
        pid=os.getpid(),
        python=sys.version.split()[0],
        scenario=path,
        argv=[path, *opts.args],
        stall_ms=opts.stall_ms,
        clock="monotonic_ns",
        t=time.monotonic_ns(),
    )
    watchdog = Watchdog(recorder, stall_ms=opts.stall_ms)
    watchdog.start()
    real_stdout, real_stderr = sys.stdout, sys.stderr
    sys.stdout = LineCapture(recorder, "stdout", on_line=flusher.flush)
    sys.stderr = LineCapture(recorder, "stderr", on_line=flusher.flush)
    try:
        status = run_scenario(recorder, path, opts.args, opts.param)
    finally:
        for stream in (sys.stdout, sys.stderr):
            if isinstance(stream, LineCapture):
                stream.close()
        sys.stdout, sys.stderr = real_stdout, real_stderr
        watchdog.stop()
        flusher.stop()
    return status


def run_scenario(
    recorder: Recorder, path: str, args: list[str], params: list[str] | None = None
) -> int:
    """Load and run the scenario; report how it ended. Returns the process exit status."""
    try:
        code, module = load(recorder, path, args, params or [])
    except LoadError as err:
        recorder.message(
            Message.LOAD_ERROR,
            reason=err.reason,
            message=str(err),
            file=err.file,
            line=err.line,
            traceback="",
        )
        return EXIT_LOAD_ERROR
    install(recorder)
    loops_before = _loops_created(recorder)
    try:
        exec(code, module.__dict__)
        if _loops_created(recorder) == loops_before:
            result = asyncio.run(entry_point(path, module)())
        else:
            result = None
    except LoadError as err:
        recorder.message(
            Message.LOAD_ERROR, reason=err.reason, message=str(err), file=err.file, line=err.line
        )
        return EXIT_LOAD_ERROR
    except SystemExit as exc:
        code_ = exc.code
        status = code_ if isinstance(code_, int) else (0 if code_ is None else 1)
        if code_ is not None and not isinstance(code_, int):
            print(code_, file=sys.stderr)
        recorder.message(Message.EXIT, outcome="exit", code=status)
        return status
    except BaseException as exc:
        if isinstance(exc, ImportError) and _loops_created(recorder) == loops_before:
            file, line = _scenario_frame(exc, path)
            recorder.message(
                Message.LOAD_ERROR,
                reason="import",
                message=f"{type(exc).__name__}: {exc}",
                file=file,
                line=line,
                traceback=format_exception(exc),
            )
            print(format_exception(exc), file=sys.stderr, end="")
            return EXIT_LOAD_ERROR
        text = format_exception(exc)
        print(text, file=sys.stderr, end="")
        file, line = _scenario_frame(exc, path)
        recorder.message(
            Message.EXIT,
            outcome="raised",
            type=type(exc).__name__,
            message=str(exc),
            traceback=text,
            file=file,
            line=line,
        )
        return EXIT_RAISED
    recorder.message(Message.EXIT, outcome="returned", result=_short_repr(result))
    return EXIT_RETURNED


def load(
    recorder: Recorder, path: str, args: list[str], params: list[str]
) -> tuple[types.CodeType, types.ModuleType]:
    """Read, instrument and compile the scenario (with its parameters set); make ``__main__``."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise LoadError("not_found", f"cannot read {path}: {exc.strerror}", path) from None
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LoadError("syntax", f"{path} is not UTF-8 text: {exc}", path) from None
    recorder.message(Message.SOURCE, path=path, text=source)
    try:
        tree = instrument_source(source, path)
        if params:
            apply_overrides(tree, dict(parse_assignment(p) for p in params))
        code = compile(tree, path, "exec")
    except SyntaxError as exc:
        detail = f"SyntaxError: {exc.msg}"
        if exc.text:
            detail += f"\n    {exc.text.rstrip()}"
            if exc.offset:
                detail += "\n    " + " " * (exc.offset - 1) + "^"
        raise LoadError("syntax", detail, exc.filename or path, exc.lineno or 0) from None
    except ParameterError as exc:
        raise LoadError("parameter", str(exc), path) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise LoadError("syntax", f"{type(exc).__name__}: {exc}", path) from None
    module = types.ModuleType("__main__")
    module.__file__ = path
    module.__dict__["__builtins__"] = builtins
    module.__dict__[TRACKER_NAME] = coroutine_tracker(recorder)
    sys.modules["__main__"] = module
    sys.argv = [path, *args]
    sys.path.insert(0, os.path.dirname(path))
    return code, module


def entry_point(path: str, module: types.ModuleType):
    """The scenario's ``async def main``, or a LoadError saying why there is none."""
    main = module.__dict__.get("main")
    name = os.path.basename(path)
    if main is None:
        raise LoadError(
            "no_main",
            f"{name} has no async def main() and started no event loop of its own",
            path,
        )
    target = inspect.unwrap(main) if callable(main) else main
    if not inspect.iscoroutinefunction(target):
        line = getattr(getattr(target, "__code__", None), "co_firstlineno", 0)
        raise LoadError(
            "main_not_async",
            f"main() in {name} is not async: write `async def main():` so loopviz can run it",
            path,
            line,
        )
    return main


def _loops_created(recorder: Recorder) -> int:
    """How many event loops the process has made so far (0 means the script ran none)."""
    return recorder.loops_created


def _scenario_frame(exc: BaseException, path: str) -> tuple[str, int]:
    """Innermost traceback frame in the scenario file (else the innermost outside loopviz)."""
    best = ("", 0)
    for frame, line in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if filename == path or (not best[0] and not filename.startswith(_HERE)):
            best = (filename, line)
    if isinstance(exc, SyntaxError) and exc.filename:
        best = (exc.filename, exc.lineno or 0)
    return best


def format_exception(exc: BaseException) -> str:
    """The traceback as Python prints it, without loopviz's own runner frames on top."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename.startswith(_HERE):
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb))


def _short_repr(value: object, limit: int = 200) -> str:
    try:
        text = repr(value)
    except Exception as exc:
        text = f"<unrepresentable {type(value).__name__}: {exc}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _forget_in_fork(flusher: Flusher) -> None:
    """A forked child (multiprocessing, os.fork) must not write into our event channel."""
    flusher.detach()
    uninstall()
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__


if __name__ == "__main__":
    sys.exit(main())
