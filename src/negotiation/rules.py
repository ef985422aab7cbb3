"""The meaning of every act: its preconditions and its effect on the state, in one place.

`play(state, move)` checks the move, applies its acts in order, then lets silence speak: a
statement the author had received from an addressee and did not address in this move is left
unchallenged. A broken rule raises `IllegalMove`, unless the act is marked irregular (or the
fold is lenient, as in a party's partial view), in which case it is noted and applied as far
as it can be.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import attrs

from negotiation.checks import (
    check_move,
    check_refusal,
    check_relations,
    check_standing,
    earlier_move,
    known_term,
)
from negotiation.draft import Change, Draft, Irregularity
from negotiation.model import Act, Move, When
from negotiation.silence import new_statements, silence
from negotiation.state import EMPTY, MoveRecord, State
from negotiation.vocabulary import (
    BINDING_STANCES,
    JUDGED,
    NAMED_STANCE,
    PERFORMANCE,
    Extent,
    Stance,
    Verb,
)

__all__ = ["HANDLERS", "RULES", "Change", "Irregularity", "Played", "later", "play"]

RULES: dict[str, str] = {
    "duplicate-move": "a move id is used once in a history",
    "unknown-author": "a move's author is a party of the negotiation",
    "no-standing": (
        "a mediator does not accept, reject or affirm; a third party does so only on a term that "
        "obliges it or needs its consent"
    ),
    "unknown-party": "addressees and receipts name declared parties",
    "unknown-term": "acts name terms of the catalogue",
    "not-on-table": (
        "one can only accept, reject, restate, condition, affirm or fulfil a term somebody proposed"
    ),
    "own-proposal": "one cannot accept, reject or dispute a term only oneself stands behind",
    "already-proposed": "a term another party stands behind is accepted, not proposed again",
    "already-supporting": "a party that accepted a term restates it rather than proposing it",
    "no-position": "restating needs a position to restate",
    "nothing-to-restate": "a restatement gives a wording or a qualifier",
    "not-supporting": "one withdraws, conditions, releases or affirms only what one stands behind",
    "not-a-condition": "one releases only a condition one set",
    "not-obligor": "only a party the term obliges can fulfil it",
    "already-fulfilled": "a fulfilled term is not withdrawn, nor fulfilled again unless contested",
    "no-claim": "one contests or confirms a performance an obligor has reported",
    "own-claim": "an obligor does not contest or confirm its own performance",
    "unknown-move": "ignore and affirm name an earlier move",
    "own-move": "one does not ignore one's own move",
    "not-received": "one can only answer a move one has received",
    "affirms-nothing": "affirming a move needs an undertaking in it that both sides stand behind",
    "conflicting-terms": (
        "one does not accept, affirm or fulfil a term that conflicts with one it stands behind"
    ),
    "required-term-refused": (
        "one does not stand behind a term while rejecting or withdrawing a term it requires"
    ),
}
"""Every rule an act can break, by the id an `IllegalMove` carries."""


# -- one handler per verb ---------------------------------------------------------------------

Handler = Callable[[Draft, Act], None]


def _propose(d: Draft, act: Act) -> None:
    term, actor = known_term(d, act), d.author
    check_relations(d, term, committing=False)
    mine = d.position(term, actor)
    if mine.stance is Stance.PROPOSED:
        d.take(term, Stance.PROPOSED, d.formulate(term, act, mine.formulation, own=True))
        return
    if mine.supports:
        d.broke(
            "already-supporting",
            f"{actor} already stands behind {term!r} ({mine.stance})",
            "use restate to reword it",
        )
    elif others := d.supporters(term, besides=actor):
        d.broke(
            "already-proposed",
            f"{term!r} is already put forward by {', '.join(others)}",
            "use accept (with a wording of your own if it differs) or dispute",
        )
    d.take(term, Stance.PROPOSED, d.formulate(term, act, None, own=False))


def _accept(d: Draft, act: Act) -> None:
    term, actor = known_term(d, act), d.author
    check_standing(d, term)
    mine = d.position(term, actor)
    base = d.base_formulation(term, actor)
    if base is None and not d.supporters(term, besides=actor):
        if mine.supports:
            d.broke(
                "own-proposal",
                f"only {actor} stands behind {term!r}",
                "a party cannot accept its own proposal; wait for the other side",
            )
        else:
            d.broke("not-on-table", f"nobody has proposed {term!r}", "propose it first")
    check_relations(d, term, committing=True)
    stance = mine.stance if mine.stance in BINDING_STANCES else Stance.ACCEPTED
    d.take(term, stance, d.formulate(term, act, base or mine.formulation, own=False))


def _reject(d: Draft, act: Act) -> None:
    term, actor = known_term(d, act), d.author
    check_standing(d, term)
    if d.position(term, actor).stance is Stance.PROPOSED:
        d.broke("own-proposal", f"{actor} proposed {term!r} itself", "use withdraw")
    elif not d.supporters(term, besides=actor):
        d.broke(
            "not-on-table",
            f"nobody else stands behind {term!r}",
            "one rejects what another party proposed",
        )
    check_refusal(d, term)
    d.take(term, Stance.REJECTED, keep_formulation=True)


def _dispute(d: Draft, act: Act) -> None:
    term, actor = known_term(d, act), d.author
    positions = d.positions(term)
    mine = positions.get(actor, EMPTY)
    if not any(p != actor and pos.stance is not None for p, pos in positions.items()):
        if mine.supports:
            d.broke(
                "own-proposal",
                f"only {actor} has stated {term!r}",
                "one disputes another party's statement",
            )
        else:
            d.broke("not-on-table", f"nobody has stated {term!r}", "propose it instead")
    if act.formulates:
        d.take(term, Stance.DISPUTED, d.formulate(term, act, mine.formulation, own=True))
    else:
        d.take(term, Stance.DISPUTED, keep_formulation=True)


def _restate(d: Draft, act: Act) -> None:
    term, actor = known_term(d, act), d.author
    mine = d.position(term, actor)
    if mine.stance is None:
        d.broke(
            "no-position",
            f"{actor} holds no position on {term!r}",
            "use accept with a wording of your own, or dispute",
        )
    if not act.formulates:
        d.broke(
            "nothing-to-restate",
            "the restatement gives no wording or qualifier",
            "add wording, scope, verification, timing, confidentiality or conditions",
        )
    base = mine.formulation or d.base_formulation(term, actor)
    # Reached without a position only when the rule was waived: the actor is seen stating the term.
    stance = mine.stance or (Stance.ACCEPTED if d.supporters(term, besides=actor) else Stance.PROPOSED)
    d.take(term, stance, d.formulate(term, act, base, own=True))


def _condition(d: Draft, act: Act) -> None:
    term, actor = known_term(d, act), d.author
    mine = d.position(term, actor)
    if not mine.supports:
        d.broke(
            "not-supporting",
            f"{actor} does not stand behind {term!r} ({mine.stance})",
            "accept or propose it before making it conditional",
        )
    base = mine.formulation or d.base_formulation(term, actor)
    d.take(term, mine.stance, d.formulate(term, act, base, own=True))


def _release(d: Draft, act: Act) -> None:
    """Drop conditions one set, keeping the stance and the rest of one's formulation."""
    term, actor = known_term(d, act), d.author
    mine = d.position(term, actor)
    held = mine.formulation.conditions if mine.formulation is not None else frozenset()
    if not mine.supports:
        d.broke("not-supporting", f"{actor} does not stand behind {term!r} ({mine.stance})")
    for other in act.conditions:
        if other not in held:
            d.broke(
                "not-a-condition",
                f"{actor} did not make {term!r} conditional on {other!r}",
                f"its conditions: {', '.join(sorted(held)) or 'none'}",
            )
    if mine.formulation is None:
        d.take(term, mine.stance, keep_formulation=True)
        return
    kept = attrs.evolve(
        mine.formulation, conditions=held - set(act.conditions), quote=act.quote, move=d.move.id
    )
    d.take(term, mine.stance, kept)


