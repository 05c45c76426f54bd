"""What a hostile run may not leave behind, read from /proc: processes, threads, fds, ports.

Why /proc and not psutil: it is what the kernel says, with nothing to install, and
the runner only runs on Linux here.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path


def _stat(pid: str) -> tuple[int, int, str] | None:
    """(ppid, session, state) of a process, or None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rfind(")") + 2 :].split()
    return int(fields[1]), int(fields[3]), fields[0]


def session_members(sid: int) -> list[int]:
    """Live (not zombie) processes in session ``sid``: what a runner started and left."""
    out = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            st = _stat(pid)
            if st is not None and st[1] == sid and st[2] != "Z":
                out.append(int(pid))
    return out


def children() -> set[int]:
    me = os.getpid()
    out = set()
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            st = _stat(pid)
            if st is not None and st[0] == me:
                out.add(int(pid))
    return out


def listening_ports() -> set[int]:
    """TCP ports in LISTEN state on this machine (IPv4 and IPv6)."""
    ports = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(name).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if parts[3] == "0A":
                ports.add(int(parts[1].rsplit(":", 1)[1], 16))
    return ports


@dataclass(frozen=True)
class Resources:
    fds: frozenset[str]
    threads: int
    children: frozenset[int]

    @classmethod
    def now(cls) -> Resources:
        return cls(
            frozenset(os.listdir("/proc/self/fd")),
            len(os.listdir("/proc/self/task")),
            frozenset(children()),
        )


def assert_nothing_left(before: Resources, runner_pid: int | None, tmpdir: Path) -> None:
    """No process in the runner's session, no new child, fd, thread or temp file (waits up to
    2 s for the kernel to finish tearing down killed processes)."""
    deadline = time.monotonic() + 2.0
    while True:
        after = Resources.now()
        left = session_members(runner_pid) if runner_pid else []
        problems = []
        if left:
            problems.append(f"processes left in the runner's session: {left}")
        if after.children - before.children:
            problems.append(f"new child processes: {sorted(after.children - before.children)}")
        extra_fds = after.fds - before.fds
        if extra_fds:
            targets = []
            for fd in sorted(extra_fds):
                with contextlib.suppress(OSError):
                    targets.append(f"{fd} -> {os.readlink(f'/proc/self/fd/{fd}')}")
            if targets:
                problems.append(f"file descriptors left open: {targets}")
        if after.threads > before.threads:
            problems.append(f"threads: {before.threads} before, {after.threads} after")
        leftovers = sorted(p.name for p in tmpdir.iterdir()) if tmpdir.exists() else []
        if leftovers:
            problems.append(f"temporary files left: {leftovers}")
        if not problems:
            return
        if time.monotonic() > deadline:
            raise AssertionError("; ".join(problems))
        time.sleep(0.05)
