"""Every rule an act can break raises `IllegalMove` with its id, the move id and the act index."""

from __future__ import annotations

import pytest

from helpers import RELATED, act, catalogue, move
from negotiation import (
    RULES,
    Channel,
    IllegalMove,
    Move,
    Stance,
    State,
    Status,
    Term,
    Timeline,
    When,
    apply,
    replay,
    step,
    term_status,
)

P = move("p", "A", act("propose", "x"))  # A demands that B do x
Q = move("q", "B", act("propose", "y"))  # B asks A to do y

# rule -> (history before, offending move, words the message must contain)
CASES: dict[str, tuple[list[Move], Move, list[str]]] = {
    "duplicate-move": ([P], move("p", "B", act("accept", "x")), ["'p' is already used"]),
    "no-claim": (
        [P, move("b", "B", act("accept", "x"))],
        move("c", "A", act("contest", "x")),
        ["no obligor of 'x' (B) has reported performing it"],
    ),
    "own-claim": (
        [P, move("b", "B", act("accept", "x")), move("f", "B", act("fulfil", "x"))],
        move("c", "B", act("contest", "x")),
        ["B reported performing 'x' itself"],
    ),
    "not-a-condition": (
        [move("p", "A", act("propose", "x", conditions=["y"]))],
        move("r", "A", act("release", "x", conditions=["z"])),
        ["A did not make 'x' conditional on 'z'", "its conditions: y"],
    ),
    "unknown-author": ([], move("m", "Z", act("propose", "x"), to="A"), ["'Z' is not a party"]),
    "no-standing": (
        [P],
        move("m", "C", act("accept", "x"), to="A"),
        ["neither obliges C nor needs its consent"],
    ),
    "unknown-party": ([], move("m", "A", act("propose", "x"), to="Z"), ["no party 'Z'"]),
    "unknown-term": ([], move("m", "A", act("propose", "xx")), ["no term 'xx'", "did you mean 'x'"]),
    "not-on-table": ([], move("m", "B", act("accept", "x")), ["nobody has proposed 'x'", "propose it first"]),
    "own-proposal": ([P], move("m", "A", act("accept", "x")), ["only A stands behind 'x'"]),
    "already-proposed": (
        [P],
        move("m", "B", act("propose", "x")),
        ["already put forward by A", "use accept"],
    ),
    "already-supporting": (
        [P, move("b", "B", act("accept", "x"))],
        move("m", "B", act("propose", "x")),
        ["B already stands behind 'x' (accepted)", "use restate"],
    ),
    "no-position": ([P], move("m", "B", act("restate", "x", wording="w")), ["B holds no position on 'x'"]),
    "nothing-to-restate": ([P], move("m", "A", act("restate", "x")), ["gives no wording or qualifier"]),
    "not-supporting": ([P], move("m", "B", act("withdraw", "x")), ["B does not stand behind 'x'"]),
    "not-obligor": ([P], move("m", "A", act("fulfil", "x")), ["'x' obliges B, not A"]),
    "already-fulfilled": (
        [P, move("f", "B", act("fulfil", "x"))],
        move("m", "B", act("fulfil", "x")),
        ["B already fulfilled 'x'"],
    ),
    "unknown-move": (
        [P],
        move("m", "B", act("ignore", move="pp")),
        ["no earlier move 'pp'", "did you mean 'p'"],
    ),
    "own-move": ([P], move("m", "A", act("ignore", move="p")), ["'p' is A's own move"]),
    "not-received": (
        [
            move(
                "late",
                "A",
                act("propose", "x"),
                sent="1962-10-26T10:00+00:00",
                received={"B": "1962-10-27T10:00+00:00"},
            ),
        ],
        move("m", "B", act("ignore", move="late"), sent="1962-10-26T12:00+00:00"),
        ["B had not received 'late' by 1962-10-26T12:00+00:00"],
    ),
    "affirms-nothing": (
        [P],
        move("m", "B", act("affirm", move="p")),
        ["B stands behind no undertaking of 'p'"],
    ),
    "conflicting-terms": (
        [move("p", "A", act("propose", "x"), act("propose", "w")), move("b", "B", act("accept", "x"))],
        move("m", "B", act("accept", "w")),
        ["'w' conflicts with 'x', which B stands behind (accepted)", "withdraw 'x' first"],
    ),
    "required-term-refused": (
        [move("p", "A", act("propose", "x"), act("propose", "v")), move("b", "B", act("reject", "x"))],
        move("m", "B", act("accept", "v")),
        ["'v' requires 'x', which B has rejected"],
    ),
}


