"""Bad input found by hand: each gets one clear line naming the file, the field and the fix.

Run through the real command, as a user meets them.
"""

from __future__ import annotations

import time
from pathlib import Path

from helpers import cli

BASE = """
[scenario]
id = "b"

[[parties]]
id = "A"

[[parties]]
id = "B"

[[terms]]
id = "x"
obligors = ["B"]
text = "B does x"

[[terms]]
id = "y"
obligors = ["A"]
text = "A does y"

[[moves]]
id = "zeta"
author = "A"
addressees = ["B"]

[[moves.acts]]
verb = "propose"
term = "x"

[[moves]]
id = "alpha"
author = "B"
addressees = ["A"]

[[moves.acts]]
verb = "accept"
term = "x"
"""


def error_of(*args: str | Path) -> str:
    r = cli(*args)
    assert r.returncode != 0, r.stdout
    assert "Traceback" not in r.stderr, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    return lines[0]


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_a_string_where_an_array_of_ids_belongs_is_refused_with_the_array_to_write(tmp_path: Path) -> None:
    path = write(tmp_path, "s.toml", BASE.replace('obligors = ["B"]', 'obligors = "B"'))
    line = error_of("replay", path)
    assert "s.toml" in line and "'terms.x.obligors'" in line
    assert "must be an array of ids, not a string" in line and 'write obligors = ["B"]' in line


def test_a_byte_order_mark_is_read_past(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.toml", b"\xef\xbb\xbf" + BASE.encode())
    plain = write(tmp_path, "plain.toml", BASE)
    with_mark, without = cli("replay", path), cli("replay", plain)
    assert with_mark.returncode == 0, with_mark.stderr
    assert with_mark.stdout == without.stdout


def test_an_unknown_party_in_received_names_that_field(tmp_path: Path) -> None:
    text = BASE.replace('addressees = ["B"]\n', 'addressees = ["B"]\nreceived = { Q = 1962-10-27 }\n', 1)
    line = error_of("replay", write(tmp_path, "r.toml", text))
    assert "r.toml: move 'zeta': field 'received.Q': names unknown party 'Q'" in line


def test_a_missing_base_names_the_branch_and_its_base_field(tmp_path: Path) -> None:
    write(tmp_path, "base.toml", BASE)
    branch = write(tmp_path, "branch.toml", '[scenario]\nid = "br"\nbase = "nope.toml"\n')
    line = error_of("replay", branch)
    assert "branch.toml: field 'scenario.base': no file 'nope.toml'" in line


def test_a_folder_as_base_names_the_branch_and_its_base_field(tmp_path: Path) -> None:
    (tmp_path / "adir").mkdir()
    branch = write(tmp_path, "branch.toml", '[scenario]\nid = "br"\nbase = "adir"\n')
    line = error_of("replay", branch)
    assert "branch.toml: field 'scenario.base': 'adir' is a folder, not a scenario file" in line


def test_a_branch_redefining_a_base_term_is_told_where_in_its_own_file(tmp_path: Path) -> None:
    write(tmp_path, "base.toml", BASE)
    branch = write(
        tmp_path,
        "branch.toml",
        '[scenario]\nid = "br"\nbase = "base.toml"\n\n'
        '[[terms]]\nid = "z"\nobligors = ["A"]\ntext = "A does z"\n\n'
        '[[terms]]\nid = "y"\nobligors = ["A"]\ntext = "A does y again"\n',
    )
    line = error_of("replay", branch)
    assert "branch.toml: field 'terms[1].id': term 'y' is already declared in the base" in line


def test_hints_list_move_ids_in_replay_order(tmp_path: Path) -> None:
    text = BASE + '\n[[moves]]\nid = "mid"\nauthor = "A"\naddressees = ["B"]\n\n'
    text += '[[moves.acts]]\nverb = "ignore"\nmove = "omega"\n'
    line = error_of("replay", write(tmp_path, "h.toml", text))
    assert "no earlier move 'omega'" in line and "(known move ids: zeta, alpha)" in line


def test_a_very_long_term_text_replays_quickly_and_is_shown_cut_with_its_length(tmp_path: Path) -> None:
    long = "B does x. " * 200_000  # 2 MB
    path = write(tmp_path, "long.toml", BASE.replace('text = "B does x"', f'text = "{long}"'))
    started = time.perf_counter()
    r = cli("replay", path)
    took = time.perf_counter() - started
    assert r.returncode == 0, r.stderr
    assert f"… ({len(long):,} characters in all)" in r.stdout
    assert len(r.stdout) < 20_000
    assert took < 10  # wrapping the whole text took seconds per cell


def test_a_divergence_in_conditions_says_so_beside_the_one_wording(tmp_path: Path) -> None:
    text = BASE.replace('verb = "accept"\nterm = "x"\n', 'verb = "accept"\nterm = "x"\nconditions = ["y"]\n')
    r = cli("check", write(tmp_path, "c.toml", text))
    assert "Traceback" not in r.stderr
    line = next(ln for ln in r.stdout.splitlines() if "different formulations" in ln)
    assert "differing in conditions (A: none; B: y), in the same wording 'B does x'" in line
