"""Turn a scenario docstring's light markup into Qt rich text.

Docstrings use Markdown-style backticks for code (`await`, `asyncio.gather`);
shown as monospace they read as code on the projector too. Everything else is
escaped, so a scenario cannot inject markup into the UI.
"""

from __future__ import annotations

import html
import re

_CODE = re.compile(r"`([^`]+)`")


def inline_html(text: str) -> str:
    """Escape ``text`` and render `backticked` spans in a monospace font."""
    escaped = html.escape(" ".join(text.split()))
    return _CODE.sub(r"<code style='font-family: monospace'>\1</code>", escaped)


def paragraphs_html(text: str) -> str:
    """Like :func:`inline_html`, keeping blank-line paragraph breaks and "- " bullets."""
    blocks = [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    parts = []
    for block in blocks:
        lines = block.splitlines()
        if any(line.lstrip().startswith("- ") for line in lines):
            parts.append(_bullets(lines))
        else:
            parts.append(f"<p>{inline_html(block)}</p>")
    return "".join(parts)


def _bullets(lines: list[str]) -> str:
    lead: list[str] = []
    items: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("- "):
            items.append(stripped[2:])
        elif items:
            items[-1] += " " + stripped
        else:
            lead.append(stripped)
    head = f"<p>{inline_html(' '.join(lead))}</p>" if lead else ""
    return head + "<ul>" + "".join(f"<li>{inline_html(item)}</li>" for item in items) + "</ul>"