def test_every_rule_has_a_case() -> None:
    assert set(CASES) == set(RULES)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_illegal_act_names_move_act_and_rule(rule: str) -> None:
    history, offending, words = CASES[rule]
    state = replay(history, RELATED).final
    with pytest.raises(IllegalMove) as info:
        apply(state, offending)
    err = info.value
    assert err.rule == rule
    assert err.move_id == offending.id
    text = str(err)
    assert f"move {offending.id!r}" in text and f"[rule {rule}]" in text
    for w in words:
        assert w in text
    if rule not in ("duplicate-move", "unknown-author", "unknown-party"):
        assert err.act_index == 0 and "acts[0]" in text


def test_act_index_points_at_the_offending_act() -> None:
    bad = move("m", "B", act("accept", "x"), act("accept", "y"), act("reject", "z"))
    state = replay([P], catalogue()).final
    with pytest.raises(IllegalMove) as info:
        apply(state, bad)
    assert info.value.act_index == 1 and "acts[1] (accept y)" in str(info.value)


def test_an_illegal_move_leaves_no_partial_state() -> None:
    state = replay([P], catalogue()).final
    before = (state.terms, state.pending, state.moves, state.count)
    with pytest.raises(IllegalMove):
        apply(state, move("m", "B", act("accept", "x"), act("accept", "y")))
    assert (state.terms, state.pending, state.moves, state.count) == before


def test_irregular_act_is_noted_and_applied() -> None:
    state = State.initial(catalogue())
    s = step(state, move("m", "B", act("accept", "x", irregular="the record shows it so")))
    assert s.state.stance("x", "B") is Stance.ACCEPTED
    assert [(n.rule, n.act_index, n.reason) for n in s.notes] == [
        ("not-on-table", 0, "the record shows it so")
    ]


def test_unknown_term_is_an_error_even_when_marked_irregular() -> None:
    with pytest.raises(IllegalMove, match="unknown-term"):
        apply(State.initial(catalogue()), move("m", "A", act("propose", "nope", irregular="why")))


def _final(*moves: Move) -> State:
    return replay(list(moves), catalogue()).final


@pytest.mark.parametrize(
    ("moves", "term", "status"),
    [
        ((), "x", Status.UNRAISED),
        ((P,), "x", Status.OPEN),
        ((P, move("b", "B", act("accept", "x"))), "x", Status.AGREED),
        ((P, move("b", "B", act("accept", "x", wording="B's way"))), "x", Status.DIVERGENT),
        ((P, move("b", "B", act("accept", "x", conditions=["y"]))), "x", Status.CONDITIONAL),
        ((P, move("b", "B", act("dispute", "x"))), "x", Status.DISPUTED),
        ((P, move("b", "B", act("reject", "x"))), "x", Status.REJECTED),
        ((P, move("b", "A", act("withdraw", "x"))), "x", Status.WITHDRAWN),
        ((P, move("b", "B", act("propose", "y"))), "x", Status.UNCHALLENGED),
        ((P, move("b", "B", act("ignore", move="p"))), "x", Status.LAPSED),
        ((P, move("b", "B", act("accept", "x")), move("c", "A", act("affirm", "x"))), "x", Status.BINDING),
        ((P, move("b", "B", act("fulfil", "x"))), "x", Status.FULFILLED),
    ],
)
def test_status_is_derived_from_the_principals_stances(
    moves: tuple[Move, ...], term: str, status: Status
) -> None:
    assert term_status(_final(*moves), term) is status


def test_silence_is_not_acceptance() -> None:
    s = _final(P, move("b", "B", act("propose", "y")))
    assert s.stance("x", "B") is Stance.UNCHALLENGED
    assert dict(s.pending_for("B")) == {}


def test_silence_needs_the_next_move_to_go_to_the_proposer() -> None:
    cat = catalogue(Term("x", ["B"], "x"), Term("y", ["A"], "y"), third=True)
    public_statement = Move("b", "B", (act("propose", "y"),), (), Channel.PUBLIC)
    s = replay([P, public_statement], cat).final
    assert s.stance("x", "B") is None
    assert ("x", "A") in s.pending_for("B")


def test_silence_waits_for_receipt() -> None:
    late = move(
        "p", "A", act("propose", "x"), sent="1962-10-26T10:00+00:00", received={"B": "1962-10-27T10:00+00:00"}
    )
    early_reply = move("b", "B", act("propose", "y"), sent="1962-10-26T12:00+00:00")
    later_reply = move("c", "B", act("propose", "z"), sent="1962-10-27T12:00+00:00")
    t = replay([late, early_reply, later_reply], catalogue())
    assert t["b"].stance("x", "B") is None
    assert t["c"].stance("x", "B") is Stance.UNCHALLENGED


def test_silence_on_a_restatement_keeps_the_own_stance_and_marks_it_tacit() -> None:
    s = _final(
        P,
        move("b", "B", act("accept", "x", wording="B's way")),
        move("c", "A", act("restate", "x", wording="A's way")),
        move("d", "B", act("propose", "y")),
    )
    pos = s.position("x", "B")
    assert pos.stance is Stance.ACCEPTED and pos.tacit == {"A"}
    assert term_status(s, "x") is Status.DIVERGENT


