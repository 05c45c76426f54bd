"""Shared test setup.

Qt must render offscreen in every test (no display on CI machines). The
variable is *assigned*, not ``setdefault``-ed: an empty ``QT_QPA_PLATFORM=``
inherited from a shell would be kept and Qt would then abort on xcb
(shared/NOTES.md). Tests that want a real X window start their own
subprocess with ``QT_QPA_PLATFORM=xcb``.
"""

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
