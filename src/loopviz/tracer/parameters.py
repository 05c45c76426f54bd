"""Change a scenario's ``# param:`` constants for one run, without touching its file.

Why in the syntax tree: the lecturer changes ``DELAY = 1.0`` to 0.2 in the app
and presses Run; the scenario must run exactly as if the file said 0.2 (a
``main()`` called by the script's own ``asyncio.run`` reads the constant at
module level, before loopviz could patch any global). Replacing the literal
in the module's top-level assignment does that, and keeps every line number.
"""

from __future__ import annotations

import ast


class ParameterError(ValueError):
    """A parameter override names no top-level constant, or its value has the wrong type."""


def parse_assignment(text: str) -> tuple[str, str]:
    """``"DELAY=0.2"`` → ``("DELAY", "0.2")``."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip().isidentifier():
        raise ParameterError(f"a parameter is NAME=VALUE, not {text!r}")
    return name.strip(), value.strip()


def apply_overrides(tree: ast.Module, overrides: dict[str, str]) -> ast.Module:
    """Replace the literal of each named top-level ``NAME = literal`` with the new value.

    The new value keeps the type of the old one (int, float or str); a name that
    is not a top-level constant with a literal value is an error, so a typo in
    the app or on the command line never goes unnoticed.
    """
    left = dict(overrides)
    for node in tree.body:
        target, value = _constant(node)
        if target is None or target not in left or value is None:
            continue
        new = _convert(target, value.value, left.pop(target))
        node.value = ast.copy_location(ast.Constant(new), value)  # type: ignore[union-attr]
    if left:
        names = ", ".join(sorted(left))
        raise ParameterError(f"no top-level constant to set: {names}")
    return tree


def _constant(node: ast.stmt) -> tuple[str | None, ast.Constant | None]:
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target, value = node.targets[0], node.value
    elif isinstance(node, ast.AnnAssign) and node.value is not None:
        target, value = node.target, node.value
    else:
        return None, None
    if not isinstance(target, ast.Name):
        return None, None
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.USub):
        operand = value.operand
        if isinstance(operand, ast.Constant) and isinstance(operand.value, int | float):
            return target.id, ast.copy_location(ast.Constant(-operand.value), value)
    if isinstance(value, ast.Constant) and isinstance(value.value, int | float | str):
        return target.id, value
    return target.id, None


def _convert(name: str, old: object, text: str) -> int | float | str:
    if isinstance(old, bool) or not isinstance(old, int | float | str):
        raise ParameterError(f"{name} is not a number or a string")
    if isinstance(old, str):
        return text
    try:
        return int(text) if isinstance(old, int) else float(text)
    except ValueError:
        kind = "a whole number" if isinstance(old, int) else "a number"
        raise ParameterError(f"{name} must be {kind}, not {text!r}") from None
