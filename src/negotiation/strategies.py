"""Hypothesis strategies for catalogues, legal moves and whole histories.

Shipped with the package so users can property-test their own rules and scenarios with the
same generators the project's tests use. Every option is keyword-only and bounded.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

from negotiation.errors import IllegalMove
from negotiation.model import Act, Catalogue, Channel, Extent, Move, Party, Role, Term, Verb
from negotiation.rules import play
from negotiation.state import State

__all__ = ["candidate_acts", "catalogues", "histories", "legal_acts", "moves_in"]

_IDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6)
_WORDS = st.sampled_from(
    ["at once", "under UN supervision", "within a month", "in secret", "as stated", "in full"]
)


@st.composite
def catalogues(
    draw: st.DrawFn,
    *,
    min_principals: int = 2,
    max_principals: int = 3,
    min_terms: int = 1,
    max_terms: int = 6,
    third_parties: bool = True,
) -> Catalogue:
    """A catalogue of principals (and perhaps a third party) and terms obliging them."""
    if not 1 <= min_principals <= max_principals <= 6:
        raise ValueError("principals must satisfy 1 <= min_principals <= max_principals <= 6")
    if not 1 <= min_terms <= max_terms <= 200:
        raise ValueError("terms must satisfy 1 <= min_terms <= max_terms <= 200")
    n = draw(st.integers(min_principals, max_principals))
    parties = [Party(f"P{i}") for i in range(n)]
    if third_parties and draw(st.booleans()):
        parties.append(Party("X", "a third party", Role.THIRD))
    ids = [p.id for p in parties]
    count = draw(st.integers(min_terms, max_terms))
    terms = []
    for i in range(count):
        obligors = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=2, unique=True))
        others = [f"t{j}" for j in range(count) if j != i]
        requires = draw(st.lists(st.sampled_from(others), max_size=1)) if others else []
        terms.append(Term(f"t{i}", obligors, f"term {i}", requires=requires))
    return Catalogue(parties, terms)


def candidate_acts(state: State, author: str) -> list[Act]:
    """One plain act of every verb on every term (or earlier move), legal or not.

    A restatement carries a stock wording, since a restatement without one is never legal.
    """
    acts: list[Act] = []
    for verb in Verb:
        if verb in (Verb.IGNORE, Verb.AFFIRM):
            acts += [Act(verb, move=m) for m in sorted(state.moves)]
        if verb is Verb.IGNORE:
            continue
        for term in state.catalogue.by_id:
            if verb is Verb.CONDITION:
                acts += [
                    Act(verb, term=term, conditions=(other,))
                    for other in state.catalogue.by_id
                    if other != term
                ]
            elif verb is Verb.FULFIL:
                acts += [Act(verb, term=term, extent=e) for e in Extent]
            elif verb is Verb.RESTATE:
                acts.append(Act(verb, term=term, wording="as restated"))
            else:
                acts.append(Act(verb, term=term))
    return acts


def legal_acts(state: State, author: str, *, addressees: Sequence[str] = ()) -> list[Act]:
    """The bare acts the author may make alone in a private move to the addressees."""
    to = tuple(addressees) or tuple(p for p in state.catalogue.principals if p != author)[:1]
    channel = Channel.PRIVATE if to else Channel.PUBLIC
    probe = "?probe"
    while probe in state.moves:
        probe += "?"
    legal = []
    for act in candidate_acts(state, author):
        try:
            play(state, Move(probe, author, (act,), to, channel))
        except IllegalMove:
            continue
        legal.append(act)
    return legal


@st.composite
def _formulated(draw: st.DrawFn, act: Act, terms: Sequence[str]) -> Act:
    """The act, perhaps with a wording, qualifiers or conditions of its own where its verb allows."""
    if act.verb not in (Verb.PROPOSE, Verb.ACCEPT, Verb.RESTATE, Verb.DISPUTE) or act.term is None:
        return act
    if not draw(st.booleans()):
        return act
    others = [t for t in terms if t != act.term]
    return Act(
        act.verb,
        term=act.term,
        wording=draw(st.none() | _WORDS),
        scope=draw(st.none() | _WORDS),
        timing=draw(st.none() | _WORDS),
        conditions=draw(st.lists(st.sampled_from(others), max_size=2, unique=True)) if others else (),
        quote=draw(st.none() | _WORDS),
    )


@st.composite
def moves_in(draw: st.DrawFn, state: State, *, max_acts: int = 3, index: int = 0) -> Move | None:
    """A legal move in this state by a drawn principal, or None when that principal has no legal act."""
    principals = state.catalogue.principals
    author = draw(st.sampled_from(principals))
    others = [p for p in principals if p != author]
    channel = draw(st.sampled_from(list(Channel)))
    addressees: tuple[str, ...] = tuple(
        draw(st.lists(st.sampled_from(others), min_size=1, max_size=len(others), unique=True))
        if others
        else ()
    )
    if not addressees:
        channel = Channel.PUBLIC
    terms = list(state.catalogue.by_id)
    acts: list[Act] = []
    current = state
    for _ in range(draw(st.integers(1, max_acts))):
        options = legal_acts(current, author, addressees=addressees)
        if not options:
            break
        act = draw(_formulated(draw(st.sampled_from(options)), terms))
        trial = Move(f"m{index}", author, (*acts, act), addressees, channel)
        try:
            play(state, trial)
        except IllegalMove:
            continue
        acts.append(act)
    if not acts:
        return None
    return Move(f"m{index}", author, tuple(acts), addressees, channel)


@st.composite
def histories(
    draw: st.DrawFn,
    *,
    catalogue: Catalogue | None = None,
    min_moves: int = 0,
    max_moves: int = 12,
    max_acts: int = 3,
) -> tuple[Catalogue, list[Move]]:
    """A catalogue and a sequence of moves that replays without an illegal act."""
    if not 0 <= min_moves <= max_moves <= 500:
        raise ValueError("moves must satisfy 0 <= min_moves <= max_moves <= 500")
    cat = catalogue if catalogue is not None else draw(catalogues())
    state = State.initial(cat)
    moves: list[Move] = []
    target = draw(st.integers(min_moves, max_moves))
    attempts = 0
    while len(moves) < target and attempts < target * 3 + 3:
        attempts += 1
        move = draw(moves_in(state, max_acts=max_acts, index=len(moves)))
        if move is None:
            continue
        state = play(state, move)[0]
        moves.append(move)
    return cat, moves
