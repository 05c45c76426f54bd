"""Which files are the user's: the scenario's, not the stdlib's, a library's or loopviz's."""

import asyncio
import os
import sysconfig

import loopviz
from loopviz.tracer import is_user_file


def test_user_and_library_files():
    assert is_user_file(__file__)
    assert is_user_file("/home/lecturer/scenarios/demo.py")
    assert not is_user_file(asyncio.__file__)
    assert not is_user_file(os.path.join(sysconfig.get_paths()["purelib"], "requests", "api.py"))
    assert not is_user_file("/usr/lib/python3/dist-packages/foo.py")
    assert not is_user_file(loopviz.__file__)
    assert not is_user_file("<frozen importlib._bootstrap>")
    assert not is_user_file("<string>")


def test_bundled_scenarios_of_an_installed_copy_are_user_files():
    package = os.path.dirname(os.path.abspath(loopviz.__file__))
    bundled = os.path.join(package, "_bundled", "scenarios", "01_sequential_awaits.py")
    assert is_user_file(bundled)
    assert not is_user_file(os.path.join(package, "tracer", "loop.py"))
