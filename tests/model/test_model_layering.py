"""``loopviz.model`` stays usable headless: no Qt, only the protocol, numpy and the stdlib."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_model_pulls_in_no_qt():
    code = (
        "import sys, loopviz.model, loopviz.model.synthetic, loopviz.protocol\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'PyQt5', 'PyQt6', 'shiboken6', 'pyqtgraph', 'qasync')]\n"
        "ours = {m.split('.')[1] for m in sys.modules if m.startswith('loopviz.')}\n"
        "print(bad, sorted(ours))\n"
        "assert not bad, bad\n"
        "assert ours <= {'model', 'protocol'}, ours\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
