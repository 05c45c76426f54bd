"""A lecturer changes a scenario's '# param:' constants for one run; the file stays as it is."""

from __future__ import annotations

import ast

import pytest

import loopviz
from loopviz.model import State
from loopviz.tracer.parameters import ParameterError, apply_overrides, parse_assignment
from tests.runner.lessons import scenario, spans, user_tasks

SOURCE = 'DELAY = 1.0  # param: seconds\nCOUNT: int = 5\nNAME = "x"\nOFFSET = -2\nFLAG = True\n'


def values(tree: ast.Module) -> dict[str, object]:
    namespace: dict[str, object] = {}
    exec(compile(tree, "<test>", "exec"), namespace)
    return {k: v for k, v in namespace.items() if k.isupper()}


def test_overrides_keep_each_constants_type() -> None:
    tree = apply_overrides(
        ast.parse(SOURCE), {"DELAY": "0.2", "COUNT": "3", "NAME": "y", "OFFSET": "4"}
    )
    assert values(tree) == {"DELAY": 0.2, "COUNT": 3, "NAME": "y", "OFFSET": 4, "FLAG": True}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"NOPE": "1"}, "no top-level constant to set: NOPE"),
        ({"COUNT": "2.5"}, "COUNT must be a whole number"),
        ({"DELAY": "soon"}, "DELAY must be a number"),
        ({"FLAG": "False"}, "FLAG is not a number or a string"),
    ],
)
def test_bad_overrides_say_what_is_wrong(overrides: dict[str, str], message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        apply_overrides(ast.parse(SOURCE), overrides)


def test_assignment_text_is_name_equals_value() -> None:
    assert parse_assignment(" DELAY = 0.5 ") == ("DELAY", "0.5")
    with pytest.raises(ParameterError):
        parse_assignment("0.5")


@pytest.mark.slow
def test_shorter_delay_makes_the_sequential_lesson_shorter() -> None:
    path = scenario("01_sequential_awaits.py")
    recording = loopviz.record(path, params={"DELAY": 0.2, "REQUESTS": 3})
    (main,) = user_tasks(recording, path)
    waits = [w for w in spans(recording, main, State.WAITING) if w[1] - w[0] > 0.1]
    assert len(waits) == 3
    assert all(0.18 < end - start < 0.4 for start, end in waits)


@pytest.mark.slow
def test_an_unknown_parameter_is_a_load_error_naming_it() -> None:
    recording = loopviz.record(scenario("01_sequential_awaits.py"), params={"NOPE": 1})
    assert recording.outcome is not None
    assert recording.outcome.outcome == "load_error"
    assert "NOPE" in recording.outcome.detail
