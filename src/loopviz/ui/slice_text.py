"""The words on a Gantt bar and in its hover: the recording's, with stalls said where they block.

The describer lives in the model (:mod:`loopviz.model.slice_words`) so that the
Chrome-trace export, which must not import Qt, labels a blocking step with the
same "blocked at file:line" words as the chart. This name stays for the chart.
"""

from __future__ import annotations

from loopviz.model.slice_words import SERIAL_COLUMN, SliceDescriber

__all__ = ["SERIAL_COLUMN", "SliceDescriber"]
