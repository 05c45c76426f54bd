"""``TracingEventLoop``: the platform's selector loop, recording everything it does.

Every override follows one pattern: asyncio's own code runs exactly once, as
it would on a plain loop, and the recording around it sits in a ``try`` of
its own. A failure there is reported once (``Recorder.report_error``) and
switches that hook off; the program never sees it (trio's instruments do the
same, STYLE.md).

Why overrides of ``create_task``/``create_future``/``call_at`` and not a task
factory: the C Task and Future look these methods up on the loop, so they see
every task and future, while a custom task factory renames unnamed tasks to
``'None'`` on 3.13.0 (DESIGN.md). In debug mode asyncio keeps the stack where
each object was created; the overrides remove their own frames from it, so
``_source_traceback[-1]`` still points at the user's line.

Why ``call_soon`` and ``_run_once`` are asyncio's own code, inlined: they are
the hot path (every task step passes through both), and the recording costs
Python calls. ``call_soon`` skips two calls of asyncio's (``_check_closed``,
``_call_soon``) to pay for one of ours; ``_run_once`` is
``BaseEventLoop._run_once`` statement for statement with its handle loop
replaced by one that records inline. Both are used only when the loop class
does not override them and asyncio's ``_run_once`` is the exact one copied
(bytecode checked at import); otherwise asyncio's run, and the ready queue's
``popleft`` hook records instead. Debug mode always takes asyncio's path.
"""

from __future__ import annotations

import asyncio
import hashlib
import heapq
import os
import sys
import threading
import time
import weakref
from asyncio import base_events, events, tasks
from typing import Any

from loopviz.protocol import EventKind, Message
from loopviz.tracer.objects import Creation, LoopState, ObjectTracker
from loopviz.tracer.outcomes import exception_detail
from loopviz.tracer.ready import Hooks, make_ready_queue
from loopviz.tracer.recorder import PACK6, Recorder

_OWN_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_EAGER_TASKS = sys.version_info >= (3, 12)
_TASK_TYPES = (tasks.Task, tasks._PyTask)
_current_task = tasks.current_task
_PY311 = sys.version_info < (3, 12)


def _recognised_run_once() -> bool:
    """True if asyncio's ``_run_once`` is the one ``_lv_run_once`` copies (3.11-3.13).

    A future patch release that changes it makes the loop use asyncio's own code
    (and the slower generic recording hooks) rather than a stale copy.
    """
    code = base_events.BaseEventLoop._run_once.__code__
    digest = hashlib.sha256(code.co_code + repr(code.co_names).encode()).hexdigest()[:16]
    return digest in _KNOWN_RUN_ONCE


_KNOWN_RUN_ONCE = frozenset(
    {
        "8e9418ec927006d0",  # 3.11.7
        "615e1fe5f2e5b908",  # 3.12.1
        "0ee59bc669f0ca18",  # 3.13.0
    }
)
_FAST_RUN_ONCE = _recognised_run_once()


def strip_own_frames(obj: Any) -> None:
    """Remove loopviz's frames from a debug-mode ``_source_traceback`` (in place)."""
    tb = getattr(obj, "_source_traceback", None)
    if tb:
        kept = [entry for entry in tb if not entry.filename.startswith(_OWN_DIR)]
        if len(kept) != len(tb):
            tb[:] = kept


