"""The edges of the command line every command shares: version, output file, standard input, a starter."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import HISTORICAL
from helpers import cli_bytes
from negotiation.native import core_name

COMMANDS_WITH_A_FILE = [
    ("replay", str(HISTORICAL)),
    ("check", str(HISTORICAL)),
    ("diff", str(HISTORICAL), str(HISTORICAL)),
    ("tree", str(HISTORICAL.parent)),
    ("graph", str(HISTORICAL)),
    ("report", str(HISTORICAL)),
    ("explore", str(HISTORICAL), "--depth", "1"),
]


def test_version_names_the_release_and_the_core() -> None:
    r = cli_bytes("--version")
    assert r.returncode == 0
    out = r.stdout.decode()
    core = "native core" if core_name() == "native" else "pure-Python core"
    assert out.startswith("negotiation ") and core in out and out.count("\n") == 1, out


@pytest.mark.parametrize("command", COMMANDS_WITH_A_FILE, ids=lambda c: c[0])
def test_every_command_writes_to_the_file_given_with_o(command: tuple[str, ...], tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    to_stdout = cli_bytes(*command)
    to_file = cli_bytes(*command, "-o", out)
    assert to_file.returncode == to_stdout.returncode, to_file.stderr
    assert to_file.stdout == b""
    assert out.read_bytes() == to_stdout.stdout  # the same bytes (no colour: neither is a terminal)
    assert not list(tmp_path.glob(".*partial"))


def test_a_failed_command_leaves_an_earlier_output_file_whole(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    out.write_text("kept\n")
    r = cli_bytes("replay", HISTORICAL, "--at", "no-such-move", "-o", out)
    assert r.returncode == 2 and b"no-such-move" in r.stderr
    assert out.read_text() == "kept\n"
    assert not list(tmp_path.glob(".*partial"))


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("how", ["stdout", "-o"])
def test_a_full_disk_is_one_line(how: str) -> None:
    if how == "-o":
        r = cli_bytes("replay", HISTORICAL, "-o", "/dev/full")
    else:
        with open("/dev/full", "wb") as full:
            r = subprocess.run(
                [sys.executable, "-m", "negotiation", "replay", str(HISTORICAL)],
                stdout=full,
                stderr=subprocess.PIPE,
                check=False,
            )
    assert r.returncode == 2
    lines = r.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "No space left on device" in lines[0], r.stderr


def test_an_output_in_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    r = cli_bytes("check", HISTORICAL, "-o", tmp_path / "no" / "out.txt")
    assert r.returncode == 2
    assert r.stderr.decode().strip().endswith("does not exist")


def test_a_dash_reads_the_scenario_from_standard_input() -> None:
    text = HISTORICAL.read_bytes()
    from_stdin = cli_bytes("replay", "-", "--at", "kennedy-27-oct-letter", stdin=text)
    from_file = cli_bytes("replay", HISTORICAL, "--at", "kennedy-27-oct-letter")
    assert from_stdin.returncode == 0, from_stdin.stderr
    assert from_stdin.stdout == from_file.stdout
    checked = cli_bytes("check", "-", stdin=text)
    assert checked.returncode == 0 and checked.stdout.startswith(b"<stdin>: 0 errors")


def test_standard_input_stands_for_one_file_only() -> None:
    r = cli_bytes("diff", "-", "-", stdin=HISTORICAL.read_bytes())
    assert r.returncode == 2
    assert b"'-' reads standard input, which holds one scenario" in r.stderr


def test_a_bad_scenario_on_standard_input_is_named_stdin() -> None:
    r = cli_bytes("replay", "-", stdin=b'[scenario]\nid = "x"\n')
    assert r.returncode == 2
    assert r.stderr.decode().startswith("negotiation: error: <stdin>:")


def test_new_writes_a_commented_starter_that_replays_and_checks_clean(tmp_path: Path) -> None:
    path = tmp_path / "talks.toml"
    r = cli_bytes("new", path)
    assert r.returncode == 0, r.stderr
    text = path.read_text()
    assert text.count("\n#") >= 5  # commented
    assert tomllib.loads(text)["scenario"]["id"] == "talks"
    assert cli_bytes("replay", path).returncode == 0
    checked = cli_bytes("check", path)
    assert checked.returncode == 0 and b"0 errors, 0 warnings" in checked.stdout


def test_new_does_not_replace_a_file_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / "talks.toml"
    path.write_text("mine\n")
    r = cli_bytes("new", path)
    assert r.returncode == 2 and b"exists already; give --force" in r.stderr
    assert path.read_text() == "mine\n"
    assert cli_bytes("new", path, "--force").returncode == 0
    assert "[scenario]" in path.read_text()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completion_completes_commands_and_options(tmp_path: Path) -> None:
    script = tmp_path / "negotiation.bash"
    r = cli_bytes("completion", "bash", "-o", script)
    assert r.returncode == 0, r.stderr

    def completed(*words: str) -> list[str]:
        line = " ".join(words)
        probe = (
            f"source {script}; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; "
            f'COMP_LINE="{line}"; COMP_POINT=${{#COMP_LINE}}; _shtab_negotiation; echo "${{COMPREPLY[@]}}"'
        )
        done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True)
        return done.stdout.split()

    assert completed("negotiation", "rep") == ["replay", "report"]
    assert "--order" in completed("negotiation", "explore", "--or")
    assert "--output" in completed("negotiation", "check", "--out")


def test_a_reader_that_stops_early_is_not_an_error(tmp_path: Path) -> None:
    err = tmp_path / "err.txt"
    r = subprocess.run(
        ["bash", "-c", f'"{sys.executable}" -m negotiation replay "{HISTORICAL}" --json 2>"{err}"'
         ' | head -c 10 >/dev/null; echo "${PIPESTATUS[0]}"'],  # more than a pipe holds
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert r.stdout.strip() == "0" and err.read_text() == ""


def test_o_writes_through_a_symlink_and_keeps_the_files_permissions(tmp_path: Path) -> None:
    real, link = tmp_path / "real.txt", tmp_path / "link.txt"
    real.write_text("old\n")
    real.chmod(0o640)  # neither what a temporary file gets (0600) nor a new file's default
    link.symlink_to(real)
    assert cli_bytes("replay", HISTORICAL, "-o", link).returncode == 0
    assert link.is_symlink() and b"kennedy-28-oct-letter" in real.read_bytes()
    assert real.stat().st_mode & 0o777 == 0o640
    fresh = tmp_path / "fresh.txt"
    assert cli_bytes("replay", HISTORICAL, "-o", fresh).returncode == 0
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask  # as any new file the user writes


def test_new_refuses_o_rather_than_leaving_an_empty_file(tmp_path: Path) -> None:
    r = cli_bytes("new", tmp_path / "s.toml", "-o", tmp_path / "other.txt")
    assert r.returncode == 2 and b"leave out -o" in r.stderr
    assert not (tmp_path / "other.txt").exists() and not (tmp_path / "s.toml").exists()


def test_a_log_on_standard_input_that_is_not_utf8_is_one_line() -> None:
    r = cli_bytes("import", "--from", "geniusweb", "-", stdin=b"\xff\xfe{")
    assert r.returncode == 2 and b"Traceback" not in r.stderr
    assert r.stderr.decode().strip() == "negotiation: error: <stdin>: not UTF-8 text (byte 0)"
