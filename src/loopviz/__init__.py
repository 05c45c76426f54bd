"""loopviz — see Python's asyncio event loop at work.

The top-level package stays Qt-free: ``import loopviz`` and ``loopviz.record``
are usable from headless scripts and tests.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