def _withdraw(d: Draft, act: Act) -> None:
    term, actor = known_term(d, act), d.author
    mine = d.position(term, actor)
    if mine.stance is Stance.FULFILLED:
        d.broke("already-fulfilled", f"{actor} has reported {term!r} fulfilled")
    elif not mine.supports:
        d.broke(
            "not-supporting",
            f"{actor} does not stand behind {term!r}",
            "one withdraws one's own proposal or acceptance",
        )
    check_refusal(d, term)
    d.take(term, Stance.WITHDRAWN, keep_formulation=True)


def _ignore(d: Draft, act: Act) -> None:
    assert act.move is not None
    record = earlier_move(d, act.move)
    if record is None:
        return
    actor = d.author
    if record.move.author == actor:
        d.broke("own-move", f"{act.move!r} is {actor}'s own move")
    d.set_aside.update(record.touched)
    for term in record.touched:
        if d.position(term, actor).stance is None:
            d.take(term, Stance.IGNORED)


def _affirm(d: Draft, act: Act) -> None:
    actor = d.author
    if act.term is not None:
        term = known_term(d, act)
        mine = d.position(term, actor)
        if not mine.supports:
            d.broke(
                "not-supporting",
                f"{actor} does not stand behind {term!r} ({mine.stance})",
                "accept it before declaring it binding",
            )
        _bind(d, term, act)
        return
    assert act.move is not None
    record = earlier_move(d, act.move)
    if record is None:
        return
    # The undertakings of a move are the terms both its author and the affirming party stand behind.
    author = record.move.author
    terms = sorted(
        t for t in record.touched if d.position(t, actor).supports and d.position(t, author).supports
    )
    if not terms:
        d.broke("affirms-nothing", f"{actor} stands behind no undertaking of {act.move!r}")
    for term in terms:
        _bind(d, term, act)


