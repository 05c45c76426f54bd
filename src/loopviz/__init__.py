"""loopviz — see Python's asyncio event loop at work.

The top-level package stays Qt-free and light: ``loopviz.record`` and the
tracer are usable from headless scripts and tests, and importing ``loopviz``
loads nothing until a name is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Recording", "TracingEventLoop", "__version__", "load", "record"]

if TYPE_CHECKING:
    from loopviz.api import record
    from loopviz.model import Recording, load
    from loopviz.tracer import TracingEventLoop


def __getattr__(name: str) -> Any:
    if name == "record":
        from loopviz.api import record

        return record
    if name in ("Recording", "load"):
        import loopviz.model as model

        return getattr(model, name)
    if name == "TracingEventLoop":
        from loopviz.tracer import TracingEventLoop

        return TracingEventLoop
    raise AttributeError(f"module 'loopviz' has no attribute {name!r}")
