"""A hypothesis state machine that plays, forks and queries negotiations against a naive model.

`NegotiationMachine` interleaves legal moves, illegal moves, forks back to earlier points and
queries, and checks every step against a deliberately naive reference: a plain dict of
(term, party) -> stance, updated by what each verb says in one line. Run it as a test with
`TestNegotiation = NegotiationMachine.TestCase`; subclass it and override `expected_stance`
to test rules of your own.
"""

from __future__ import annotations

from typing import Any

from hypothesis import note
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from negotiation.catalogue import Catalogue
from negotiation.engine import Timeline
from negotiation.errors import IllegalMove
from negotiation.findings import Severity
from negotiation.invariants import check_state
from negotiation.model import Act, Move
from negotiation.rules import play
from negotiation.state import State
from negotiation.status import is_agreed, term_status, unmet_conditions
from negotiation.testing.strategies import catalogues, illegal_moves, legal_moves
from negotiation.vocabulary import (
    BINDING_STANCES,
    NAMED_STANCE,
    PERFORMANCE,
    SUPPORTING,
    Extent,
    Stance,
    Status,
    Verb,
)

__all__ = ["NaiveModel", "NegotiationMachine"]

NaiveModel = dict[tuple[str, str], Stance]
"""The reference: each (term, party) and the stance its last act on the term gave it."""


