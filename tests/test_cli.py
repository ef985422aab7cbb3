"""The `negotiation` command, run through its real entry points."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from conftest import HISTORICAL, ROOT
from helpers import drain
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
    assert "turkey-jupiter-removal  [awaiting-consent, divergent]" in memo


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
            ["--as 'Cuba2': is not a party", "did you mean 'Cuba'"],
        ),
        # A streamed document fails before its first byte, not half-written.
        (["replay", str(HISTORICAL), "--json", "--as", "Cuba2"], ["--as 'Cuba2': is not a party"]),
        (["replay", str(HISTORICAL), "--json", "--compact", "--at", "nope"], ["no move 'nope'"]),
        (
            ["replay", str(HISTORICAL), "--compact"],
            ["--compact shapes the JSON document: give it with --json"],
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


# -- reports, graphs and colour ---------------------------------------------------------------

SWAP = ROOT / "scenarios" / "cuba-1962" / "turkey-swap.toml"
ESC = "\x1b["


def one_line_error(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode == 2, r.stderr
    assert r.stdout == ""
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("negotiation: error: "), r.stderr
    return lines[0]


def test_console_script_writes_the_report_with_a_comparison(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "negotiation"
    out = tmp_path / "report.html"
    r = subprocess.run(
        [str(script), "report", str(HISTORICAL), "--compare", str(SWAP), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout == "" and r.stderr == ""
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")
    assert '<table class="lanes" data-table="main"' in page
    assert '<table class="lanes" data-table="compare"' in page
    assert '<table class="memo">' in page and '<svg class="graph"' in page


def test_report_goes_to_standard_output_without_o(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(HISTORICAL), "--as", "public"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("<!DOCTYPE html>")
    assert '<div class="ngr" data-view="public">' in page


def test_report_bytes_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    pages = set()
    for seed in ("0", "4242"):
        out = tmp_path / f"r{seed}.html"
        r = run("report", str(HISTORICAL), "-o", str(out), env={**os.environ, "PYTHONHASHSEED": seed})
        assert r.returncode == 0, r.stderr
        pages.add(out.read_bytes())
    assert len(pages) == 1


def test_report_of_histories_with_no_common_move_says_so(tmp_path: Path) -> None:
    other = tmp_path / "other.toml"
    other.write_text(
        '[scenario]\nid = "other"\n[[parties]]\nid = "A"\n[[parties]]\nid = "B"\n'
        '[[terms]]\nid = "t"\nobligors = ["B"]\ntext = "B does t"\n'
        '[[moves]]\nid = "m"\nauthor = "A"\naddressees = ["B"]\nacts = [{verb = "propose", term = "t"}]\n',
        encoding="utf-8",
    )
    out = tmp_path / "r.html"
    r = run("report", str(HISTORICAL), "--compare", str(other), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert r.stderr.startswith("negotiation: note: ") and "share no move" in r.stderr
    assert "These two histories share no move" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["dot", "graphml", "json", "mermaid"])
def test_graph_command_writes_each_format(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"terms.{fmt}"
    assert main(["graph", str(HISTORICAL), "--format", fmt, "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    if fmt == "graphml":
        g = nx.read_graphml(out, force_multigraph=True)
        assert g.has_edge("turkey-jupiter-removal", "soviet-remove-offensive-weapons")
    elif fmt == "json":
        doc = json.loads(text)
        assert {
            "source": "turkey-jupiter-removal",
            "target": "soviet-remove-offensive-weapons",
        }.items() <= next(e for e in doc["edges"] if e["source"] == "turkey-jupiter-removal").items()
    elif fmt == "dot":
        assert '"turkey-jupiter-removal" -> "soviet-remove-offensive-weapons"' in text
    else:
        assert text.startswith("flowchart RL") and '-->|"USSR condition"|' in text


def test_graph_of_states_to_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", str(HISTORICAL), "--states", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["nodes"]) == 21  # the start and one state per move
    assert doc["edges"][-1]["move"] == "kennedy-28-oct-letter"
    assert main(["graph", str(HISTORICAL), "--at", "khrushchev-26-oct-letter"]) == 0
    assert "kennedy-27-oct-letter" not in capsys.readouterr().out  # no condition set by later letters


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["report", str(HISTORICAL), "-o", "no/such/folder/r.html"],
            ["no/such/folder/r.html: cannot write", "folder"],
        ),
        (["graph", str(HISTORICAL), "-o", "no-such-folder/g.dot"], ["no-such-folder/g.dot: cannot write"]),
        (["graph", str(HISTORICAL), "-o", "."], [".: cannot write: it is a folder"]),
        (["graph", str(HISTORICAL), "--format", "svg"], ["--format 'svg': unknown format", "dot, graphml"]),
        (["graph", str(HISTORICAL), "--format", "graphm"], ["did you mean 'graphml'"]),
        (["graph", str(HISTORICAL), "--states", "--at", "kennedy-27-oct-letter"], ["--at and --states"]),
        (["report", str(HISTORICAL), "--as", "Cubba"], ["--as 'Cubba': no such view", "did you mean 'Cuba'"]),
        (["report", str(HISTORICAL), "--compare", "nope.toml"], ["nope.toml: cannot read the file"]),
        (["report", "nope.toml", "-o", "r.html"], ["nope.toml: cannot read the file"]),
    ],
)
def test_report_and_graph_mistakes_are_one_line_and_exit_2(args: list[str], words: list[str]) -> None:
    line = one_line_error(run(*args))
    for w in words:
        assert w in line


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    "args",
    [
        ["replay", str(HISTORICAL)],
        ["diff", str(HISTORICAL), str(SWAP)],
        ["check", str(HISTORICAL), str(SWAP)],
    ],
)
def test_tables_and_colour_only_on_a_terminal_unless_asked(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    main(args)
    plain = capsys.readouterr().out
    assert ESC not in plain  # not a terminal: today's plain text
    main([*args, "--color"])
    forced = capsys.readouterr().out
    assert ESC in forced and forced != plain
    for extra, env in (([], None), (["--no-color"], None), ([], "1")):
        terminal = _Terminal()
        monkeypatch.setattr(sys, "stdout", terminal)
        if env is None:
            monkeypatch.delenv("NO_COLOR", raising=False)
        else:
            monkeypatch.setenv("NO_COLOR", env)
        main([*args, *extra])
        if extra or env:
            assert terminal.getvalue() == plain, (extra, env)
        else:
            assert ESC in terminal.getvalue()


def test_plain_text_is_what_render_writes(capsys: pytest.CaptureFixture[str], historical: Scenario) -> None:
    from negotiation.render.text import replay_text

    main(["replay", str(HISTORICAL), "--no-color"])
    assert capsys.readouterr().out == replay_text(historical, historical.replay())


def test_a_real_terminal_gets_colour_and_no_color_turns_it_off() -> None:
    pty = pytest.importorskip("pty")
    piped = run("check", str(HISTORICAL)).stdout
    for env, coloured in (({}, True), ({"NO_COLOR": "1"}, False)):
        leader, follower = pty.openpty()
        environ = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        # Read while the command writes: its output is larger than a terminal's buffer.
        proc = subprocess.Popen(
            [sys.executable, "-m", "negotiation", "check", str(HISTORICAL)],
            stdout=follower,
            stderr=subprocess.PIPE,
            env={**environ, "TERM": "xterm-256color", "COLUMNS": "160", **env},
        )
        os.close(follower)
        out = drain(leader)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert (ESC in out) is coloured
        if not coloured:
            assert out == piped


def test_colour_never_touches_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(HISTORICAL), "--json", "--color"]) == 0
    out = capsys.readouterr().out
    assert ESC not in out
    assert json.loads(out)["scenario"] == "cuba-1962-historical"


def test_color_and_no_color_exclude_each_other() -> None:
    r = run("replay", str(HISTORICAL), "--color", "--no-color")
    assert r.returncode == 2
    assert "not allowed with argument" in r.stderr
