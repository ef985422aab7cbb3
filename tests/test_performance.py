"""Performance is a claim: an obligor reports it, another party needed contests or confirms it.

In November 1962 the USSR wrote that "our obligations ... have already been fulfilled" (12 Nov)
and the President answered "I cannot agree with your statement that you have fulfilled your
commitments" (15 Nov). The cases below are that shape on a small catalogue (B is obliged by x).
"""

from __future__ import annotations

import pytest
from hypothesis import given

from helpers import History, act, catalogue, move
from negotiation import IllegalMove, Stance, Status, replay, term_status
from negotiation.testing.strategies import histories
from negotiation.vocabulary import PERFORMANCE

AGREED = [move("p", "A", act("propose", "x")), move("b", "B", act("accept", "x"))]
CLAIM = move("claim", "B", act("fulfil", "x", quote="our obligations have already been fulfilled"))
CONTEST = move("answer", "A", act("contest", "x", quote="I cannot agree that you have fulfilled"))


def _status(*moves: object) -> Status:
    return term_status(replay([*AGREED, *moves], catalogue()).final, "x")  # type: ignore[list-item]


def test_a_claim_stands_until_it_is_contested() -> None:
    assert _status(CLAIM) is Status.FULFILLED
    assert _status(CLAIM, CONTEST) is Status.CONTESTED


def test_a_confirmed_performance_is_told_apart_from_a_claimed_one() -> None:
    assert _status(CLAIM, move("ok", "A", act("confirm", "x"))) is Status.CONFIRMED
    assert _status(CLAIM, CONTEST, move("ok", "A", act("confirm", "x"))) is Status.CONFIRMED


def test_performance_begun_can_be_contested_too() -> None:
    begun = move("begun", "B", act("fulfil", "x", extent="begun"))
    assert _status(begun) is Status.BINDING
    assert _status(begun, CONTEST) is Status.CONTESTED


def test_a_contested_obligor_may_report_again_and_the_contest_stands() -> None:
    again = move("again", "B", act("fulfil", "x", quote="all the missiles have been removed"))
    state = replay([*AGREED, CLAIM, CONTEST, again], catalogue()).final
    assert state.stance("x", "B") is Stance.FULFILLED and state.stance("x", "A") is Stance.CONTESTED
    assert term_status(state, "x") is Status.CONTESTED
    with pytest.raises(IllegalMove, match="already-fulfilled"):
        replay([*AGREED, CLAIM, again], catalogue())


def test_nobody_contests_a_performance_nobody_claimed() -> None:
    with pytest.raises(IllegalMove, match=r"no obligor of 'x' \(B\) has reported performing it"):
        replay([*AGREED, CONTEST], catalogue())


@given(histories(max_moves=14))
def test_a_contested_claim_is_never_fulfilled(history: History) -> None:
    """Whenever a party a term needs contests an obligor's reported performance, the term is contested."""
    cat, moves = history
    for step in replay(moves, cat):
        for term in cat.by_id:
            positions = step.state.positions(term)
            claimed = any(
                positions[p].stance in PERFORMANCE for p in cat.by_id[term].obligors if p in positions
            )
            if claimed and any(pos.stance is Stance.CONTESTED for pos in positions.values()):
                assert term_status(step.state, term) is Status.CONTESTED