class NegotiationMachine(RuleBasedStateMachine):
    """Moves, forks and queries against the real engine and a one-line-per-verb reference model."""

    def __init__(self) -> None:
        super().__init__()
        self.timeline: Timeline | None = None
        self.models: list[NaiveModel] = []
        self.acted: list[dict[str, frozenset[str]]] = []

    # -- the reference ------------------------------------------------------------------------

    def expected_stance(self, model: NaiveModel, act: Act, term: str, author: str) -> Stance | None:
        """What the naive model says the author's stance on the term becomes after the act."""
        current = model.get((term, author))
        if act.verb is Verb.PROPOSE:
            return Stance.PROPOSED
        if act.verb is Verb.ACCEPT:
            return current if current in BINDING_STANCES else Stance.ACCEPTED
        if act.verb is Verb.AFFIRM:
            return current if current in PERFORMANCE else Stance.AFFIRMED
        if act.verb is Verb.FULFIL:
            return Stance.PERFORMING if act.extent is Extent.BEGUN else Stance.FULFILLED
        if act.verb is Verb.IGNORE:
            return current if current is not None else Stance.IGNORED
        if act.verb in (Verb.REJECT, Verb.DISPUTE, Verb.WITHDRAW, Verb.CONTEST, Verb.CONFIRM):
            return NAMED_STANCE[act.verb]
        return current  # restate and condition keep the stance

    def naive_allows(self, model: NaiveModel, act: Act, author: str, catalogue: Catalogue) -> bool:
        """A few rules the naive model knows in one line each; the engine must never be laxer."""
        if act.term is None:
            return True
        others = [s for (t, p), s in model.items() if t == act.term and p != author]
        mine = model.get((act.term, author))
        if act.verb is Verb.ACCEPT:
            return any(s in SUPPORTING for s in others)
        if act.verb is Verb.REJECT:
            return mine is not Stance.PROPOSED and any(s in SUPPORTING for s in others)
        if act.verb is Verb.WITHDRAW:
            return mine in SUPPORTING and mine is not Stance.FULFILLED
        obligors = catalogue.by_id[act.term].obligors
        if act.verb is Verb.FULFIL:
            contested = Stance.CONTESTED in others
            return author in obligors and (mine is not Stance.FULFILLED or contested)
        if act.verb in (Verb.CONTEST, Verb.CONFIRM):
            claims = [model.get((act.term, o)) for o in obligors if o != author]
            return any(s in PERFORMANCE for s in claims) and not (author in obligors and mine in PERFORMANCE)
        if act.verb is Verb.RESTATE:
            return mine is not None
        return True

    def _predict(
        self, model: NaiveModel, move: Move, acted: dict[str, frozenset[str]]
    ) -> tuple[NaiveModel, set[str]]:
        """The model after the move's acts, and the terms the acts touched."""
        new = dict(model)
        touched: set[str] = set()
        for act in move.acts:
            if act.term is not None:
                terms = [act.term]
            else:
                earlier = acted.get(act.move or "", frozenset())
                if act.verb is Verb.IGNORE:
                    terms = [t for t in sorted(earlier) if new.get((t, move.author)) is None]
                else:  # affirm a move: the undertakings both its author and the affirming party hold
                    target = next(s.move for s in self._steps() if s.move.id == act.move)
                    terms = [
                        t
                        for t in sorted(earlier)
                        if new.get((t, move.author)) in SUPPORTING
                        and new.get((t, target.author)) in SUPPORTING
                    ]
            if act.term is not None:
                assert self.naive_allows(new, act, move.author, self.state.catalogue), (
                    f"the engine let {move.author} {act.verb} {act.term}, which the naive model forbids"
                )
            for term in terms:
                stance = self.expected_stance(new, act, term, move.author)
                if stance is not None:
                    new[(term, move.author)] = stance
                touched.add(term)
        return new, touched

    def _steps(self) -> tuple[Any, ...]:
        assert self.timeline is not None
        return self.timeline.steps

    @property
    def state(self) -> State:
        assert self.timeline is not None
        return self.timeline.final

    # -- rules --------------------------------------------------------------------------------

    @initialize(catalogue=catalogues(max_terms=5))
    def start(self, catalogue: Catalogue) -> None:
        note(f"catalogue: {[t.id for t in catalogue.terms]}, principals {catalogue.principals}")
        self.timeline = Timeline(State.initial(catalogue), ())
        self.models = [{}]
        self.acted = [{}]

    @rule(data=st.data())
    def play_a_legal_move(self, data: st.DataObject) -> None:
        state = self.state
        move = data.draw(legal_moves(state, move_id=f"m{len(self.models)}-{state.count}"))
        if move is None:
            return
        acts = [(str(a.verb), a.target) for a in move.acts]
        note(f"play {move.id}: {move.author} -> {move.addressees} {acts}")
        model, touched = self._predict(self.models[-1], move, self.acted[-1])
        new, changes, _ = play(state, move)
        for (term, party), stance in model.items():
            if term in touched and party == move.author:
                assert new.stance(term, party) is stance, (term, party, new.stance(term, party), stance)
        for change in changes:
            if change.term not in touched or change.party != move.author:
                # Only silence (which may leave a statement unchallenged) or a fresh statement
                # (which clears the mark of having let the old one stand) moves an untouched position.
                assert change.cause in ("silence", "restated"), change
                allowed = (
                    (Stance.UNCHALLENGED, change.before.stance)
                    if change.cause == "silence"
                    else (change.before.stance,)
                )
                assert change.after.stance in allowed, change
        for change in changes:  # the reference learns what silence did
            if change.cause == "silence":
                model[(change.term, change.party)] = change.after.stance  # type: ignore[assignment]
        assert self.timeline is not None
        self.timeline = self.timeline.fork(
            self.timeline.step_at(-1).move.id if len(self.timeline) else None, [move]
        )
        self.models.append(model)
        self.acted.append({**self.acted[-1], move.id: frozenset(touched)})

    @rule(data=st.data())
    def an_illegal_move_changes_nothing(self, data: st.DataObject) -> None:
        drawn = data.draw(illegal_moves(self.state))
        if drawn is None:
            return
        move, index = drawn
        note(f"illegal {[(str(a.verb), a.target) for a in move.acts]} at acts[{index}]")
        before = self.state
        error: IllegalMove | None = None
        try:
            play(before, move)
        except IllegalMove as e:
            error = e
        assert error is not None, f"{move} was accepted"
        assert (error.move_id, error.act_index) == (move.id, index), error
        assert self.state is before

    @precondition(lambda self: self.timeline is not None and len(self.timeline) > 0)
    @rule(data=st.data())
    def fork_back(self, data: st.DataObject) -> None:
        assert self.timeline is not None
        parent = self.timeline
        snapshot = [s.state for s in parent.steps]
        at = data.draw(st.integers(-1, len(parent) - 1))
        note(f"fork back to step {at}")
        self.timeline = parent.fork(parent.step_at(at).move.id if at >= 0 else None, [])
        assert [s.state for s in parent.steps] == snapshot
        self.models = self.models[: at + 2]
        self.acted = self.acted[: at + 2]

    # -- invariants ---------------------------------------------------------------------------

    @invariant()
    def the_model_and_the_engine_agree(self) -> None:
        if self.timeline is None:
            return
        state, model = self.state, self.models[-1]
        for (term, party), stance in model.items():
            assert state.stance(term, party) is stance, (term, party)

    @invariant()
    def statuses_follow_the_stances(self) -> None:
        if self.timeline is None:
            return
        state = self.state
        for term in state.catalogue.by_id:
            positions = state.positions(term).values()
            stances = [p.stance for p in positions]
            status = term_status(state, term)
            performed = {Stance.FULFILLED, Stance.CONTESTED}.intersection(stances)
            replaced = any(is_agreed(state, t) for t in state.catalogue.replaced_by[term])
            if all(p.counts for p in positions) and not performed and not replaced:
                assert status in (Status.AGREED, Status.CONDITIONAL, Status.DIVERGENT, Status.BINDING), (
                    term,
                    status,
                )
                assert (status is Status.CONDITIONAL) == (
                    status is not Status.BINDING and bool(unmet_conditions(state, term))
                )
                assert (status is Status.BINDING) == bool(BINDING_STANCES.intersection(stances))
            needed = state.positions(term)
            principals_behind = all(needed[p].counts for p in state.catalogue.principals)
            if status is Status.AWAITING_CONSENT:
                # Only a party named in consent can hold a settled term short of agreement.
                assert principals_behind, term
                assert not all(p.counts for p in positions), term
                assert any(not needed[p].counts for p in state.catalogue.by_id[term].consent), term

    @invariant()
    def no_invariant_is_broken(self) -> None:
        if self.timeline is None:
            return
        errors = [f for f in check_state(self.state) if f.severity is Severity.ERROR]
        assert not errors, errors
