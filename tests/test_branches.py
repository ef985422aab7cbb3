"""Counterfactual branches: forks in Python, branch files, diffs, and the shipped what-ifs."""

from __future__ import annotations

import json
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import HISTORICAL, ROOT
from helpers import History, act, catalogue, fingerprint, move
from negotiation import (
    PUBLIC,
    SUPPORTING,
    IllegalMove,
    Move,
    ScenarioError,
    Stance,
    Status,
    Timeline,
    apply,
    diff,
    load_scenario,
    outcome,
    replay,
    term_status,
)
from negotiation.io.check import check_file
from negotiation.testing.strategies import histories, legal_moves

CUBA = ROOT / "scenarios" / "cuba-1962"


def _continuation(data: st.DataObject, timeline: Timeline, at: int, prefix: str) -> list[Move]:
    """Up to three legal moves from the state after step `at` (-1: the start), with fresh ids."""
    state = timeline.step_at(at).state if at >= 0 else timeline.initial
    moves = []
    for i in range(data.draw(st.integers(1, 3))):
        m = data.draw(legal_moves(state, move_id=f"{prefix}{i}"))
        if m is None:
            continue
        state = apply(state, m)
        moves.append(m)
    return moves


# -- forks in Python --------------------------------------------------------------------------


@given(histories(min_moves=1), st.data())
def test_forking_never_changes_the_parent(history: History, data: st.DataObject) -> None:
    """A fork at any point, with any legal continuation, leaves every parent state as it was."""
    cat, moves = history
    parent = replay(moves, cat)
    before = [fingerprint(s.state) for s in parent]
    at = data.draw(st.integers(-1, len(moves) - 1))
    child = parent.fork(moves[at].id if at >= 0 else None, _continuation(data, parent, at, "alt"))
    assert [fingerprint(s.state) for s in parent] == before
    assert parent == replay(moves, cat)
    assert len(child) == at + 1 + len(child.own)


@given(histories(min_moves=1), st.data())
def test_a_fork_shares_its_prefix_and_equals_a_full_replay(history: History, data: st.DataObject) -> None:
    """The fork's first steps are the parent's own objects; its states equal replaying from scratch."""
    cat, moves = history
    parent = replay(moves, cat)
    at = data.draw(st.integers(0, len(moves) - 1))
    extra = _continuation(data, parent, at, "alt")
    child = parent.fork(moves[at].id, extra)
    for i in range(at + 1):
        assert child.step_at(i) is parent.step_at(i)
    assert child == replay([*moves[: at + 1], *extra], cat)
    grandchild = child.fork(moves[at].id, [])
    assert grandchild.base is parent  # a fork of a fork points past what it does not use
    assert grandchild == parent.until(moves[at].id)


@given(histories(min_moves=2), st.data())
def test_diff_finds_the_first_divergence(history: History, data: st.DataObject) -> None:
    """For a history and a fork of it, diff names the fork point and both first differing moves."""
    cat, moves = history
    a = replay(moves, cat)
    at = data.draw(st.integers(-1, len(moves) - 2))
    extra = _continuation(data, a, at, "alt")
    b = a.fork(moves[at].id if at >= 0 else None, extra)
    d = diff(a, b)
    assert d.common == (moves[at].id if at >= 0 else None)
    assert d.first_a == moves[at + 1].id
    assert d.first_b == (extra[0].id if extra else None)
    same = diff(a, a)
    assert (same.first_a, same.first_b, same.terms) == (None, None, ())


def test_drop_replays_the_rest_without_the_move() -> None:
    t = replay(
        [
            move("p", "A", act("propose", "x")),
            move("q", "A", act("propose", "y")),
            move("r", "B", act("accept", "y")),
        ],
        catalogue(),
    )
    dropped = t.drop("p")
    assert [m.id for m in dropped.moves] == ["q", "r"]
    assert dropped.final.stance("x", "A") is None
    assert dropped.final.stance("y", "B") is Stance.ACCEPTED
    assert [m.id for m in t.moves] == ["p", "q", "r"]


def test_dropping_a_move_others_rest_on_is_an_illegal_move() -> None:
    t = replay([move("p", "A", act("propose", "x")), move("b", "B", act("accept", "x"))], catalogue())
    with pytest.raises(IllegalMove) as info:
        t.drop("p")
    assert (info.value.move_id, info.value.rule) == ("b", "not-on-table")


def test_replace_swaps_one_move_and_keeps_the_rest() -> None:
    t = replay([move("p", "A", act("propose", "x")), move("b", "B", act("accept", "x"))], catalogue())
    r = t.replace("b", move("b2", "B", act("reject", "x")))
    assert [m.id for m in r.moves] == ["p", "b2"]
    assert term_status(r.final, "x") is Status.REJECTED
    assert term_status(t.final, "x") is Status.AGREED


