"""The examples in docs/ run as written."""

from __future__ import annotations

import re
import shlex
import unittest

import pytest

from conftest import ROOT
from helpers import cli

DOC = (ROOT / "docs" / "property-testing.md").read_text(encoding="utf-8")


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC, flags=re.S)


def test_the_property_test_example_is_under_20_lines_and_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    example = _python_blocks()[0]
    assert len([line for line in example.splitlines() if line.strip()]) < 20
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    exec(compile(example, "docs/property-testing.md", "exec"), namespace)  # the documented example
    test = namespace["test_any_reply_keeps_the_negotiation_consistent"]
    test()  # type: ignore[operator]


def test_the_state_machine_example_builds_a_test_case() -> None:
    namespace: dict[str, object] = {}
    exec(compile(_python_blocks()[1], "docs/property-testing.md", "exec"), namespace)
    case = namespace["TestNegotiation"]
    assert isinstance(case, type) and issubclass(case, unittest.TestCase)


def test_the_exploration_example_prints_what_the_doc_shows(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = (ROOT / "docs" / "exploration.md").read_text(encoding="utf-8").split("## From Python")[1]
    code = re.findall(r"```python\n(.*?)```", doc, flags=re.S)[0]
    shown = doc.split("prints\n\n```\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(ROOT)
    exec(compile(code, "docs/exploration.md", "exec"), {})  # the documented example
    assert capsys.readouterr().out == shown


def test_the_preferences_example_prints_what_the_doc_shows() -> None:
    doc = (ROOT / "docs" / "preferences.md").read_text(encoding="utf-8").split("## A worked example")[1]
    command = re.findall(r"```sh\n(.*?)```", doc, flags=re.S)[0].strip()
    shown = doc.split("it prints\n\n```\n", 1)[1].split("```", 1)[0]
    argv = shlex.split(command)
    assert argv[0] == ".venv/bin/negotiation" and argv[-2] == "--figure"
    r = cli(*argv[1:-2], cwd=ROOT)  # the figure is the doc's own image, not redrawn here
    assert r.returncode == 0, r.stderr
    assert r.stdout[r.stdout.index("preferences '") :] == shown


def test_the_preferences_python_example_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = (ROOT / "docs" / "preferences.md").read_text(encoding="utf-8").split("## From Python")[1]
    code = re.findall(r"```python\n(.*?)```", doc, flags=re.S)[0]
    monkeypatch.chdir(ROOT)
    exec(compile(code, "docs/preferences.md", "exec"), {})  # the documented example
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out] == ["un-talks-a-cost", "un-talks-a-way-out"]
