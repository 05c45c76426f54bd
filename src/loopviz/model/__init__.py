"""The stored recording every view of loopviz is built on.

A :class:`Recording` grows while a run is live and answers, for any instant,
what the event loop was doing (:meth:`Recording.state_at`), what each task
did over time (slices for the Gantt chart), where the loop stalled, and the
run's statistics. ``save``/``load`` keep it in ``.lvz`` files;
``export_chrome_trace`` opens it in Perfetto.

Imports only ``loopviz.protocol``, numpy and the stdlib: never Qt.
"""

from loopviz.model.chrome_trace import export_chrome_trace
from loopviz.model.lvz import RecordingFileError, from_bytes, load, save, to_bytes
from loopviz.model.recording import Recording, RunOutcome, Slice
from loopviz.model.slices import SliceBatch, SliceColumns, SliceCursor, State
from loopviz.model.stalls import StackFrame, Stall, StallSample
from loopviz.model.state import (
    LoopNow,
    LoopState,
    OutputLine,
    PendingCoroutine,
    PendingFuture,
    ReadyEntry,
    RunningHandle,
    StallNow,
    TaskState,
    TimerEntry,
)
from loopviz.model.stats import HandleSummary, Latency, LoopStats, Stats, TaskStats
from loopviz.model.tasks import Lane, TaskInfo, is_machinery

__all__ = [
    "HandleSummary",
    "Lane",
    "Latency",
    "LoopNow",
    "LoopState",
    "LoopStats",
    "OutputLine",
    "PendingCoroutine",
    "PendingFuture",
    "ReadyEntry",
    "Recording",
    "RecordingFileError",
    "RunOutcome",
    "RunningHandle",
    "Slice",
    "SliceBatch",
    "SliceColumns",
    "SliceCursor",
    "StackFrame",
    "Stall",
    "StallNow",
    "StallSample",
    "State",
    "Stats",
    "TaskInfo",
    "TaskState",
    "TaskStats",
    "TimerEntry",
    "export_chrome_trace",
    "from_bytes",
    "is_machinery",
    "load",
    "save",
    "to_bytes",
]
