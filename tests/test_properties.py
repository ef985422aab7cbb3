"""Laws of consistency and persistence, checked with the package's public strategies."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import History, fingerprint
from negotiation import (
    IllegalMove,
    Scenario,
    apply,
    load_scenario,
    loads_scenario,
    replay,
)
from negotiation.invariants import Severity, check_state, check_timeline
from negotiation.io.writer import dumps_scenario, save_scenario
from negotiation.testing.strategies import (
    branch_pairs,
    histories,
    illegal_moves,
    scenarios,
)


@given(histories(max_moves=10))
def test_every_legal_move_keeps_every_invariant(history: History) -> None:
    """After any sequence of legal moves, no state check and no timeline check reports an error."""
    cat, moves = history
    timeline = replay(moves, cat)
    for step in timeline:
        errors = [f for f in check_state(step.state) if f.severity is Severity.ERROR]
        assert not errors, (step.move.id, errors)
    assert not [f for f in check_timeline(timeline) if f.severity is Severity.ERROR]


@given(histories(max_moves=10, timed=True))
def test_timed_histories_keep_every_invariant_too(history: History) -> None:
    """Receipt times never let a view hold a move its viewer had not received."""
    cat, moves = history
    assert not [f for f in check_timeline(replay(moves, cat)) if f.severity is Severity.ERROR]


@given(histories(max_moves=8), st.data())
def test_every_illegal_move_raises_at_its_act_and_leaves_no_trace(
    history: History, data: st.DataObject
) -> None:
    """An illegal act raises IllegalMove naming the move and the act's index; the state is untouched."""
    cat, moves = history
    state = replay(moves, cat).final
    drawn = data.draw(illegal_moves(state))
    if drawn is None:
        return
    move, index = drawn
    before = fingerprint(state)
    error: IllegalMove | None = None
    try:
        apply(state, move)
    except IllegalMove as e:
        error = e
    assert error is not None, move
    assert (error.move_id, error.act_index) == (move.id, index)
    assert fingerprint(state) == before


@given(scenarios())
def test_save_then_load_is_lossless(scenario: Scenario) -> None:
    """Writing a scenario to TOML and reading it back gives an equal scenario and timeline."""
    again = loads_scenario(dumps_scenario(scenario), "again.toml")
    assert again == scenario
    assert again.replay() == scenario.replay()


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=20)
@given(branch_pairs())
def test_a_saved_branch_file_replays_like_its_fork(pair: tuple[Scenario, Scenario]) -> None:
    """A branch written as a file of its base (base, fork_after, own moves) replays like the fork."""
    base, branch = pair
    with tempfile.TemporaryDirectory() as tmp:
        save_scenario(base, Path(tmp) / "base.toml")
        save_scenario(branch, Path(tmp) / "branch.toml", base_file="base.toml")
        loaded = load_scenario(Path(tmp) / "branch.toml")
    assert loaded.base is not None and loaded.fork_after == branch.fork_after
    assert loaded.replay() == base.replay().fork(branch.fork_after, branch.own_moves)


@settings(max_examples=4)
@given(scenarios(max_moves=6))
def test_replay_does_not_depend_on_the_hash_seed(scenario: Scenario) -> None:
    """The CLI's JSON replay of a generated scenario is the same under different hash seeds."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.toml"
        save_scenario(scenario, path)
        outs = {
            subprocess.run(
                [sys.executable, "-m", "negotiation", "replay", str(path), "--json"],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "PYTHONHASHSEED": seed},
            ).stdout
            for seed in ("1", "977")
        }
    assert len(outs) == 1
