"""Scenario file formats: format 1 files load as they are, and `negotiation upgrade` declares format 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from negotiation import ScenarioError, load_scenario, loads_scenario
from negotiation.cli import main
from negotiation.io.check import check_file

OLD = """# A comment the upgrade must keep.
[scenario]   # and this one
id = "old"

[[parties]]
id = "A"

[[parties]]
id = "B"

[[terms]]
id = "x"
obligors = ["B"]
text = "B does x"

[[moves]]
id = "m"
author = "A"
addressees = ["B"]

[[moves.acts]]
verb = "propose"
term = "x"
"""


def test_a_file_without_a_format_is_format_1_and_reads_as_before() -> None:
    old = loads_scenario(OLD, "old.toml")
    assert old.format == 1
    assert loads_scenario(OLD.replace('id = "old"', 'format = 2\nid = "old"'), "new.toml") == old


def test_upgrade_adds_the_format_line_and_nothing_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "old.toml"
    path.write_text(OLD, encoding="utf-8")
    assert main(["upgrade", "--check", str(path)]) == 1
    assert path.read_text(encoding="utf-8") == OLD  # --check writes nothing
    assert main(["upgrade", str(path)]) == 0
    new = path.read_text(encoding="utf-8")
    assert new == OLD.replace("[scenario]   # and this one\n", "[scenario]   # and this one\nformat = 2\n")
    assert load_scenario(path).format == 2 and load_scenario(path) == loads_scenario(OLD, str(path))
    assert main(["upgrade", "--check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "needs: negotiation upgrade" in out and "upgraded to format 2" in out and "format 2 already" in out


def test_check_notes_an_old_format(tmp_path: Path) -> None:
    path = tmp_path / "old.toml"
    path.write_text(OLD, encoding="utf-8")
    notes = [f for f in check_file(str(path)).findings if f.code == "old-format"]
    assert len(notes) == 1 and "negotiation upgrade" in notes[0].message


@pytest.mark.parametrize(
    ("value", "words"),
    [("3", "format 3 is newer than this version of negotiation reads"), ('"2"', "must be a format version")],
)
def test_a_format_this_version_cannot_read_is_one_clear_error(value: str, words: str) -> None:
    with pytest.raises(ScenarioError, match=words) as caught:
        loads_scenario(OLD.replace('id = "old"', f'format = {value}\nid = "old"'), "f.toml")
    assert caught.value.field == "scenario.format"


def test_every_shipped_scenario_is_in_the_current_format() -> None:
    for path in sorted((ROOT / "scenarios").rglob("*.toml")):
        assert load_scenario(path).format == 2, path
