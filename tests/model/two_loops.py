"""Two event loops in two threads, recorded into one stream: the steps tests' shared workload."""

from __future__ import annotations

from loopviz.model.synthetic import Sim, StreamWriter, run_together


def two_loop_stream() -> StreamWriter:
    """Loop 1 gathers three tasks of 10 spins, loop 2 (started 3 ms later) two of 8."""
    w = StreamWriter()
    first = Sim(w, loop=1, scenario="two.py")
    second = Sim(w, loop=2, hello=False, scenario="two.py", start_ns=first.now + 3_000_000)

    def spin(sim: Sim, n: int, pause: float):
        for _ in range(n):
            yield from sim.sleep(pause)
            yield from sim.sleep(0)

    def main_a(sim: Sim):
        yield from sim.gather(*[sim.create_task(spin, 10, 0.003) for _ in range(3)])

    def main_b(sim: Sim):
        yield from sim.gather(*[sim.create_task(spin, 8, 0.002) for _ in range(2)])

    first.start(main_a)
    second.start(main_b)
    run_together([first, second])
    return w
