"""Hypothesis strategies for catalogues, formulations, legal and illegal moves, scenarios and branches.

Shipped with the package so users can property-test their own rules and scenarios with the
same generators the project's tests use. Every option is keyword-only and bounded; the moves
drawn are checked against the real rules, so "legal" means what `apply` accepts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs
from hypothesis import strategies as st

from negotiation.candidates import candidate_acts as _candidate_acts
from negotiation.catalogue import Catalogue
from negotiation.engine import apply
from negotiation.errors import IllegalMove
from negotiation.io.scenario import Scenario
from negotiation.model import Act, Formulation, Move, Party, Term, When
from negotiation.state import State
from negotiation.vocabulary import MODAL_VERBS, WORDING_VERBS, Channel, Modality, Role, Verb

__all__ = [
    "branch_pairs",
    "candidate_acts",
    "catalogues",
    "formulations",
    "histories",
    "illegal_moves",
    "legal_acts",
    "legal_moves",
    "scenarios",
]

_WORDS = st.sampled_from(
    ["at once", "under UN supervision", "within a month", "in secret", "as stated", "in full"]
)
_EPOCH = dt.datetime(1962, 10, 22, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=-4)))


def _bounded(name: str, low: int, lo: int, hi: int, high: int) -> None:
    if not low <= lo <= hi <= high:
        raise ValueError(f"{name} must satisfy {low} <= min <= max <= {high}, not {lo}..{hi}")


@st.composite
def catalogues(
    draw: st.DrawFn,
    *,
    min_principals: int = 2,
    max_principals: int = 3,
    min_terms: int = 1,
    max_terms: int = 6,
    third_parties: bool = True,
    mediators: bool = True,
    relations: bool = True,
) -> Catalogue:
    """A catalogue of principals, perhaps a mediator M and a third party X, and terms obliging them.

    Some terms need X's consent. With `relations`, some terms require, conflict with or
    replace others, so the rules on contradictory stances and replaced terms are exercised too.
    """
    _bounded("principals", 1, min_principals, max_principals, 6)
    _bounded("terms", 1, min_terms, max_terms, 200)
    n = draw(st.integers(min_principals, max_principals))
    parties = [Party(f"P{i}") for i in range(n)]
    if mediators and draw(st.booleans()):
        parties.append(Party("M", "a mediator", Role.MEDIATOR))
    third = third_parties and draw(st.booleans())
    if third:
        parties.append(Party("X", "a third party", Role.THIRD))
    ids = [p.id for p in parties if p.role is not Role.MEDIATOR]
    count = draw(st.integers(min_terms, max_terms))
    terms = []
    for i in range(count):
        obligors = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=2, unique=True))
        earlier = [f"t{j}" for j in range(i)]
        requires: list[str] = []
        conflicts: list[str] = []
        if relations and earlier:
            requires = draw(st.lists(st.sampled_from(earlier), max_size=1))
            unrelated = [e for e in earlier if e not in requires]
            if unrelated:
                conflicts = draw(st.lists(st.sampled_from(unrelated), max_size=1))
        consent = ["X"] if third and draw(st.booleans()) else []
        replaces: list[str] = []
        if relations and earlier:
            free = [e for e in earlier if e not in requires and e not in conflicts]
            replaces = draw(st.lists(st.sampled_from(free), max_size=1)) if free else []
        terms.append(
            Term(
                f"t{i}",
                obligors,
                f"term {i}",
                requires=requires,
                conflicts=conflicts,
                consent=consent,
                replaces=replaces,
            )
        )
    return Catalogue(parties, terms)


@st.composite
def formulations(draw: st.DrawFn, *, terms: Sequence[str] = ("t0", "t1", "t2")) -> Formulation:
    """A formulation with some qualifiers and conditions drawn from `terms`."""
    return Formulation(
        text=draw(_WORDS),
        scope=draw(st.none() | _WORDS),
        verification=draw(st.none() | _WORDS),
        timing=draw(st.none() | _WORDS),
        confidentiality=draw(st.none() | _WORDS),
        conditions=frozenset(draw(st.lists(st.sampled_from(list(terms)), max_size=2)))
        if terms
        else frozenset(),
        quote=draw(st.none() | _WORDS),
    )


def candidate_acts(state: State, author: str) -> list[Act]:
    """One plain act of every verb on every term (or earlier move), legal or not.

    The candidates of `negotiation.candidates`, with fulfilment at every extent; a
    restatement carries a stock wording, since a restatement without one is never legal.
    """
    return _candidate_acts(state, extents=True, restatement="as restated")


def _probe(
    state: State, author: str, acts: Sequence[Act], to: Sequence[str], channel: Channel, sent: When | None
) -> bool:
    probe = "?probe"
    while probe in state.moves:
        probe += "?"
    try:
        apply(state, Move(probe, author, tuple(acts), tuple(to), channel, sent=sent))
    except IllegalMove:
        return False
    return True


def legal_acts(
    state: State,
    author: str,
    *,
    addressees: Sequence[str] = (),
    channel: Channel | None = None,
    sent: When | None = None,
    before: Sequence[Act] = (),
) -> list[Act]:
    """The plain acts the author may make next in a move (after the acts `before` in it)."""
    to = tuple(addressees) or tuple(p for p in state.catalogue.principals if p != author)[:1]
    channel = channel or (Channel.PRIVATE if to else Channel.PUBLIC)
    return [
        a for a in candidate_acts(state, author) if _probe(state, author, (*before, a), to, channel, sent)
    ]


@st.composite
def _formulated(draw: st.DrawFn, act: Act, terms: Sequence[str]) -> Act:
    """The act, perhaps with a wording, qualifiers or conditions of its own where its verb allows."""
    if act.verb not in WORDING_VERBS or act.term is None:
        return act
    if not draw(st.booleans()):
        return act
    others = [t for t in terms if t != act.term]
    modality = draw(st.sampled_from(list(Modality))) if act.verb in MODAL_VERBS else act.modality
    quote = draw(st.none() | _WORDS)
    return attrs.evolve(
        act,
        modality=modality,
        wording=draw(st.none() | _WORDS) if act.verb is not Verb.RESTATE else draw(_WORDS),
        scope=draw(st.none() | _WORDS),
        timing=draw(st.none() | _WORDS),
        conditions=tuple(draw(st.lists(st.sampled_from(others), max_size=2, unique=True))) if others else (),
        quote=quote,
        verified=draw(st.none() | st.booleans()) if quote is not None else None,
    )


@st.composite
def legal_moves(
    draw: st.DrawFn, state: State, *, max_acts: int = 3, move_id: str | None = None, timed: bool = False
) -> Move | None:
    """A move `apply` accepts in this state, by any drawn party; None when it has no legal act.

    With `timed`, the move is sent an hour after the state's clock, and some addressees
    receive it later.
    """
    _bounded("acts", 1, 1, max_acts, 20)
    parties = [p.id for p in state.catalogue.parties]
    author = draw(st.sampled_from(parties))
    others = [p for p in parties if p != author]
    channel = draw(st.sampled_from(list(Channel)))
    addressees: tuple[str, ...] = (
        tuple(draw(st.lists(st.sampled_from(others), min_size=1, max_size=len(others), unique=True)))
        if others
        else ()
    )
    if not addressees:
        channel = Channel.PUBLIC
    sent = received = None
    if timed:
        at = (state.clock.at if state.clock and state.clock.at else _EPOCH) + dt.timedelta(hours=1)
        sent = When.of(at)
        late = [p for p in addressees if draw(st.booleans())]
        received = {p: When.of(at + dt.timedelta(hours=draw(st.integers(0, 30)))) for p in late}
    mid = move_id or f"m{state.count}"
    terms = list(state.catalogue.by_id)
    acts: list[Act] = []
    for _ in range(draw(st.integers(1, max_acts))):
        options = legal_acts(state, author, addressees=addressees, channel=channel, sent=sent, before=acts)
        if not options:
            break
        act = draw(_formulated(draw(st.sampled_from(options)), terms))
        if _probe(state, author, (*acts, act), addressees, channel, sent):
            acts.append(act)
    if not acts:
        return None
    return Move(mid, author, tuple(acts), addressees, channel, sent=sent, received=received)


@st.composite
def illegal_moves(draw: st.DrawFn, state: State, *, max_acts: int = 3) -> tuple[Move, int] | None:
    """A move whose acts are legal up to one that breaks a rule, and that act's index.

    None when every candidate act is legal for the drawn author (rare: an empty catalogue).
    """
    parties = [p.id for p in state.catalogue.parties]
    author = draw(st.sampled_from(parties))
    others = [p for p in parties if p != author]
    to = tuple(others[:1])
    channel = Channel.PRIVATE if to else Channel.PUBLIC
    prefix: list[Act] = []
    for _ in range(draw(st.integers(0, max_acts - 1))):
        options = legal_acts(state, author, addressees=to, channel=channel, before=prefix)
        if not options:
            break
        prefix.append(draw(st.sampled_from(options)))
    legal = set(legal_acts(state, author, addressees=to, channel=channel, before=prefix))
    bad = [a for a in candidate_acts(state, author) if a not in legal]
    if not bad:
        return None
    act = draw(st.sampled_from(bad))
    mid = "?bad"
    while mid in state.moves:
        mid += "?"
    return Move(mid, author, (*prefix, act), to, channel), len(prefix)


@st.composite
def histories(
    draw: st.DrawFn,
    *,
    catalogue: Catalogue | None = None,
    min_moves: int = 0,
    max_moves: int = 12,
    max_acts: int = 3,
    timed: bool = False,
) -> tuple[Catalogue, list[Move]]:
    """A catalogue and a sequence of moves that replays without an illegal act."""
    _bounded("moves", 0, min_moves, max_moves, 500)
    cat = catalogue if catalogue is not None else draw(catalogues())
    state = State.initial(cat)
    moves: list[Move] = []
    target = draw(st.integers(min_moves, max_moves))
    attempts = 0
    while len(moves) < target and attempts < target * 3 + 3:
        attempts += 1
        move = draw(legal_moves(state, max_acts=max_acts, move_id=f"m{len(moves)}", timed=timed))
        if move is None:
            continue
        state = apply(state, move)
        moves.append(move)
    return cat, moves


_TEXT = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), min_size=1, max_size=40
).filter(lambda s: s.strip() != "")


@st.composite
def scenarios(
    draw: st.DrawFn,
    *,
    min_moves: int = 0,
    max_moves: int = 10,
    max_acts: int = 3,
    timed: bool = True,
    notes: bool = True,
) -> Scenario:
    """A whole scenario: a catalogue and legal moves, with titles, sources and notes to round-trip."""
    cat, moves = draw(histories(min_moves=min_moves, max_moves=max_moves, max_acts=max_acts, timed=timed))
    if notes:
        moves = [
            attrs.evolve(
                m,
                title=draw(st.just("") | _TEXT),
                source=draw(st.none() | _TEXT),
                note=draw(st.none() | _TEXT),
                acts=tuple(attrs.evolve(a, note=draw(st.none() | _TEXT)) for a in m.acts),
            )
            for m in moves
        ]
    return Scenario(
        draw(st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True)),
        cat,
        tuple(moves),
        title=draw(st.just("") | _TEXT),
        description=draw(st.just("") | _TEXT),
        own_moves=tuple(moves),
    )


@st.composite
def branch_pairs(
    draw: st.DrawFn, *, max_moves: int = 8, max_branch_moves: int = 3
) -> tuple[Scenario, Scenario]:
    """A base scenario and a branch of it: the base's moves up to a drawn point, then others."""
    base = draw(scenarios(min_moves=1, max_moves=max_moves, notes=False, timed=False))
    at = draw(st.integers(0, len(base.moves) - 1))
    state = base.replay().step_at(at).state
    own: list[Move] = []
    for i in range(draw(st.integers(0, max_branch_moves))):
        move = draw(legal_moves(state, move_id=f"b{i}"))
        if move is None:
            continue
        state = apply(state, move)
        own.append(move)
    kept = base.moves[: at + 1]
    branch = Scenario(
        f"{base.id}-branch",
        base.catalogue,
        (*kept, *own),
        base=base,
        fork_after=kept[-1].id,
        own_moves=tuple(own),
    )
    return base, branch
