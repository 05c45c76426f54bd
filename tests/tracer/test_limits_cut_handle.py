"""Summary mode beginning in the middle of a handle's run: that handle still ends.

Without its RUN_END the app showed the handle running until the run ended — a
blocked loop, a red "Event loop blocked" banner and "loop busy 100 %" — for a
scenario that only went past its cap.
"""

from __future__ import annotations

import array
import asyncio

from tests.tracer.test_limits import record

from loopviz.model import Recording
from loopviz.protocol import EventKind, pack_kind
from loopviz.tracer import Recorder, TracingEventLoop
from loopviz.tracer.limits import Admission, open_handles

RUN_BEGIN, RUN_END, ENQUEUE = EventKind.RUN_BEGIN, EventKind.RUN_END, EventKind.ENQUEUE


def records(*rows: tuple[int, ...]) -> array.array:
    out = array.array("q")
    for row in rows:
        out.extend((row + (0,) * 6)[:6])
    return out


def test_the_handle_running_at_the_cut_keeps_its_run_end() -> None:
    admission = Admission()
    admission.limit = 3
    head, cut_t = admission.admit(
        records((RUN_END, 1, 6), (RUN_BEGIN, 2, 7), (ENQUEUE, 3, 8), (ENQUEUE, 4, 9))
    )
    assert cut_t == 4 and len(head) // 6 == 3
    later = admission.admit(records((ENQUEUE, 5, 10), (RUN_END, 6, 7), (RUN_BEGIN, 6, 11)))[0]
    assert list(later) == [RUN_END, 6, 7, 0, 0, 0], "only the open handle's end goes out"
    assert admission.admit(records((RUN_END, 7, 11)))[0].tolist() == [], "later ends do not"


def test_a_cut_between_handles_or_after_a_cancelled_one_lets_no_run_end_through() -> None:
    assert open_handles(records((RUN_BEGIN, 1, 5), (RUN_END, 2, 5), (ENQUEUE, 3, 6))) == {}
    assert open_handles(records((RUN_BEGIN, 1, 5, 0, 1))) == {}, "cancelled: never runs"
    two_loops = records((RUN_BEGIN, 1, 5), (pack_kind(RUN_BEGIN, 2), 2, 9))
    assert open_handles(two_loops) == {RUN_END: 5, pack_kind(RUN_END, 2): 9}


def test_the_buffers_high_water_mark_mid_handle_still_closes_it() -> None:
    admission = Admission()
    admission.admit(records((RUN_BEGIN, 1, 7), (ENQUEUE, 2, 8)))
    admission.reached = "buffer"  # what Recorder.trim does
    kept = admission.admit(records((ENQUEUE, 3, 9), (RUN_END, 4, 7)))[0]
    assert list(kept) == [RUN_END, 4, 7, 0, 0, 0]


def test_a_recording_cut_by_the_cap_shows_no_blocked_loop_afterwards() -> None:
    for limit in (20_001, 20_002, 20_003, 20_004):  # cuts at different records of a handle
        _recorder, data, _peak = record(limit, tasks=200, steps=100)
        model = Recording()
        model.feed(data)
        assert model.limit_reached is not None
        end = model.state_at(model.duration)
        assert end.running is None, f"cap {limit}: a handle is left running"
        assert end.stall is None, f"cap {limit}: the loop looks blocked at the end"


def test_a_real_loop_past_its_cap_ends_its_last_handle() -> None:
    recorder = Recorder()
    recorder.set_event_limit(50)
    loop = TracingEventLoop(recorder=recorder)

    async def spin() -> None:
        for _ in range(200):
            await asyncio.sleep(0)

    try:
        loop.run_until_complete(spin())
    finally:
        loop.close()
    _strings, sent, _messages = recorder.take()
    kinds = [k & 0xFFFF for k in sent[0::6]]
    begins = [sent[i * 6 + 2] for i, k in enumerate(kinds) if k == RUN_BEGIN]
    ends = [sent[i * 6 + 2] for i, k in enumerate(kinds) if k == RUN_END]
    assert begins and set(begins) <= set(ends), "every handle begun is ended"
