"""A whole-recording refresh waits ratio x its own cost: cheap ones run every frame."""

from __future__ import annotations

from loopviz.ui.cost_throttle import CostThrottle


def test_a_costly_refresh_waits_ten_times_its_cost_and_a_cheap_one_does_not() -> None:
    now = [100.0]
    throttle = CostThrottle(ratio=10.0, clock=lambda: now[0])
    assert throttle.due()
    began = throttle.start()
    now[0] += 0.5  # the refresh took half a second
    throttle.ran(began)
    now[0] += 4.9
    assert not throttle.due() and throttle.due(force=True)
    now[0] += 0.2
    assert throttle.due()
    began = throttle.start()
    throttle.ran(began)  # took no time: due again at once
    assert throttle.due()
    throttle.ran(throttle.start() - 1.0)
    throttle.reset()
    assert throttle.due()
