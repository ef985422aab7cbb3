"""Laws of the engine, checked on generated histories with the package's own strategies."""

from __future__ import annotations

import gc

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import History, fingerprint
from negotiation import (
    PUBLIC,
    SUPPORTING,
    Act,
    Catalogue,
    ModelError,
    Move,
    Party,
    Scenario,
    Stance,
    State,
    Status,
    Term,
    apply,
    dumps_scenario,
    loads_scenario,
    replay,
    term_status,
)
from negotiation.testing.strategies import histories, legal_moves


@given(histories(min_moves=1))
def test_a_timeline_keeps_its_own_copy_of_the_moves(history: History) -> None:
    """Changing the list a history was replayed from changes nothing in the timeline."""
    cat, moves = history
    given = list(moves)
    timeline = replay(given, cat)
    before = [fingerprint(s.state) for s in timeline]
    given.reverse()
    given.append(given[0])
    assert timeline.moves == tuple(moves)
    assert [fingerprint(s.state) for s in timeline] == before


@given(histories())
def test_applying_moves_one_by_one_equals_replay(history: History) -> None:
    """apply() folded by hand passes through exactly the states replay() records."""
    cat, moves = history
    timeline = replay(moves, cat)
    state = State.initial(cat)
    for move, recorded in zip(moves, timeline.steps, strict=True):
        state = apply(state, move)
        assert state == recorded.state
    assert state == timeline.final


@given(histories(min_moves=1), st.data())
def test_earlier_states_are_never_mutated(history: History, data: st.DataObject) -> None:
    """Applying more moves to any earlier state leaves every recorded state as it was."""
    cat, moves = history
    timeline = replay(moves, cat)
    before = [fingerprint(s.state) for s in timeline]
    at = data.draw(st.integers(0, len(moves) - 1))
    branch = timeline.steps[at].state
    for i in range(3):
        move = data.draw(legal_moves(branch, move_id=f"extra{i}"))
        if move is not None:
            branch = apply(branch, move)
    replay(moves[at + 1 :], timeline.steps[at].state)  # the same continuation, folded again
    assert [fingerprint(s.state) for s in timeline] == before


@given(histories())
def test_states_built_from_equal_values_are_equal_and_hash_equal(history: History) -> None:
    """States folded from equal but separately built catalogues and moves compare and hash equal.

    So equal states merge in sets and dicts (as the exploration does) even when no object is
    shared between them; an identity-based field or hash would break this.
    """
    cat, moves = history
    copied = loads_scenario(dumps_scenario(Scenario("copy", cat, tuple(moves))))
    assert copied.catalogue is not cat and all(a is not b for a, b in zip(copied.moves, moves, strict=True))
    a, b = replay(moves, cat).final, replay(copied.moves, copied.catalogue).final
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1


@given(histories())
def test_status_agrees_with_the_stances(history: History) -> None:
    """Every derived status is what the principals' stances say it is."""
    cat, moves = history
    state = replay(moves, cat).final
    for term in cat.by_id:
        stances = [p.stance for p in state.positions(term).values()]
        status = term_status(state, term)
        supported = all(s in SUPPORTING for s in stances)
        if status in (Status.AGREED, Status.DIVERGENT, Status.BINDING):
            assert supported
        if status is Status.BINDING:
            assert {Stance.AFFIRMED, Stance.PERFORMING, Stance.FULFILLED} & set(stances)
        if status is Status.UNCHALLENGED:
            assert Stance.UNCHALLENGED in stances and not supported
        if status is Status.UNRAISED:
            assert all(s is None for s in stances)
        if Stance.REJECTED in stances and status not in (
            Status.FULFILLED,
            Status.CONTESTED,
            Status.CONFIRMED,
            Status.REPLACED,
            Status.BLOCKED,
        ):
            assert status is Status.REJECTED
        if status is Status.BLOCKED:
            assert any(state.stance(term, p) is Stance.REJECTED for p in cat.by_id[term].consent)


