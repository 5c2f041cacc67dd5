"""The examples in python/README.md run and print what their comments say."""

import contextlib
import io
import os
import pathlib
import re

import pytest

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"
REPOSITORY = README.parents[1]


def _python_blocks():
    return re.findall(r"^```python\n(.*?)^```$", README.read_text(), flags=re.S | re.M)


def _run(code):
    output = io.StringIO()
    cwd = os.getcwd()
    os.chdir(REPOSITORY)  # the examples use repository-relative paths
    try:
        with contextlib.redirect_stdout(output):
            exec(compile(code, str(README), "exec"), {})
    finally:
        os.chdir(cwd)
    return output.getvalue()


def test_use_example():
    block = next(b for b in _python_blocks() if "engine.check(" in b)
    lines = _run(block).splitlines()
    assert lines[0] == "True high ['secrecy']"
    for expected in ("http://example.com/b", "10-12", "{'start': '21:00', 'end': '07:00'}", "2 CS_ERR_INVALID_UTF8"):
        assert expected in lines


def test_evaluation_example():
    pytest.importorskip("pandas", reason="the README's evaluation example uses pandas")
    block = next(b for b in _python_blocks() if "childsafe.evaluate(" in b)
    assert "precision" in _run(block)