class TracingLoopMixin:
    """The recording, for any ``asyncio.BaseEventLoop`` subclass (listed before it).

    :class:`TracingEventLoop` is this on the platform's selector loop; the
    compatibility bench also puts it on asyncio's own test loop.
    """

    def __init__(
        self,
        *args: Any,
        recorder: Recorder | None = None,
        stall_ms: float | None = None,
        **kwargs: Any,
    ) -> None:
        # Set before asyncio's __init__, which already calls overridden methods (set_debug).
        self.recorder = recorder if recorder is not None else Recorder(stall_ms=stall_ms or 100.0)
        self._lv_stall_ms = stall_ms
        self._lv_watchdog: Any = None
        self._lv_off: set[str] = set()
        self._lv_state: LoopState | None = None
        self._lv_tracker: ObjectTracker | None = None
        self._lv_hooks: Hooks | None = None
        self._lv_queue_type: Any = None
        self._lv_fast_call_soon = False
        self._lv_fast_run_once = False
        super().__init__(*args, **kwargs)
        try:
            self._lv_setup()
        except Exception as exc:
            self._lv_state = None
            self._lv_tracker = None
            self._lv_hooks = None
            self.recorder.report_error("loop setup", exc)

    def _lv_setup(self) -> None:
        rec = self.recorder
        state = LoopState(rec.new_oid(), rec.new_loop_index())
        state.debug = self.get_debug()
        tracker = ObjectTracker(rec, state)
        k = tracker.k
        rec.record(
            k[EventKind.LOOP_CREATED],
            time.monotonic_ns(),
            state.oid,
            threading.get_native_id(),
            rec.intern(type(self).__name__),
        )
        hooks = make_ready_queue(
            tracker,
            self._ready,
            on_error=lambda exc: rec.report_error("ready queue", exc),
            strip=strip_own_frames,
        )
        self._ready = hooks.queue
        self._lv_hooks = hooks
        self._lv_queue_type = type(hooks.queue)
        _wrap_select(getattr(self, "_selector", None), state, rec, k)
        # The inlined call_soon and _run_once stand in for BaseEventLoop's own; a loop
        # class that overrides either keeps its version (and the generic hooks record).
        base = super()
        self._lv_fast_call_soon = all(
            getattr(base, name).__func__ is getattr(base_events.BaseEventLoop, name)
            for name in ("call_soon", "_call_soon", "_check_closed")
        )
        self._lv_fast_run_once = (
            _FAST_RUN_ONCE and base._run_once.__func__ is base_events.BaseEventLoop._run_once
        )
        loops = rec.loops
        loops[state.oid] = state
        oid = state.oid
        rec.loop_refs[oid] = weakref.ref(
            self, lambda _ref: (loops.pop(oid, None), rec.loop_refs.pop(oid, None))
        )
        self._lv_state = state
        self._lv_tracker = tracker

    def _lv_fail(self, where: str, exc: BaseException) -> None:
        self._lv_off.add(where)
        self.recorder.report_error(where, exc)

    @property
    def loop_oid(self) -> int:
        """The oid this loop's records carry (0 if recording could not start)."""
        return self._lv_state.oid if self._lv_state is not None else 0

    @property
    def loop_index(self) -> int:
        """The loop index packed into this loop's record kinds (0 if not recording)."""
        return self._lv_state.index if self._lv_state is not None else 0

    # -- running -------------------------------------------------------------------

    def run_forever(self) -> None:
        st = self._lv_state
        if (
            st is None
            or self._closed
            or self._thread_id is not None
            or events._get_running_loop() is not None
        ):
            return super().run_forever()  # raises exactly as asyncio does, or runs untraced
        try:
            st.thread = threading.get_ident()
            st.native = threading.get_native_id()
            self.recorder.record(
                self._lv_tracker.k[EventKind.LOOP_RUN_BEGIN],  # type: ignore[union-attr]
                time.monotonic_ns(),
                st.oid,
                st.native,
            )
            if self._lv_stall_ms is not None and self._lv_watchdog is None:
                from loopviz.tracer.watchdog import Watchdog

                self._lv_watchdog = Watchdog(self.recorder, stall_ms=self._lv_stall_ms)
                self._lv_watchdog.start()
        except Exception as exc:
            self._lv_fail("run_forever", exc)
        try:
            return super().run_forever()
        finally:
            try:
                st.thread = None
                st.serial = 0
                self.recorder.record(
                    self._lv_tracker.k[EventKind.LOOP_RUN_END],  # type: ignore[union-attr]
                    time.monotonic_ns(),
                    st.oid,
                )
                if self._lv_watchdog is not None:
                    self._lv_watchdog.stop()
                    self._lv_watchdog = None
            except Exception as exc:
                self._lv_fail("run_forever end", exc)

    def call_soon(self, callback: Any, *args: Any, context: Any = None) -> asyncio.Handle:
        """asyncio's ``call_soon`` with ``_check_closed`` and ``_call_soon`` inlined.

        The same checks, the same Handle, the same append to the ready queue (whose
        hook records it); two Python calls fewer pay for the recording on the
        hottest path. Debug mode takes asyncio's own path unchanged.
        """
        if self._debug or not self._lv_fast_call_soon:
            return super().call_soon(callback, *args, context=context)
        if self._closed:
            raise RuntimeError("Event loop is closed")
        handle = events.Handle(callback, args, self, context)
        self._ready.append(handle)
        return handle

    def _run_once(self) -> None:
        hooks = self._lv_hooks
        if hooks is None:
            return super()._run_once()
        try:
            if (
                self._debug
                or type(self._ready) is not self._lv_queue_type
                or not self._lv_fast_run_once
            ):
                # asyncio's own iteration; the queue's popleft hook records the runs.
                super()._run_once()
            else:
                self._lv_run_once(hooks.run_ready)
        finally:
            hooks.end_iteration()

    def _lv_run_once(self, run_ready: Any) -> None:
        """``BaseEventLoop._run_once`` of CPython 3.11-3.13, statement for statement, except
        that its handle loop is ``run_ready`` (the same loop with the recording inline).

        Used only when asyncio's own ``_run_once`` is the one this was copied from
        (checked at import, see ``_FAST_RUN_ONCE``); otherwise asyncio's runs.
        """
        sched_count = len(self._scheduled)
        if (
            sched_count > base_events._MIN_SCHEDULED_TIMER_HANDLES
            and self._timer_cancelled_count / sched_count
            > base_events._MIN_CANCELLED_TIMER_HANDLES_FRACTION
        ):
            # Remove delayed calls that were cancelled if their number is too high
            new_scheduled = []
            for handle in self._scheduled:
                if handle._cancelled:
                    handle._scheduled = False
                else:
                    new_scheduled.append(handle)

            heapq.heapify(new_scheduled)
            self._scheduled = new_scheduled
            self._timer_cancelled_count = 0
        else:
            # Remove delayed calls that were cancelled from head of queue.
            while self._scheduled and self._scheduled[0]._cancelled:
                self._timer_cancelled_count -= 1
                handle = heapq.heappop(self._scheduled)
                handle._scheduled = False

        timeout = None
        if self._ready or self._stopping:
            timeout = 0
        elif self._scheduled:
            # Compute the desired timeout.
            if _PY311:
                when = self._scheduled[0]._when
                timeout = min(max(0, when - self.time()), base_events.MAXIMUM_SELECT_TIMEOUT)
            else:
                timeout = self._scheduled[0]._when - self.time()
                if timeout > base_events.MAXIMUM_SELECT_TIMEOUT:
                    timeout = base_events.MAXIMUM_SELECT_TIMEOUT
                elif timeout < 0:
                    timeout = 0

        event_list = self._selector.select(timeout)
        self._process_events(event_list)
        # Needed to break cycles when an exception occurs.
        event_list = None

        # Handle 'later' callbacks that are ready.
        end_time = self.time() + self._clock_resolution
        while self._scheduled:
            handle = self._scheduled[0]
            if handle._when >= end_time:
                break
            handle = heapq.heappop(self._scheduled)
            handle._scheduled = False
            self._ready.append(handle)

        # This is the only place where callbacks are actually *called*.
        ntodo = len(self._ready)
        left = run_ready(self._ready, ntodo)
        # A callback turned debug mode on: the rest of this iteration as asyncio's debug branch.
        for _ in range(left):
            handle = self._ready.popleft()
            if handle._cancelled:
                continue
            if self._debug:
                try:
                    self._current_handle = handle
                    t0 = self.time()
                    handle._run()
                    dt = self.time() - t0
                    if dt >= self.slow_callback_duration:
                        base_events.logger.warning(
                            "Executing %s took %.3f seconds", base_events._format_handle(handle), dt
                        )
                finally:
                    self._current_handle = None
            else:
                handle._run()
        handle = None  # Needed to break cycles when an exception occurs.

    def _process_events(self, event_list: Any) -> None:
        st = self._lv_state
        if st is None:
            return super()._process_events(event_list)
        st.io = True
        try:
            super()._process_events(event_list)
        finally:
            st.io = False

    def set_debug(self, enabled: bool) -> None:
        super().set_debug(enabled)
        if self._lv_state is not None:
            self._lv_state.debug = bool(enabled)

    def close(self) -> None:
        was_closed = self._closed
        super().close()
        st = self._lv_state
        if st is None or was_closed or not self._closed:
            return
        try:
            self.recorder.record(
                self._lv_tracker.k[EventKind.LOOP_CLOSED],  # type: ignore[union-attr]
                time.monotonic_ns(),
                st.oid,
            )
            self.recorder.loops.pop(st.oid, None)
        except Exception as exc:
            self._lv_fail("close", exc)

    # -- tasks, futures, timers ----------------------------------------------------

    def create_task(self, coro: Any, *args: Any, **kwargs: Any) -> Any:
        tracker = self._lv_tracker
        if tracker is None or "create_task" in self._lv_off or not tracker.state.enabled:
            return super().create_task(coro, *args, **kwargs)
        creation = None
        try:
            parent = _current_task(self)
            creation = Creation(
                coro,
                tracker.task_oid(parent) if parent is not None else 0,
                tracker.caller_location(sys._getframe(1)),
                time.monotonic_ns(),
            )
            tracker.creating.append(creation)
        except Exception as exc:
            creation = None
            self._lv_fail("create_task", exc)
        try:
            task = super().create_task(coro, *args, **kwargs)
        finally:
            if creation is not None and tracker.creating and tracker.creating[-1] is creation:
                tracker.creating.pop()
        if creation is not None and "create_task" not in self._lv_off:
            try:
                if isinstance(task, _TASK_TYPES):
                    r = tracker.objects_get(id(task)) or tracker.register_task(task, creation)
                    name = task.get_name()  # a task factory's task is named after it returns
                    if name is not r.name and name != r.name:
                        tracker.renamed(task, r, name, time.monotonic_ns())
                    if tracker.state.debug:
                        strip_own_frames(task)
                    if _EAGER_TASKS and (
                        task.done()
                        or getattr(coro, "cr_suspended", False)
                        or getattr(coro, "gi_suspended", False)
                    ):
                        tracker.eager_step(task, coro, creation.start)
            except Exception as exc:
                self._lv_fail("create_task", exc)
        return task

    def create_future(self) -> asyncio.Future[Any]:
        fut = super().create_future()
        tracker = self._lv_tracker
        if tracker is not None and tracker.state.enabled and "create_future" not in self._lv_off:
            try:
                running = _current_task(self)
                tracker.register_future(
                    fut,
                    tracker.creator_sid(sys._getframe(1)),
                    tracker.task_oid(running) if running is not None else 0,
                )
                if tracker.state.debug:
                    strip_own_frames(fut)
            except Exception as exc:
                self._lv_fail("create_future", exc)
        return fut

    def call_at(self, when: float, callback: Any, *args: Any, **kwargs: Any) -> asyncio.TimerHandle:
        timer = super().call_at(when, callback, *args, **kwargs)
        tracker = self._lv_tracker
        if tracker is not None and tracker.state.enabled and "call_at" not in self._lv_off:
            try:
                # loop.time() is time.monotonic(): seconds on the same clock as monotonic_ns.
                tracker.timer_scheduled(timer, int(when * 1e9))
                if tracker.state.debug:
                    strip_own_frames(timer)
            except Exception as exc:
                self._lv_fail("call_at", exc)
        return timer

    def _timer_handle_cancelled(self, handle: Any) -> None:
        scheduled = handle._scheduled
        super()._timer_handle_cancelled(handle)
        tracker = self._lv_tracker
        if (
            scheduled
            and tracker is not None
            and tracker.state.enabled
            and "timer cancelled" not in self._lv_off
        ):
            try:
                r = tracker.objects_get(id(handle))
                if r is not None:
                    tracker.emit(
                        tracker.k[EventKind.TIMER_CANCELLED], time.monotonic_ns(), r.oid, 0, 0, 0
                    )
            except Exception as exc:
                self._lv_fail("timer cancelled", exc)

    # -- errors --------------------------------------------------------------------

    def call_exception_handler(self, context: dict[str, Any]) -> None:
        tracker = self._lv_tracker
        if tracker is not None and "exception handler" not in self._lv_off:
            try:
                exc = context.get("exception")
                task = context.get("task")
                if task is None and isinstance(context.get("future"), _TASK_TYPES):
                    task = context.get("future")
                r = tracker.objects_get(id(task)) if task is not None else None
                self.recorder.message(
                    Message.EXCEPTION_HANDLER,
                    loop=tracker.state.oid,
                    message=str(context.get("message", "")),
                    exception=exception_detail(exc) if isinstance(exc, BaseException) else None,
                    task=r.oid if r is not None else 0,
                )
            except Exception as exc:
                self._lv_fail("exception handler", exc)
        super().call_exception_handler(context)