@given(histories())
def test_pending_statements_await_other_parties_about_known_moves(history: History) -> None:
    """Nothing awaits its own author's answer, and every pending item names an applied move."""
    cat, moves = history
    state = replay(moves, cat).final
    for responder, items in state.pending.items():
        for (term, proposer), move_id in items.items():
            assert responder != proposer
            assert term in cat.by_id
            assert state.moves[move_id].move.author == proposer


@given(histories(), st.sampled_from(["P0", "P1", PUBLIC]))
def test_incremental_views_equal_direct_folds(history: History, viewer: str) -> None:
    """views() reuses folded prefixes; each of its states equals folding that point from scratch."""
    cat, moves = history
    timeline = replay(moves, cat)
    views = timeline.views(viewer)
    for step, view in zip(timeline.steps, views, strict=True):
        assert view == timeline.state_as_known_by(viewer, at=step.move.id)


@given(histories())
def test_a_principal_addressed_by_every_move_sees_the_whole_record(history: History) -> None:
    """With no receipt times, a party that received every move knows what the historian knows."""
    cat, moves = history
    timeline = replay(moves, cat)
    for party in cat.principals:
        if all(party == m.author or party in m.addressees for m in moves):
            assert timeline.state_as_known_by(party) == timeline.final


def test_folding_pauses_the_cyclic_collector_and_restores_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """States hold no cycles: a fold runs without the cyclic GC and leaves its setting as it was."""
    from negotiation import engine

    seen: list[bool] = []
    real = engine.step

    def spy(state: State, move: Move, *, strict: bool = True) -> engine.Step:
        seen.append(gc.isenabled())
        return real(state, move, strict=strict)

    monkeypatch.setattr(engine, "step", spy)
    cat = Catalogue([Party("A"), Party("B")], [Term("x", ["B"], "x")])
    moves = [Move("p", "A", (Act("propose", term="x"),), ("B",))]
    assert gc.isenabled()
    timeline = replay(moves, cat)
    timeline.views("B")
    assert seen and not any(seen)
    assert gc.isenabled()
    gc.disable()
    try:
        replay(moves, cat)
        assert not gc.isenabled()
    finally:
        gc.enable()


@given(histories(min_moves=1), st.integers(1, 5), st.data())
def test_checkpointed_timelines_give_every_step_of_a_full_one(
    history: History, every: int, data: st.DataObject
) -> None:
    """Keeping one state in `every` loses nothing: any step, in any order, is the one a timeline
    keeping every state holds (state, changes and notes), and so is every fork of it."""
    cat, moves = history
    full = replay(moves, cat, checkpoint_every=1)
    sparse = replay(moves, cat, checkpoint_every=every)
    order = data.draw(st.permutations(range(len(moves))))
    for i in order:
        assert sparse.step_at(i) == full.step_at(i)
        assert sparse.index(moves[i].id) == i
    assert sparse == full
    assert sparse.final == full.final
    at = data.draw(st.integers(0, len(moves) - 1))
    tail = moves[at + 1 :]
    assert sparse.fork(moves[at].id, tail) == full
    if len(moves) > 1:
        assert sparse.drop(moves[-1].id) == full.until(moves[-2].id)


def test_a_checkpointed_timeline_keeps_one_state_in_every_stretch() -> None:
    """Only checkpoints and the last stretch's steps are held; other steps are folded on demand."""
    cat = Catalogue([Party("A"), Party("B")], [Term(f"t{i}", ["B"], "x") for i in range(10)])
    moves = [Move(f"m{i}", "A", (Act("propose", term=f"t{i}"),), ("B",)) for i in range(10)]
    timeline = replay(moves, cat, checkpoint_every=4)
    assert [s.count for s in timeline._checkpoints] == [0, 4, 8]
    assert [s.move.id for s in timeline._tail] == ["m8", "m9"]
    first = timeline.step_at(1)
    assert timeline.step_at(1) is first  # a stretch folded again is kept for the next look
    assert timeline.step_at(5).state == replay(moves[:6], cat).final


def test_checkpoints_need_a_positive_interval() -> None:
    cat = Catalogue([Party("A"), Party("B")], [Term("x", ["B"], "x")])
    with pytest.raises(ModelError, match="at least 1"):
        replay([], cat, checkpoint_every=0)