# -- branch files -----------------------------------------------------------------------------

BRANCHES = ["turkey-swap", "coda", "leak", "holdout", "no-back-channel"]


@pytest.mark.parametrize("name", BRANCHES)
def test_a_branch_file_equals_the_same_fork_in_python(name: str) -> None:
    branch = load_scenario(CUBA / f"{name}.toml")
    base = load_scenario(HISTORICAL).replay()
    if branch.drop:
        python = base
        for d in branch.drop:
            python = python.drop(d)
    else:
        python = base.fork(branch.fork_after, branch.own_moves)
    assert branch.replay() == python


def test_the_turkey_swap_file_equals_the_scripted_example() -> None:
    example = runpy.run_path(str(ROOT / "examples" / "turkey_swap.py"))
    scripted = example["accept_the_swap"](load_scenario(HISTORICAL).replay())
    branch = load_scenario(CUBA / "turkey-swap.toml").replay()
    # The file's moves carry titles and notes the script leaves out; the positions must agree.
    assert [(s.state.terms, s.state.pending) for s in branch.steps] == [
        (s.state.terms, s.state.pending) for s in scripted.steps
    ]


def test_turkey_swap_binds_the_pledges_and_leaves_the_jupiters_to_the_allies() -> None:
    """The swap is agreed between the principals, but the Jupiters were Turkey's and NATO's to
    let go: the removal awaits their consent, the Soviet removal conditioned on it is not yet
    secured, and check warns (acknowledged with the branch's reason)."""
    scenario = load_scenario(CUBA / "turkey-swap.toml")
    final = scenario.replay().final
    o = outcome(final)
    assert o.verdict == "agreement"
    assert {"turkey-non-aggression", "us-no-invasion-pledge"} <= set(o.secured)
    assert "turkey-non-aggression" in o.by_status[Status.BINDING]
    assert o.by_status[Status.AWAITING_CONSENT] == ("un-verification", "turkey-jupiter-removal")
    removal = "soviet-remove-offensive-weapons"  # conditional on the Jupiters
    assert removal in o.agreed and removal not in o.secured
    report = check_file(CUBA / "turkey-swap.toml")
    found = [
        f for f in report.findings if f.code == "missing-consent" and f.terms == ("turkey-jupiter-removal",)
    ]
    assert [(f.terms, f.parties, f.move) for f in found] == [
        (("turkey-jupiter-removal",), ("Turkey", "NATO"), "kennedy-27-oct-accepts-swap")
    ]
    assert found[0].acknowledged is not None


def test_coda_soviet_and_public_views_differ_on_the_jupiters() -> None:
    t = load_scenario(CUBA / "coda.toml").replay()
    soviet, public = t.state_as_known_by("USSR"), t.state_as_known_by(PUBLIC)
    # Bound between Washington and Moscow, still short of the allies' consent.
    assert term_status(soviet, "turkey-jupiter-removal") is Status.AWAITING_CONSENT
    assert soviet.stance("turkey-jupiter-removal", "US") is Stance.AFFIRMED
    assert soviet.stance("turkey-jupiter-removal", "Turkey") is None
    assert term_status(public, "turkey-jupiter-removal") is Status.DISPUTED
    us = t.final.formulation("turkey-jupiter-removal", "US")
    ussr = t.final.formulation("turkey-jupiter-removal", "USSR")
    assert "oral only" in us.confidentiality and "letter" in ussr.confidentiality


def test_leak_turns_the_secret_acceptance_into_a_public_rejection() -> None:
    t = load_scenario(CUBA / "leak.toml").replay()
    before = t["rfk-dobrynin-27-oct"]
    assert before.stance("turkey-jupiter-removal", "US") is Stance.ACCEPTED
    assert t.state_as_known_by(PUBLIC, at="rfk-dobrynin-27-oct").stance("turkey-jupiter-removal", "US") is (
        Stance.DISPUTED
    )
    for viewer in ("US", "USSR", PUBLIC):
        assert t.state_as_known_by(viewer).stance("turkey-jupiter-removal", "US") is Stance.REJECTED
    o = outcome(t.final)
    assert o.verdict == "agreement" and "turkey-jupiter-removal" in o.by_status[Status.REJECTED]
    assert term_status(t.final, "us-no-invasion-pledge") is Status.BINDING