class TracingEventLoop(TracingLoopMixin, asyncio.SelectorEventLoop):  # type: ignore[misc,valid-type]
    """A selector event loop that records its handles, tasks, futures and timers.

    Standalone, it writes into its own in-memory :class:`Recorder`
    (``loop.recorder``); the runner passes the process-wide one. With
    ``stall_ms`` set, the loop also runs its own stall watchdog while it runs.
    """

    def __init__(
        self,
        selector: Any = None,
        *,
        recorder: Recorder | None = None,
        stall_ms: float | None = None,
    ) -> None:
        super().__init__(selector, recorder=recorder, stall_ms=stall_ms)


def _wrap_select(selector: Any, state: LoopState, rec: Recorder, k: dict[Any, int]) -> None:
    """Record SELECT_BEGIN/SELECT_END around the selector's ``select``.

    An instance attribute on the loop's own selector object: its type, and
    everything else about it, stay as they were. The wrapper holds the selector
    weakly, so no reference cycle keeps an unclosed loop's selector alive.
    Mocks (asyncio's own tests pass them) are left alone.
    """
    cls = type(selector)
    if (
        selector is None
        or cls.__module__ == "unittest.mock"
        or "select" in getattr(selector, "__dict__", {"select": 0})
    ):
        return
    select_impl = cls.select
    selector_ref = weakref.ref(selector)
    put = rec.put
    p6 = PACK6
    mono = time.monotonic_ns
    k_begin = k[EventKind.SELECT_BEGIN]
    k_end = k[EventKind.SELECT_END]

    def select(timeout: float | None = None) -> Any:
        if state.enabled:
            try:
                put(p6(k_begin, mono(), -1 if timeout is None else int(timeout * 1e9), 0, 0, 0))
            except Exception as exc:
                state.enabled = False
                rec.report_error("select", exc)
        ready = select_impl(selector_ref(), timeout)
        if state.enabled:
            try:
                put(p6(k_end, mono(), len(ready), 0, 0, 0))
            except Exception as exc:
                state.enabled = False
                rec.report_error("select", exc)
        return ready

    selector.select = select
