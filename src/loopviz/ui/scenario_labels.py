"""How a scenario is named on screen: list, header, status bar and window title agree."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loopviz.catalog import ScenarioInfo


def plain_title(info: ScenarioInfo) -> str:
    """The scenario's title, falling back to its file name when the docstring has none."""
    return info.title.strip() or info.path.name


def display_title(info: ScenarioInfo) -> str:
    """Title with its course number ("2. Coroutines are not tasks"), bare title otherwise."""
    if info.order is not None:
        return f"{info.order}. {plain_title(info)}"
    return plain_title(info)


def first_sentence(text: str) -> str:
    """The first sentence of an explanation, for the list's second line."""
    flat = " ".join(text.split())
    for end in (". ", "! ", "? "):
        index = flat.find(end)
        if index != -1:
            return flat[: index + 1]
    return flat
