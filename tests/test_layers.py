"""The layer rule (DESIGN.md): the recording side never loads Qt.

The runner process imports the tracer into the program being watched; pulling
Qt in there would slow every run and could change what the program sees. The
check runs in a fresh interpreter so nothing imported by other tests hides it.
"""

import json
import subprocess
import sys

FORBIDDEN = ("PySide6", "shiboken6", "pyqtgraph", "qasync")


def test_protocol_tracer_model_runner_import_no_qt() -> None:
    code = (
        "import json, sys\n"
        "import loopviz, loopviz.protocol, loopviz.tracer, loopviz.model, loopviz.runner\n"
        "import loopviz.catalog, loopviz.localhttp, loopviz.tracer.child\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    loaded = set(json.loads(out))
    assert not loaded & set(FORBIDDEN), f"Qt-side modules loaded: {loaded & set(FORBIDDEN)}"


def test_cli_help_and_version_need_no_qt() -> None:
    code = (
        "import json, sys, contextlib, io\n"
        "from loopviz.cli.main import main\n"
        "for argv in (['--help'], ['--version'], ['record', '--help']):\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        try:\n"
        "            main(argv)\n"
        "        except SystemExit:\n"
        "            pass\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert not set(json.loads(out)) & set(FORBIDDEN)
