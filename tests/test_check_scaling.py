"""`check_timeline` in one linear walk: the reference's findings, at a cost that grows with the moves.

The reference (tests/reference_checks.py) runs every state check on every state and rescans
the history at each point; the library looks again only at the terms a move could have
changed a finding on. Histories here include acts kept although they break a rule, so the
error checks have something to find.
"""

from __future__ import annotations

import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reference_checks as reference
from conftest import ROOT
from helpers import RELATED, act, catalogue, irregular_histories, move
from negotiation import Catalogue, Move, State, Term, replay
from negotiation import invariants as inv


@given(irregular_histories())
def test_check_timeline_agrees_with_the_reference(history: tuple[Catalogue, list[Move]]) -> None:
    cat, moves = history
    timeline = replay(moves, cat)
    assert inv.check_timeline(timeline) == reference.check_timeline(timeline)


@given(irregular_histories(), st.data())
def test_a_state_check_on_some_terms_gives_the_findings_whose_first_term_is_one(
    history: tuple[Catalogue, list[Move]], data: st.DataObject
) -> None:
    cat, moves = history
    state = replay(moves, cat).final
    some = data.draw(st.sets(st.sampled_from(list(cat.by_id))))
    for code, check in inv.STATE_INVARIANTS.items():
        everything = check(state, None)
        assert check(state, some) == [f for f in everything if f.terms[0] in some], code
    assert [f.key for f in inv.check_state(state)] == [f.key for f in reference.check_state(state)]


def test_the_irregular_histories_reach_errors_and_warnings() -> None:
    """The differential test means something only if the histories break invariants."""
    codes: set[str] = set()

    @given(irregular_histories())
    def collect(history: tuple[Catalogue, list[Move]]) -> None:
        codes.update(f.code for f in inv.check_timeline(replay(history[1], history[0])))

    collect()
    assert {"unfounded-acceptance", "contradictory-stances", "irregular-act"} <= codes


def _status_calls(monkeypatch: pytest.MonkeyPatch, n_moves: int) -> int:
    """How many statuses and agreements one check of a generated history works out."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from run import synthetic  # the benchmarks' seeded generator of legal histories

    cat, moves = synthetic(n_moves, 300, 3, seed=2)
    timeline = replay(moves, cat)
    calls = 0
    agreed, status = inv.is_agreed, inv.term_status

    def counted_agreed(state: State, term: str) -> bool:
        nonlocal calls
        calls += 1
        return agreed(state, term)

    def counted_status(state: State, term: str) -> object:
        nonlocal calls
        calls += 1
        return status(state, term)

    with monkeypatch.context() as m:
        m.setattr(inv, "is_agreed", counted_agreed)
        m.setattr(inv, "term_status", counted_status)
        inv.check_timeline(timeline)
    return calls


def test_check_work_grows_with_the_moves_not_moves_times_terms(monkeypatch: pytest.MonkeyPatch) -> None:
    small, large = _status_calls(monkeypatch, 400), _status_calls(monkeypatch, 1600)
    # The reference would look at all 300 terms after each move: 120k and 480k calls at least.
    assert large < 4 * small * 1.3
    assert large < 1600 * 300 / 10


KEPT = "kept to exercise the checks"


def _first_report(moves: list[Move], cat: Catalogue, code: str) -> tuple[str | None, tuple[str, ...]]:
    """Where check_timeline first reports the code, and on which terms; it must match the reference."""
    timeline = replay(moves, cat)
    found = inv.check_timeline(timeline)
    assert found == reference.check_timeline(timeline)
    hits = [f for f in found if f.code == code]
    assert hits, f"no {code} finding"
    return hits[0].move, hits[0].terms


def test_a_finding_on_a_conflicting_pair_appears_when_only_the_second_term_moves() -> None:
    # w conflicts with x: w is agreed first, then B accepts x anyway; only x moves, the pair is (w, x).
    moves = [
        move("a1", "A", act("propose", "w")),
        move("b1", "B", act("accept", "w")),
        move("a2", "A", act("propose", "x")),
        move("b2", "B", act("accept", "x", irregular=KEPT)),
    ]
    assert _first_report(moves, RELATED, "conflicting-agreement") == ("b2", ("w", "x"))


def test_a_refused_requirement_appears_when_only_the_required_term_moves() -> None:
    # v requires x: v is agreed, then B rejects x; only x moves, the finding is on (v, x).
    moves = [
        move("a1", "A", act("propose", "x"), act("propose", "v")),
        move("b1", "B", act("accept", "v")),
        move("b2", "B", act("reject", "x", irregular=KEPT)),
    ]
    assert _first_report(moves, RELATED, "refused-requirement") == ("b2", ("v", "x"))


def test_a_refused_requirement_appears_when_only_the_term_replacing_it_moves() -> None:
    # r replaces x: while r is agreed, x reads replaced, not rejected; B's withdrawal of r alone
    # brings x back to rejected, and with it the finding on (v, x).
    cat = catalogue(
        Term("x", ["B"], "B does x"),
        Term("v", ["A"], "A does v once x is done", requires=["x"]),
        Term("r", ["B"], "B does r in place of x", replaces=["x"]),
    )
    moves = [
        move("a1", "A", act("propose", "x"), act("propose", "v"), act("propose", "r")),
        move("b1", "B", act("accept", "v"), act("accept", "r")),
        move("b2", "B", act("reject", "x", irregular=KEPT)),
        move("b3", "B", act("withdraw", "r")),
    ]
    assert _first_report(moves, cat, "refused-requirement") == ("b3", ("v", "x"))


def test_a_refused_condition_appears_when_only_the_condition_moves() -> None:
    # A holds y conditional on x; y is agreed; B's rejection of x moves x alone.
    moves = [
        move("a1", "A", act("propose", "x"), act("propose", "y", conditions=("x",))),
        move("b1", "B", act("accept", "y")),
        move("b2", "B", act("reject", "x")),
    ]
    assert _first_report(moves, RELATED, "refused-condition") == ("b2", ("y", "x"))


def test_the_conditions_index_follows_the_current_positions() -> None:
    """A released condition stops linking the terms; an index that only grew would make late
    moves look again at most of the catalogue (correct findings, superlinear check)."""
    moves = [
        move("a1", "A", act("propose", "x"), act("propose", "y", conditions=("x",))),
        move("a2", "A", act("release", "y", conditions=("x",))),
    ]
    timeline = replay(moves, RELATED)
    conditioned = inv.Conditioned(timeline.initial)
    seen = []
    for s in timeline:
        for c in s.changes:
            conditioned.update(c.term, c.before, c.after)
        seen.append(set(conditioned.get("x")))
    assert seen == [{"y"}, set()]
    assert set(inv.Conditioned(timeline.step_of("a1").state).get("x")) == {"y"}
    assert set(inv.Conditioned(timeline.final).get("x")) == set()
