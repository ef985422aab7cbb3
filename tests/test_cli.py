"""The `negotiation` command, run through its real entry points."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import HISTORICAL, ROOT
from negotiation import Scenario
from negotiation.cli import main

CHECK_REPLAY_JSON = ROOT.parent / "shared" / "tools" / "check-replay-json"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "negotiation", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_console_script_replays_the_history() -> None:
    script = Path(sys.executable).parent / "negotiation"
    r = subprocess.run([str(script), "replay", str(HISTORICAL)], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr
    assert "kennedy-28-oct-letter" in r.stdout
    assert "side by side" in r.stdout


def test_replay_text_shows_changes_then_the_memo(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(HISTORICAL)]) == 0
    out = capsys.readouterr().out
    changes, memo = out.split("side by side", 1)
    assert "khrushchev-28-oct-letter" in changes
    assert "render-inoperable                  USSR   — → unchallenged (silence)" in changes
    assert "halt-further-introduction  [binding, divergent]" in memo
    assert "accepted (let US stand)" in memo
    assert "turkey-jupiter-removal  [divergent]" in memo


def test_replay_at_a_move_stops_there(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(HISTORICAL), "--at", "kennedy-27-oct-letter"]) == 0
    out = capsys.readouterr().out
    assert "rfk-dobrynin-27-oct" not in out
    assert "Terms after kennedy-27-oct-letter" in out


def test_replay_json_keeps_its_contract(historical: Scenario) -> None:
    r = run("replay", str(HISTORICAL), "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["scenario"] == "cuba-1962-historical"
    assert doc["parties"] == ["US", "USSR"]
    assert [s["move"] for s in doc["steps"]] == [m.id for m in historical.moves]
    for step in doc["steps"]:
        assert set(step["terms"]) == set(historical.catalogue.by_id)
        for term in step["terms"].values():
            assert isinstance(term["status"], str)
            assert set(term["stances"]) == set(term["formulations"]) == {"US", "USSR"}
    last = doc["steps"][-1]["terms"]["us-no-invasion-pledge"]
    assert last["status"] == "binding" and last["divergent"] is True
    assert last["stances"] == {"US": "affirmed", "USSR": "affirmed"}
    assert "Western Hemisphere" in last["formulations"]["USSR"]


@pytest.mark.skipif(not CHECK_REPLAY_JSON.exists(), reason="shared contract checker not beside the repo")
@pytest.mark.parametrize("extra", [[], ["--as", "USSR"], ["--as", "public"]])
def test_replay_json_passes_the_shared_contract_checker(extra: list[str]) -> None:
    r = subprocess.run(
        [sys.executable, str(CHECK_REPLAY_JSON), str(HISTORICAL), *extra],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 problems" in r.stdout


def test_replay_as_the_public_hides_the_back_channel() -> None:
    doc = json.loads(run("replay", str(HISTORICAL), "--json", "--as", "public").stdout)
    assert doc["viewer"] == "public"
    steps = {s["move"]: s for s in doc["steps"]}
    assert steps["rfk-dobrynin-27-oct"]["known"] is False
    assert steps["kennedy-27-oct-letter"]["known"] is True  # released to the press
    final = doc["steps"][-1]["terms"]["turkey-jupiter-removal"]
    assert final["stances"]["US"] == "disputed"


def test_replay_as_a_party_in_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(HISTORICAL), "--as", "US", "--at", "khrushchev-26-oct-letter"]) == 0
    out = capsys.readouterr().out
    assert "as US knew it" in out
    assert "(not yet known to US)" in out


def test_output_does_not_depend_on_the_hash_seed() -> None:
    outs = {
        run("replay", str(HISTORICAL), "--json", env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("0", "1", "4242")
    }
    assert len(outs) == 1


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["replay", "nope.toml"], ["nope.toml: cannot read the file"]),
        (["replay", str(HISTORICAL), "--at", "kennedy-27-oct"], ["no move 'kennedy-27-oct'", "did you mean"]),
        (
            ["replay", str(HISTORICAL), "--as", "Cuba2"],
            ["viewer 'Cuba2': is not a party", "did you mean 'Cuba'"],
        ),
    ],
)
def test_user_errors_are_one_line_and_exit_2(args: list[str], words: list[str]) -> None:
    r = run(*args)
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("negotiation: error: ")
    assert "Traceback" not in r.stderr
    for w in words:
        assert w in lines[0]


def test_illegal_move_in_a_file_names_file_move_and_act(tmp_path: Path) -> None:
    text = HISTORICAL.read_text(encoding="utf-8").replace(
        'verb = "ignore"\nmove = "khrushchev-27-oct-letter"', 'verb = "ignore"\nmove = "khrushchev-27-oct"'
    )
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    r = run("replay", str(bad))
    assert r.returncode == 2
    line = r.stderr.strip()
    assert f"{bad}: move 'kennedy-27-oct-letter': acts[12]" in line
    assert "no earlier move 'khrushchev-27-oct'" in line
    assert "did you mean 'khrushchev-27-oct-letter'" in line


def test_verbose_adds_the_location_details(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nid = "x"\n[[parties]]\nid = "A"\nrole = "thrid"\n', encoding="utf-8")
    for args in (["--verbose", "replay", str(bad)], ["replay", str(bad), "--verbose"]):
        r = run(*args)
        assert r.returncode == 2
        assert "Traceback" not in r.stderr
        assert "  field: parties.A.role" in r.stderr
    assert "field:" not in run("replay", str(bad)).stderr