def _bind(d: Draft, term: str, act: Act) -> None:
    check_standing(d, term)
    check_relations(d, term, committing=True)
    mine = d.position(term, d.author)
    stance = mine.stance if mine.stance in PERFORMANCE | JUDGED else Stance.AFFIRMED
    if act.formulates:
        base = mine.formulation or d.base_formulation(term, d.author)
        d.take(term, stance, d.formulate(term, act, base, own=True))
    else:
        d.take(term, stance, keep_formulation=True)


def _fulfil(d: Draft, act: Act) -> None:
    term, actor = known_term(d, act), d.author
    obligors = d.by_id[term].obligors
    if actor not in obligors:
        d.broke("not-obligor", f"{term!r} obliges {', '.join(obligors)}, not {actor}")
    mine = d.position(term, actor)
    if mine.stance is Stance.FULFILLED and not _contested(d, term):
        d.broke("already-fulfilled", f"{actor} already fulfilled {term!r}", "nobody contests it")
    if not mine.supports and not d.supporters(term, besides=actor):
        d.broke("not-on-table", f"nobody has proposed {term!r}", "propose it before reporting it fulfilled")
    check_relations(d, term, committing=True)
    stance = Stance.PERFORMING if act.extent is Extent.BEGUN else Stance.FULFILLED
    formulation = mine.formulation or d.base_formulation(term, actor)
    if mine.formulation is None and formulation is not None:
        formulation = attrs.evolve(formulation, quote=act.quote, move=d.move.id)
    d.take(term, stance, formulation)


def _contested(d: Draft, term: str) -> bool:
    return any(pos.stance is Stance.CONTESTED for pos in d.positions(term).values())


def _judge(d: Draft, act: Act) -> None:
    """Contest or confirm an obligor's reported performance: the claim is judged, the term stays."""
    term, actor = known_term(d, act), d.author
    check_standing(d, term)
    obligors = d.by_id[term].obligors
    claims = [p for p in obligors if p != actor and d.position(term, p).stance in PERFORMANCE]
    if actor in obligors and d.position(term, actor).stance in PERFORMANCE:
        d.broke("own-claim", f"{actor} reported performing {term!r} itself", "another party judges the claim")
    elif not claims:
        d.broke(
            "no-claim",
            f"no obligor of {term!r} ({', '.join(obligors)}) has reported performing it",
            "an obligor reports performance with fulfil",
        )
    d.take(term, NAMED_STANCE[act.verb], keep_formulation=True)


HANDLERS: dict[Verb, Handler] = {
    Verb.PROPOSE: _propose,
    Verb.ACCEPT: _accept,
    Verb.REJECT: _reject,
    Verb.DISPUTE: _dispute,
    Verb.RESTATE: _restate,
    Verb.CONDITION: _condition,
    Verb.RELEASE: _release,
    Verb.WITHDRAW: _withdraw,
    Verb.IGNORE: _ignore,
    Verb.AFFIRM: _affirm,
    Verb.FULFIL: _fulfil,
    Verb.CONTEST: _judge,
    Verb.CONFIRM: _judge,
}


def later(clock: When | None, sent: When | None) -> When | None:
    """The record's clock moves forward only: a move dated earlier than its predecessor keeps it."""
    if clock is None or (sent is not None and sent.certainly_after(clock)):
        return sent if sent is not None else clock
    return clock


class Played(NamedTuple):
    """What applying one move gives: the new state, the position changes, the irregularities noted."""

    state: State
    changes: tuple[Change, ...]
    notes: tuple[Irregularity, ...]


def play(state: State, move: Move, *, strict: bool = True, record: bool = True) -> Played:
    """Apply one move: the new state, the position changes it made, and the irregularities noted.

    With `record=False` the changes are not kept (an empty tuple), for folds that only need states.
    """
    d = Draft(state, move, strict, record)
    fresh = check_move(d, move)
    for index, act in enumerate(move.acts):
        d.act_index, d.act = index, act
        HANDLERS[act.verb](d, act)
    d.act_index, d.act = None, None
    pending = new_statements(d, silence(d, state.pending))
    entry = MoveRecord(move, state.count, state.moves.touched(d.touched))
    new = State(
        catalogue=state.catalogue,
        terms=d.terms.finish(),
        pending=pending,
        moves=state.moves.added(entry) if fresh else state.moves,
        count=state.count + 1,
        last=move.id,
        clock=later(state.clock, move.sent),
    )
    return Played(new, tuple(d.changes or ()), tuple(d.notes))
