"""The examples in docs/ run as written."""

from __future__ import annotations

import re
import unittest

import pytest

from conftest import ROOT

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
