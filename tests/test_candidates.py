"""Candidate acts: one generator, so that a search's replies and a test's moves mean the same thing."""

from __future__ import annotations

import attrs
from hypothesis import given

from helpers import History, act, catalogue, move
from negotiation import Act, Extent, Policy, State, Verb, replay
from negotiation.candidates import UNWORDED_VERBS, candidate_acts
from negotiation.policy import replies
from negotiation.testing.strategies import histories, legal_acts


def test_candidates_come_term_by_term_then_move_by_move() -> None:
    state = replay([move("p", "A", act("propose", "x"))], catalogue())
    acts = candidate_acts(state.final, verbs=(Verb.ACCEPT, Verb.CONDITION, Verb.IGNORE))
    assert [(a.verb, a.target, a.conditions) for a in acts] == [
        ("accept", "x", ()),
        ("condition", "x", ("y",)),
        ("condition", "x", ("z",)),
        ("accept", "y", ()),
        ("condition", "y", ("x",)),
        ("condition", "y", ("z",)),
        ("accept", "z", ()),
        ("condition", "z", ("x",)),
        ("condition", "z", ("y",)),
        ("ignore", "move p", ()),
    ]


def test_restatements_need_words_and_fulfilment_may_come_at_each_extent() -> None:
    state = State.initial(catalogue())
    verbs = (Verb.RESTATE, Verb.FULFIL)
    assert [a.verb for a in candidate_acts(state, verbs=verbs, terms=["x"])] == ["fulfil"]
    worded = candidate_acts(state, verbs=verbs, terms=["x"], extents=True, restatement="as said")
    assert [(a.verb, a.wording, a.extent) for a in worded] == [
        ("restate", "as said", None),
        ("fulfil", None, Extent.BEGUN),
        ("fulfil", None, Extent.COMPLETE),
    ]


def _plain(a: Act) -> Act:
    return attrs.evolve(a, extent=None) if a.extent is Extent.COMPLETE else a


@given(histories(max_moves=6))
def test_a_search_replies_with_exactly_the_legal_acts_a_test_would_draw(history: History) -> None:
    """Every one-act reply of the search is a legal act of the strategies, and the other way round."""
    cat, moves = history
    state = replay(moves, cat).final
    policy = Policy(verbs=UNWORDED_VERBS, terms="catalogue")
    for party in cat.principals:
        searched = {m.acts[0] for m, _ in replies(state, party, policy)}
        drawn = {
            _plain(a)
            for a in legal_acts(state, party)
            if a.verb in UNWORDED_VERBS and a.term is not None and a.extent is not Extent.BEGUN
        }
        assert searched == drawn, party
