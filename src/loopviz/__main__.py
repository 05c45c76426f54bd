"""``python -m loopviz`` — the same as the ``loopviz`` command."""

import sys

from loopviz.cli.main import main

sys.exit(main())