def test_holdout_breaks_down_and_leaves_terms_open() -> None:
    o = outcome(load_scenario(CUBA / "holdout.toml").replay().final)
    assert o.verdict == "breakdown"
    assert set(o.by_status[Status.REJECTED]) == {"cease-work-on-bases", "render-inoperable"}
    assert "us-no-invasion-pledge" in o.by_status[Status.DISPUTED]
    assert not o.by_status[Status.BINDING] and not o.by_status[Status.FULFILLED]
    assert "soviet-remove-offensive-weapons" not in o.secured  # conditioned on the disputed Turkey terms


def test_without_the_back_channel_the_letters_settle_the_same_terms() -> None:
    real = outcome(load_scenario(HISTORICAL).replay().final)
    t = load_scenario(CUBA / "no-back-channel.toml").replay()
    without = outcome(t.final)
    assert set(real.agreed) == set(without.agreed)
    assert "turkey-jupiter-removal" in real.by_status[Status.AWAITING_CONSENT]
    assert "turkey-jupiter-removal" in without.by_status[Status.DISPUTED]
    assert all(
        t.state_as_known_by(v).stance("turkey-jupiter-removal", "US") is Stance.DISPUTED
        for v in ("US", "USSR")
    )
    assert "rfk-dobrynin-27-oct" not in t


def test_every_shipped_scenario_is_documented_at_its_top() -> None:
    for path in CUBA.glob("*.toml"):
        head = path.read_text(encoding="utf-8").split("[scenario]", 1)[0]
        assert head.count("\n#") >= 5, path.name
        if path.name != "historical.toml":
            assert "Sources" in head or "sources" in head, path.name


# -- branch file errors -----------------------------------------------------------------------


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


BASE = """
[scenario]
id = "base"
[[parties]]
id = "A"
[[parties]]
id = "B"
[[terms]]
id = "x"
obligors = ["B"]
text = "x"
[[moves]]
id = "p"
author = "A"
addressees = ["B"]
[[moves.acts]]
verb = "propose"
term = "x"
[[moves]]
id = "q"
author = "B"
addressees = ["A"]
[[moves.acts]]
verb = "accept"
term = "x"
"""


def _branch(head: str, moves: str = "") -> str:
    return f'[scenario]\nid = "branch"\n{head}\n{moves}'


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "scenarios"
    (root / "set").mkdir(parents=True)
    _write(root / "set", "base.toml", BASE)
    return root


BRANCH_ERRORS = {
    "base escapes the root": (
        _branch('base = "../../outside.toml"'),
        ["field 'scenario.base'", "outside the scenario root"],
    ),
    "base missing": (_branch('base = "nope.toml"'), ["field 'scenario.base'", "no file 'nope.toml'"]),
    "fork_after names no move": (
        _branch('base = "base.toml"\nfork_after = "pp"'),
        ["field 'scenario.fork_after'", "has no move 'pp'", "did you mean 'p'"],
    ),
    "fork_after without base": (_branch('fork_after = "p"'), ["field 'scenario.fork_after'", "needs a base"]),
    "drop after the fork": (
        _branch('base = "base.toml"\nfork_after = "p"\ndrop = ["q"]'),
        ["cannot drop 'q': after the fork point"],
    ),
    "drop unknown": (_branch('base = "base.toml"\ndrop = ["zz"]'), ["cannot drop 'zz': not in the base"]),
    "dropping breaks a later base move": (
        _branch('base = "base.toml"\ndrop = ["p"]'),
        ["move 'q'", "acts[0]", "nobody has proposed 'x'", "comes from the base"],
    ),
    "branch move illegal at the fork point": (
        _branch(
            'base = "base.toml"\nfork_after = "p"',
            '[[moves]]\nid = "r"\nauthor = "A"\naddressees = ["B"]\n'
            '[[moves.acts]]\nverb = "accept"\nterm = "x"\n',
        ),
        ["branch.toml: move 'r': acts[0]", "only A stands behind 'x'", "rule own-proposal"],
    ),
    "branch move reuses a base id": (
        _branch(
            'base = "base.toml"',
            '[[moves]]\nid = "p"\nauthor = "A"\naddressees = ["B"]\n'
            '[[moves.acts]]\nverb = "restate"\nterm = "x"\nwording = "w"\n',
        ),
        ["id 'p' is used twice", "moves[0].id"],
    ),
}


@pytest.mark.parametrize("case", sorted(BRANCH_ERRORS))
def test_branch_errors_name_the_file_and_the_move(tree: Path, case: str) -> None:
    text, words = BRANCH_ERRORS[case]
    path = _write(tree / "set", "branch.toml", text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path).replay()
    message = str(info.value)
    assert "\n" not in message
    for w in words:
        assert w in message, f"{w!r} not in {message!r}"
    assert message.startswith(str(path))


