"""The tracer runs inside the watched program: stdlib and loopviz.protocol only (DESIGN.md)."""

import json
import subprocess
import sys


def test_importing_the_tracer_loads_no_qt_numpy_or_model():
    code = "import json, sys\nimport loopviz.tracer\nprint(json.dumps(sorted(sys.modules)))\n"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    loaded = set(json.loads(out))
    tops = {name.split(".")[0] for name in loaded}
    assert not tops & {"PySide6", "shiboken6", "pyqtgraph", "qasync", "numpy"}
    ours = {name for name in loaded if name.startswith("loopviz.")}
    assert all(name.startswith(("loopviz.tracer", "loopviz.protocol")) for name in ours), ours
