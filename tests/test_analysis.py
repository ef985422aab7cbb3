"""Derived views of a state: the memo, the verdict, conditions as a graph, labels and comparisons.

Each case is a small negotiation written by hand, with the answer worked out from the rules
as the docs state them (A and B are principals; B is obliged by x, A by y, both by z).
"""

from __future__ import annotations

import pytest

from helpers import act, catalogue, move
from negotiation import (
    Reached,
    State,
    Status,
    Verdict,
    diff,
    memo,
    outcome,
    position_changes,
    quid_pro_quos,
    replay,
    term_view,
)
from negotiation.analysis import label

P = move("p", "A", act("propose", "x"))  # A asks B to do x
ACCEPT = move("b", "B", act("accept", "x"))


def _state(*moves: object) -> State:
    return replay(list(moves), catalogue()).final  # type: ignore[arg-type]


def test_the_memo_lists_the_raised_terms_unless_asked_for_all() -> None:
    state = _state(P)
    assert [r.term for r in memo(state)] == ["x"]
    assert [(r.term, r.status) for r in memo(state, raised_only=False)] == [
        ("x", Status.OPEN),
        ("y", Status.UNRAISED),
        ("z", Status.UNRAISED),
    ]


@pytest.mark.parametrize(
    ("moves", "verdict", "summary"),
    [
        ((), Verdict.OPEN, "open"),
        ((P,), Verdict.OPEN, "open; 1 open"),
        ((P, ACCEPT), Verdict.AGREEMENT_IN_PRINCIPLE, "agreement in principle; 1 terms agreed"),
        ((P, ACCEPT, move("c", "A", act("affirm", "x"))), Verdict.AGREEMENT, "agreement; 1 terms agreed"),
        (
            (move("p", "A", act("propose", "x", conditions=["y"])), ACCEPT),
            Verdict.OPEN,
            "open; 1 terms agreed (1 on unmet conditions)",
        ),
        (
            (
                move("p", "A", act("propose", "x", conditions=["y"])),
                move("q", "B", act("propose", "y")),
                move("r", "A", act("reject", "y")),
            ),
            Verdict.BREAKDOWN,
            "breakdown; 1 unchallenged; 1 rejected",  # B left x unanswered in q: silence
        ),
    ],
    ids=["nothing", "proposed", "accepted", "affirmed", "unmet-condition", "condition-rejected"],
)
def test_the_verdict_follows_binding_then_breakdown_then_secured_terms(
    moves: tuple[object, ...], verdict: Verdict, summary: str
) -> None:
    result = outcome(_state(*moves))
    assert result.verdict is verdict
    assert result.summary() == summary


def test_only_terms_whose_conditions_are_agreed_are_secured() -> None:
    state = _state(
        move("p", "A", act("propose", "x", conditions=["y"]), act("propose", "z")),
        move("b", "B", act("accept", "x"), act("accept", "z")),
    )
    result = outcome(state)
    assert result.agreed == ("x", "z")
    assert result.secured == ("z",)
    assert not result.consistent


def test_conditions_each_side_sets_on_the_other_are_a_quid_pro_quo() -> None:
    state = _state(
        move("p", "A", act("propose", "x", conditions=["y"])),
        move("q", "B", act("propose", "y", conditions=["x"])),
    )
    assert quid_pro_quos(state) == [["x", "y"]]
    assert quid_pro_quos(_state(P)) == []


def test_position_changes_name_each_party_whose_position_moved() -> None:
    before, after = _state(P), _state(P, ACCEPT)
    changes = position_changes(before, after)
    assert [(c.term, c.party, c.before.stance, c.after.stance) for c in changes] == [
        ("x", "B", None, "accepted")
    ]
    assert position_changes(after, after) == []


def test_a_divergent_term_names_the_fields_in_which_the_wordings_differ() -> None:
    state = _state(
        move("p", "A", act("propose", "x", timing="at once")),
        move("b", "B", act("accept", "x", timing="within a month")),
    )
    view = term_view(state, "x")
    assert view.status is Status.DIVERGENT
    assert view.differing() == frozenset({"timing"})
    assert term_view(_state(P, ACCEPT), "x").differing() == frozenset()


@pytest.mark.parametrize(
    ("moves", "reached", "terms"),
    [
        ((P,), Reached.OPEN, ()),
        ((P, move("b", "B", act("reject", "x"))), Reached.BREAKDOWN, ()),
        ((P, ACCEPT), Reached.AGREEMENT, ("x",)),
        (
            (P, move("b", "B", act("accept", "x", wording="as B puts it"))),
            Reached.DIVERGENT_AGREEMENT,
            ("x",),
        ),
    ],
    ids=["open", "rejected", "agreed", "agreed-in-other-words"],
)
def test_a_state_is_labelled_by_what_it_settles_of_the_core(
    moves: tuple[object, ...], reached: Reached, terms: tuple[str, ...]
) -> None:
    result = label(_state(*moves), ["x"])
    assert (result.outcome, result.terms) == (reached, terms)


def test_a_comparison_names_the_last_common_move_and_the_terms_that_end_differently() -> None:
    a = replay([P, ACCEPT], catalogue())
    b = replay([P, move("b2", "B", act("reject", "x"))], catalogue())
    d = diff(a, b)
    assert (d.common, d.first_a, d.first_b) == ("p", "b", "b2")
    assert [t.term for t in d.terms] == ["x"]
    assert d.terms[0].a is not None and d.terms[0].a.status is Status.AGREED
    assert d.terms[0].b is not None and d.terms[0].b.status is Status.REJECTED
    assert diff(a, a).terms == ()