def test_answering_clears_the_tacit_mark() -> None:
    s = _final(
        P,
        move("b", "B", act("accept", "x", wording="B's way")),
        move("c", "A", act("restate", "x", wording="A's way")),
        move("d", "B", act("propose", "y")),
        move("e", "A", act("accept", "y")),
        move("f", "B", act("accept", "x")),
    )
    pos = s.position("x", "B")
    assert pos.tacit == frozenset() and pos.formulation.text == "A's way"
    assert term_status(s, "x") is Status.AGREED


def test_accepting_without_wording_adopts_the_other_sides_formulation() -> None:
    s = _final(
        move("p", "A", act("propose", "x", wording="A's words", scope="all", conditions=["y"])),
        move("b", "B", act("accept", "x", quote="we agree")),
    )
    a, b = s.formulation("x", "A"), s.formulation("x", "B")
    assert b.substance == a.substance and b.quote == "we agree" and b.move == "b"


def test_a_new_wording_speaks_afresh_but_keeps_own_conditions() -> None:
    s = _final(
        move("p", "A", act("propose", "x", wording="first", scope="wide", conditions=["y"])),
        move("q", "A", act("restate", "x", wording="second")),
    )
    f = s.formulation("x", "A")
    assert (f.text, f.scope, f.conditions) == ("second", None, {"y"})


def test_condition_adds_to_the_actors_own_conditions() -> None:
    s = _final(
        P, move("b", "B", act("accept", "x")), move("c", "B", act("condition", "x", conditions=["y", "z"]))
    )
    assert s.formulation("x", "B").conditions == {"y", "z"}
    assert s.formulation("x", "A").conditions == frozenset()


def test_ignore_sets_aside_only_what_the_actor_had_not_answered() -> None:
    s = _final(
        move("p", "A", act("propose", "x"), act("propose", "z")),
        move("b", "B", act("dispute", "z"), act("ignore", move="p")),
    )
    assert s.stance("x", "B") is Stance.IGNORED
    assert s.stance("z", "B") is Stance.DISPUTED
    assert dict(s.pending_for("B")) == {}


def test_affirming_a_move_binds_every_term_the_actor_stands_behind_in_it() -> None:
    s = _final(
        move("p", "A", act("propose", "x"), act("propose", "z")),
        move("b", "B", act("accept", "x"), act("reject", "z")),
        move("c", "A", act("affirm", move="b")),
    )
    assert s.stance("x", "A") is Stance.AFFIRMED
    assert s.stance("z", "A") is Stance.PROPOSED
    assert term_status(s, "x") is Status.BINDING


def test_performance_begun_binds_but_does_not_fulfil() -> None:
    s = _final(P, move("b", "B", act("fulfil", "x", extent="begun")))
    assert s.stance("x", "B") is Stance.PERFORMING
    assert term_status(s, "x") is Status.BINDING


def test_proposer_may_accept_the_other_sides_restatement() -> None:
    s = _final(P, move("b", "B", act("accept", "x", wording="B's way")), move("c", "A", act("accept", "x")))
    assert s.stance("x", "A") is Stance.ACCEPTED
    assert s.formulation("x", "A").text == "B's way"
    assert term_status(s, "x") is Status.AGREED


def test_clock_never_runs_backwards() -> None:
    t = replay(
        [
            move("p", "A", act("propose", "x"), sent="1962-10-27T20:05-04:00"),
            move("q", "A", act("propose", "y"), sent="1962-10-27T19:45-04:00"),
        ],
        catalogue(),
    )
    assert t["q"].clock == When.of("1962-10-27T20:05-04:00")


def test_timeline_lookup_names_known_moves() -> None:
    t: Timeline = replay([P], catalogue())
    with pytest.raises(KeyError, match="did you mean 'p'"):
        t["pp"]


def test_alternatives_may_be_proposed_but_not_both_accepted() -> None:
    s = replay([move("p", "A", act("propose", "x"), act("propose", "w"))], RELATED).final
    assert s.stance("w", "A") is Stance.PROPOSED and s.stance("x", "A") is Stance.PROPOSED
    s = apply(s, move("b", "B", act("accept", "w")))
    assert term_status(s, "w") is Status.AGREED


def test_refusing_what_a_supported_term_requires_is_illegal() -> None:
    s = replay(
        [move("p", "A", act("propose", "x"), act("propose", "v")), move("b", "B", act("accept", "v"))],
        RELATED,
    ).final
    with pytest.raises(IllegalMove, match=r"'v', which B stands behind \(accepted\), requires 'x'"):
        apply(s, move("m", "B", act("reject", "x")))
    with pytest.raises(IllegalMove, match="required-term-refused"):
        apply(s, move("m", "A", act("withdraw", "x")))
