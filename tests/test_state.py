"""The state value: positions by term and party, what awaits an answer, and shared structure."""

from __future__ import annotations

import pytest

from conftest import HISTORICAL
from helpers import act, catalogue, move
from negotiation import EMPTY, SUPPORTING, Position, Stance, State, apply, load_scenario, replay

PROPOSAL = move("p", "A", act("propose", "x", timing="at once"))


def test_a_party_that_has_not_acted_holds_the_empty_position() -> None:
    state = State.initial(catalogue())
    assert state.position("x", "A") is EMPTY
    assert state.stance("x", "A") is None and state.formulation("x", "A") is None
    assert not state.pending_for("B")
    assert (state.count, state.last, state.clock) == (0, None, None)


def test_positions_are_the_principals_in_catalogue_order_and_never_a_third_party() -> None:
    state = apply(State.initial(catalogue(third=True)), PROPOSAL)
    positions = state.positions("x")
    assert list(positions) == ["A", "B"]
    assert positions["A"].stance is Stance.PROPOSED and positions["B"] is EMPTY


def test_a_proposal_awaits_the_addressees_answer_and_names_its_move() -> None:
    state = apply(State.initial(catalogue()), PROPOSAL)
    assert dict(state.pending_for("B")) == {("x", "A"): "p"}
    assert not state.pending_for("A")
    assert state.formulation("x", "A").timing == "at once"  # type: ignore[union-attr]
    assert state.moves["p"].index == 0 and state.moves["p"].touched == ("x",)


@pytest.mark.parametrize("stance", [None, *Stance])
def test_a_position_supports_its_term_exactly_in_the_supporting_stances(stance: Stance | None) -> None:
    assert Position(stance).supports is (stance in SUPPORTING)


def test_a_move_copies_only_what_it_changes() -> None:
    """States share structure: the positions of a term no act touched are the same object."""
    before = replay([PROPOSAL, move("q", "B", act("propose", "y"))], catalogue()).final
    after = apply(before, move("r", "A", act("accept", "y")))
    assert after.terms["x"] is before.terms["x"]
    assert after.terms["y"] is not before.terms["y"]
    assert after.catalogue is before.catalogue
    assert before.stance("y", "A") is None and after.stance("y", "A") is Stance.ACCEPTED


def test_the_clock_is_the_latest_time_the_record_gives() -> None:
    dated = move("p", "A", act("propose", "x"), sent="1962-10-27T10:00:00-04:00")
    undated = move("q", "B", act("accept", "x"))
    state = replay([dated, undated], catalogue()).final
    assert str(state.clock) == "1962-10-27T10:00-04:00"
    assert (state.count, state.last) == (2, "q")


def test_a_state_and_a_timeline_print_as_one_short_line() -> None:
    timeline = load_scenario(HISTORICAL).replay()
    final, forked = repr(timeline.final), repr(timeline.fork("kennedy-27-oct-letter"))
    assert final.startswith("<State after 'kennedy-28-oct-letter' (move 20): ") and len(final) < 200
    assert "statements awaiting an answer" in final
    assert repr(timeline) == "<Timeline of 20 moves, 'kennedy-22-oct-letter' to 'kennedy-28-oct-letter'>"
    assert forked.endswith("forked from a timeline of 20 moves after 'kennedy-27-oct-letter'>")
    assert repr(State.initial(catalogue())).startswith("<State before any move: 0 of ")
