"""Turn what the runner process did into the one line a user reads: how the run ended."""

from __future__ import annotations

import signal
from dataclasses import dataclass
from typing import Any

from loopviz.protocol import Message


@dataclass(frozen=True)
class RunOutcome:
    """How a run ended. ``outcome`` is one of Message.RUN_END's outcomes."""

    outcome: str
    returncode: int | None
    signal: str | None
    detail: str

    @property
    def ok(self) -> bool:
        """True when the scenario ran to its end (returned, or exited with status 0)."""
        return self.outcome == "returned" or (self.outcome == "exit" and self.returncode == 0)

    def message(self, t: int) -> dict[str, Any]:
        """The RUN_END message the app adds to the recording."""
        return {
            "k": Message.RUN_END,
            "t": t,
            "outcome": self.outcome,
            "returncode": self.returncode,
            "signal": self.signal,
            "detail": self.detail,
        }


def decide(
    returncode: int,
    child_report: dict[str, Any] | None,
    *,
    stop_requested: bool,
    killed: bool,
    timed_out: bool,
) -> RunOutcome:
    """Combine the exit status with the child's own EXIT/LOAD_ERROR report.

    The parent's knowledge wins where the child cannot know (it was stopped,
    killed, or died without a word); the child's report says *why* otherwise.
    """
    sig = _signal_name(returncode)
    if timed_out:
        how = "killed" if killed else "stopped"
        return RunOutcome("timeout", returncode, sig, f"time limit reached; the run was {how}")
    if killed:
        return RunOutcome("killed", returncode, sig, "killed: it did not stop within 1 s")
    if stop_requested:
        return RunOutcome("stopped", returncode, sig, "stopped by the user")
    if sig is not None:
        hint = " (segmentation fault)" if sig == "SIGSEGV" else ""
        return RunOutcome("crashed", returncode, sig, f"crashed: killed by {sig}{hint}")
    if child_report is None:
        return RunOutcome(
            "crashed",
            returncode,
            None,
            f"the runner exited with status {returncode} without reporting how the scenario "
            "ended (os._exit?)",
        )
    kind = child_report.get("k")
    if kind == Message.LOAD_ERROR:
        where = _where(child_report)
        return RunOutcome("load_error", returncode, None, f"{child_report.get('message')}{where}")
    outcome = child_report.get("outcome", "crashed")
    if outcome == "returned":
        return RunOutcome("returned", returncode, None, "main() returned")
    if outcome == "exit":
        return RunOutcome("exit", returncode, None, f"sys.exit({child_report.get('code')})")
    if outcome == "raised":
        text = f"{child_report.get('type')}: {child_report.get('message')}"
        return RunOutcome("raised", returncode, None, f"raised {text}{_where(child_report)}")
    return RunOutcome(str(outcome), returncode, None, str(outcome))


def _where(report: dict[str, Any]) -> str:
    file, line = report.get("file"), report.get("line")
    if not file:
        return ""
    name = str(file).rsplit("/", 1)[-1]
    return f" at {name}:{line}" if line else f" in {name}"


def _signal_name(returncode: int) -> str | None:
    if returncode >= 0:
        return None
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return f"signal {-returncode}"
