"""The runner side: a recording event loop, its stall watchdog and coroutine tracking.

Imports only the stdlib and :mod:`loopviz.protocol` (DESIGN.md layer rule): it
runs inside the traced program's process and must stay light and Qt-free.

Typical use (what the runner child does)::

    recorder = Recorder()
    install(recorder)                     # every asyncio loop is now a TracingEventLoop
    watchdog = Watchdog(recorder, stall_ms=100)
    watchdog.start()
    tree = instrument_source(source, path)
    namespace = {"__name__": "__main__", TRACKER_NAME: coroutine_tracker(recorder)}
    exec(compile(tree, path, "exec"), namespace)
    ...                                   # a flusher thread sends recorder.frames()
"""

from loopviz.tracer.coroutines import TRACKER_NAME, coroutine_tracker, instrument_source
from loopviz.tracer.locations import is_user_file
from loopviz.tracer.loop import TracingEventLoop
from loopviz.tracer.policy import (
    TracingEventLoopPolicy,
    install,
    tracing_loop_factory,
    uninstall,
)
from loopviz.tracer.recorder import Recorder
from loopviz.tracer.watchdog import Watchdog

__all__ = [
    "TRACKER_NAME",
    "Recorder",
    "TracingEventLoop",
    "TracingEventLoopPolicy",
    "Watchdog",
    "coroutine_tracker",
    "install",
    "instrument_source",
    "is_user_file",
    "tracing_loop_factory",
    "uninstall",
]