def test_a_cycle_of_bases_is_an_error(tree: Path) -> None:
    _write(tree / "set", "one.toml", _branch('base = "two.toml"'))
    _write(tree / "set", "two.toml", _branch('base = "one.toml"'))
    with pytest.raises(ScenarioError, match=r"the bases form a cycle: one.toml -> two.toml -> one.toml"):
        load_scenario(tree / "set" / "one.toml")


def test_a_branch_may_extend_the_catalogue(tree: Path) -> None:
    extra = (
        '[[terms]]\nid = "w"\nobligors = ["A"]\ntext = "w"\n'
        '[[moves]]\nid = "r"\nauthor = "B"\naddressees = ["A"]\n'
        '[[moves.acts]]\nverb = "propose"\nterm = "w"\n'
    )
    path = _write(tree / "set", "branch.toml", _branch('base = "base.toml"', extra))
    t = load_scenario(path).replay()
    assert t.final.stance("w", "B") is Stance.PROPOSED
    assert t.final.stance("x", "B") in SUPPORTING


def test_branches_of_branches_load(tree: Path) -> None:
    _write(tree / "set", "mid.toml", _branch('base = "base.toml"\nfork_after = "p"'))
    path = _write(
        tree / "set",
        "leaf.toml",
        '[scenario]\nid = "leaf"\nbase = "mid.toml"\n'
        '[[moves]]\nid = "r"\nauthor = "B"\naddressees = ["A"]\n'
        '[[moves.acts]]\nverb = "reject"\nterm = "x"\n',
    )
    leaf = load_scenario(path)
    assert [s.id for s in leaf.lineage] == ["leaf", "branch", "base"]
    assert term_status(leaf.replay().final, "x") is Status.REJECTED


# -- commands and examples --------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "negotiation", *args], capture_output=True, text=True, check=False
    )


def test_diff_command_names_the_fork_and_the_differing_terms() -> None:
    r = run("diff", str(HISTORICAL), str(CUBA / "turkey-swap.toml"))
    assert r.returncode == 0, r.stderr
    assert "last common move:  khrushchev-27-oct-letter" in r.stdout
    assert "white-house-27-oct-statement (cuba-1962-historical)  |  kennedy-27-oct-accepts-swap" in r.stdout
    assert (
        "  turkey-non-aggression\n    cuba-1962-historical   disputed: US disputed, USSR proposed\n"
        in r.stdout
    )


def test_diff_command_json_and_at() -> None:
    r = run("diff", str(HISTORICAL), str(CUBA / "leak.toml"), "--json", "--at", "rfk-dobrynin-27-oct")
    doc = json.loads(r.stdout)
    assert doc["last_common_move"] == "rfk-dobrynin-27-oct" and doc["terms"] == {}
    r = run("diff", str(HISTORICAL), str(CUBA / "leak.toml"), "--json")
    doc = json.loads(r.stdout)
    assert doc["terms"]["turkey-jupiter-removal"]["b"]["status"] == "rejected"
    assert doc["b"]["outcome"]["verdict"] == "agreement"
    bad = run("diff", str(HISTORICAL), str(CUBA / "turkey-swap.toml"), "--at", "kennedy-28-oct-letter")
    assert bad.returncode == 2 and "turkey-swap.toml has no such move" in bad.stderr


def test_tree_command_lists_bases_and_branches_with_outcomes() -> None:
    r = run("tree", str(ROOT / "scenarios"))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("cuba-1962/historical.toml  [cuba-1962-historical] — agreement")
    assert sum(line.startswith(("├── ", "└── ")) for line in lines) == len(BRANCHES)
    assert any("holdout.toml" in line and "— breakdown" in line for line in lines)


def test_tree_shows_a_broken_file_and_fails(tree: Path) -> None:
    _write(tree / "set", "broken.toml", "[scenario\n")
    r = run("tree", str(tree))
    assert r.returncode == 1
    assert "broken.toml  error: " in r.stdout and "not valid TOML" in r.stdout
    assert "set/base.toml  [base] — agreement in principle" in r.stdout


@pytest.mark.parametrize("script", ["turkey_swap.py", "secret_assurance.py"])
def test_example_scripts_run(script: str) -> None:
    r = subprocess.run(
        [sys.executable, str(ROOT / "examples" / script)], capture_output=True, text=True, check=False
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip()
    if script == "turkey_swap.py":
        assert "  turkey-jupiter-removal     awaiting-consent" in r.stdout
        assert "  turkey-non-aggression      binding" in r.stdout


def test_examples_folder_has_only_tested_scripts() -> None:
    assert sorted(p.name for p in (ROOT / "examples").glob("*.py")) == [
        "secret_assurance.py",
        "turkey_swap.py",
    ]
