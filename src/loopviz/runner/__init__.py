"""The app's side of a run: spawn the runner process, feed its events into a Recording.

Qt-free: ``loopviz record`` uses it on a plain asyncio loop, the desktop app on qasync's.
"""

from loopviz.runner.outcome import RunOutcome
from loopviz.runner.process import Runner, RunnerError

__all__ = ["RunOutcome", "Runner", "RunnerError"]
