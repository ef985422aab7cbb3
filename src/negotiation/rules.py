"""The meaning of every act: its preconditions and its effect on the state, in one place.

`play(state, move)` checks the move, applies its acts in order, then lets silence speak: a
statement the author had received from an addressee and did not address in this move is left
unchallenged. A broken rule raises `IllegalMove`, unless the act is marked irregular (or the
fold is lenient, as in a party's partial view), in which case it is noted and applied as far
as it can be.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import attrs
import immutables

from negotiation.errors import IllegalMove, suggest
from negotiation.model import (
    NO_IDS,
    SUPPORTING,
    Act,
    Channel,
    Extent,
    Formulation,
    Move,
    Stance,
    Verb,
    When,
)
from negotiation.state import EMPTY, MoveRecord, PendingMap, Position, PositionMap, State
from negotiation.visibility import PUBLIC, knew

__all__ = ["RULES", "Change", "Irregularity", "play"]

_REFUSING = (Stance.REJECTED, Stance.WITHDRAWN)
_SILENT = (None, Stance.IGNORED, Stance.UNCHALLENGED)
_NO_POSITIONS: PositionMap = immutables.Map()
_NO_PENDING: PendingMap = immutables.Map()

RULES: dict[str, str] = {
    "duplicate-move": "a move id is used once in a history",
    "author-not-principal": "only a principal party sends moves",
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
    "not-supporting": "one withdraws, conditions or affirms only what one stands behind",
    "not-obligor": "only a party the term obliges can fulfil it",
    "already-fulfilled": "a fulfilled term is not fulfilled or withdrawn again",
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


@attrs.frozen
class Change:
    """One party's position on one term before and after an act (or after silence)."""

    term: str
    party: str
    before: Position
    after: Position
    act_index: int | None
    cause: str


@attrs.frozen
class Irregularity:
    """A broken rule that the record keeps: the act was applied and the violation noted."""

    move_id: str
    act_index: int | None
    rule: str
    problem: str
    reason: str


def _formulation(
    act: Act, base: Formulation | None, text: str, move_id: str, carried: frozenset[str]
) -> Formulation:
    """The formulation an act states.

    With a wording of its own the act speaks afresh, and only the qualifiers it gives count;
    without one it amends `base` field by field. `carried` are conditions the actor already
    attached and keeps until it withdraws.
    """
    if act.wording is not None or base is None:
        return Formulation(
            act.wording or text,
            act.scope,
            act.verification,
            act.timing,
            act.confidentiality,
            _joined(NO_IDS, carried, act.conditions),
            act.quote,
            move_id,
        )
    return Formulation(
        base.text,
        act.scope if act.scope is not None else base.scope,
        act.verification if act.verification is not None else base.verification,
        act.timing if act.timing is not None else base.timing,
        act.confidentiality if act.confidentiality is not None else base.confidentiality,
        _joined(base.conditions, carried, act.conditions),
        act.quote,
        move_id,
    )


def _joined(base: frozenset[str], carried: frozenset[str], given: tuple[str, ...]) -> frozenset[str]:
    """The union of the condition sets, reusing `base` when nothing is added to it."""
    return base | carried | frozenset(given) if carried or given else base


class _Draft:
    """The transient, mutable working copy of one move's application; never escapes `play`.

    Checks are written `if not ok: d.broke(...)`, so that the message of a rule is only built
    when the rule is broken: formatting it for every act that keeps the rule would cost more
    than the rest of the act.
    """

    __slots__ = (
        "act",
        "act_index",
        "author",
        "by_id",
        "changes",
        "formulated",
        "move",
        "notes",
        "set_aside",
        "state",
        "strict",
        "terms",
        "touched",
    )

    def __init__(self, state: State, move: Move, strict: bool, record: bool = True) -> None:
        self.state = state
        self.move = move
        self.author = move.author
        self.by_id = state.catalogue.by_id
        self.strict = strict
        self.terms = state.terms.mutate()
        self.changes: list[Change] | None = [] if record else None
        self.notes: list[Irregularity] = []
        self.formulated: set[str] = set()
        self.touched: set[str] = set()
        self.set_aside: set[str] = set()
        self.act_index: int | None = None
        self.act: Act | None = None

    # -- checks -------------------------------------------------------------------------------

    def broke(self, rule: str, problem: str, hint: str | Callable[[], str] = "") -> bool:
        """Raise for a broken rule, or note it (and return False) when irregular or lenient.

        A hint that costs something to build (a list of suggestions) is passed as a callable.
        """
        reason = self.act.irregular if self.act is not None else None
        if self.strict and reason is None:
            label = f"{self.act.verb} {self.act.target}" if self.act is not None else "move"
            text = hint() if callable(hint) else hint
            raise IllegalMove(self.move.id, self.act_index, label, rule, problem, text)
        self.notes.append(
            Irregularity(self.move.id, self.act_index, rule, problem, reason or "not in this view")
        )
        return False

    def term_known(self, term: str) -> None:
        """Unknown terms cannot be applied even leniently: always an error."""
        if term not in self.by_id:
            assert self.act is not None
            raise IllegalMove(
                self.move.id,
                self.act_index,
                f"{self.act.verb} {term}",
                "unknown-term",
                f"no term {term!r} in the catalogue",
                suggest(term, self.by_id, noun="term id"),
            )

    def check_relations(self, term: str, *, committing: bool) -> None:
        """The author's stances may not contradict each other through the catalogue's relations.

        Standing behind a term excludes refusing what it requires; committing to it (accept,
        affirm, fulfil) also excludes standing behind a term it conflicts with. Proposing
        conflicting alternatives is allowed.
        """
        actor, catalogue = self.author, self.state.catalogue
        for req in self.by_id[term].requires:
            stance = self.position(req, actor).stance
            if stance in _REFUSING:
                self.broke(
                    "required-term-refused",
                    f"{term!r} requires {req!r}, which {actor} has {stance}",
                    f"{actor} would first have to stand behind {req!r} again",
                )
        if committing:
            for other in sorted(catalogue.conflicts_with[term]):
                pos = self.position(other, actor)
                if pos.supports:
                    self.broke(
                        "conflicting-terms",
                        f"{term!r} conflicts with {other!r}, which {actor} stands behind ({pos.stance})",
                        f"withdraw {other!r} first",
                    )

    def check_refusal(self, term: str) -> None:
        """The author may not refuse a term that a term it stands behind requires."""
        actor = self.author
        for other in sorted(self.state.catalogue.required_by[term]):
            pos = self.position(other, actor)
            if pos.supports:
                self.broke(
                    "required-term-refused",
                    f"{other!r}, which {actor} stands behind ({pos.stance}), requires {term!r}",
                    f"withdraw {other!r} first",
                )

    # -- reading ------------------------------------------------------------------------------

    def positions(self, term: str) -> PositionMap:
        return self.terms.get(term, _NO_POSITIONS)

    def position(self, term: str, party: str) -> Position:
        positions = self.terms.get(term)
        return EMPTY if positions is None else positions.get(party, EMPTY)

    def supporters(self, term: str, *, besides: str) -> list[str]:
        positions = self.positions(term).items()
        return sorted(p for p, pos in positions if p != besides and pos.stance in SUPPORTING)

    def base_formulation(self, term: str, actor: str) -> Formulation | None:
        """The latest formulation of another party that stands behind the term."""
        best: tuple[int, Formulation] | None = None
        for party, pos in self.positions(term).items():
            if party == actor or pos.formulation is None or pos.stance not in SUPPORTING:
                continue
            rank = self._rank(pos.formulation.move)
            if best is None or rank > best[0]:
                best = (rank, pos.formulation)
        return best[1] if best is not None else None

    def _rank(self, move_id: str | None) -> int:
        if move_id == self.move.id:
            return self.state.count
        record = self.state.moves.get(move_id) if move_id is not None else None
        return record.index if record is not None else -1

    def formulate(self, term: str, act: Act, base: Formulation | None, *, own: bool) -> Formulation:
        """The act's formulation on `base`; `own` keeps the actor's earlier conditions."""
        mine = self.position(term, self.author).formulation if own else None
        carried = mine.conditions if mine is not None else NO_IDS
        return _formulation(act, base, self.by_id[term].text, self.move.id, carried)

    # -- writing ------------------------------------------------------------------------------

    def set(self, term: str, party: str, after: Position, cause: str) -> None:
        positions = self.terms.get(term, _NO_POSITIONS)
        before = positions.get(party, EMPTY)
        if (
            after.stance is before.stance
            and after.formulation == before.formulation
            and after.tacit == before.tacit
        ):
            return
        self.terms[term] = positions.set(party, after)
        if self.changes is not None:
            self.changes.append(Change(term, party, before, after, self.act_index, cause))

    def take(
        self,
        term: str,
        stance: Stance | None,
        formulation: Formulation | None = None,
        *,
        keep_formulation: bool = False,
    ) -> None:
        """Give the author a new stance (and formulation) on the term, clearing its silence."""
        self.touched.add(term)
        if keep_formulation:
            formulation = self.position(term, self.author).formulation
        elif formulation is not None:
            self.formulated.add(term)
        assert self.act is not None
        self.set(term, self.author, Position(stance, formulation, NO_IDS, self.move.id), self.act.verb.value)


# -- one handler per verb ---------------------------------------------------------------------

Handler = Callable[[_Draft, Act], None]

Pending = immutables.Map[str, PendingMap]


def _propose(d: _Draft, act: Act) -> None:
    term, actor = _term(d, act), d.author
    d.check_relations(term, committing=False)
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


def _accept(d: _Draft, act: Act) -> None:
    term, actor = _term(d, act), d.author
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
    d.check_relations(term, committing=True)
    keep = mine.stance in (Stance.AFFIRMED, Stance.PERFORMING, Stance.FULFILLED)
    stance = mine.stance if keep else Stance.ACCEPTED
    d.take(term, stance, d.formulate(term, act, base or mine.formulation, own=False))


def _reject(d: _Draft, act: Act) -> None:
    term, actor = _term(d, act), d.author
    if d.position(term, actor).stance is Stance.PROPOSED:
        d.broke("own-proposal", f"{actor} proposed {term!r} itself", "use withdraw")
    elif not d.supporters(term, besides=actor):
        d.broke(
            "not-on-table",
            f"nobody else stands behind {term!r}",
            "one rejects what another party proposed",
        )
    d.check_refusal(term)
    d.take(term, Stance.REJECTED, keep_formulation=True)


def _dispute(d: _Draft, act: Act) -> None:
    term, actor = _term(d, act), d.author
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


def _restate(d: _Draft, act: Act) -> None:
    term, actor = _term(d, act), d.author
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


def _condition(d: _Draft, act: Act) -> None:
    term, actor = _term(d, act), d.author
    mine = d.position(term, actor)
    if not mine.supports:
        d.broke(
            "not-supporting",
            f"{actor} does not stand behind {term!r} ({mine.stance})",
            "accept or propose it before making it conditional",
        )
    base = mine.formulation or d.base_formulation(term, actor)
    d.take(term, mine.stance, d.formulate(term, act, base, own=True))


def _withdraw(d: _Draft, act: Act) -> None:
    term, actor = _term(d, act), d.author
    mine = d.position(term, actor)
    if mine.stance is Stance.FULFILLED:
        d.broke("already-fulfilled", f"{actor} has reported {term!r} fulfilled")
    elif not mine.supports:
        d.broke(
            "not-supporting",
            f"{actor} does not stand behind {term!r}",
            "one withdraws one's own proposal or acceptance",
        )
    d.check_refusal(term)
    d.take(term, Stance.WITHDRAWN, keep_formulation=True)


def _ignore(d: _Draft, act: Act) -> None:
    assert act.move is not None
    record = _earlier_move(d, act.move)
    if record is None:
        return
    actor = d.author
    if record.move.author == actor:
        d.broke("own-move", f"{act.move!r} is {actor}'s own move")
    d.set_aside.update(record.touched)
    for term in record.touched:
        if d.position(term, actor).stance is None:
            d.take(term, Stance.IGNORED)


def _affirm(d: _Draft, act: Act) -> None:
    actor = d.author
    if act.term is not None:
        term = _term(d, act)
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
    record = _earlier_move(d, act.move)
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


def _bind(d: _Draft, term: str, act: Act) -> None:
    d.check_relations(term, committing=True)
    mine = d.position(term, d.author)
    stance = mine.stance if mine.stance in (Stance.PERFORMING, Stance.FULFILLED) else Stance.AFFIRMED
    if act.formulates:
        base = mine.formulation or d.base_formulation(term, d.author)
        d.take(term, stance, d.formulate(term, act, base, own=True))
    else:
        d.take(term, stance, keep_formulation=True)


def _fulfil(d: _Draft, act: Act) -> None:
    term, actor = _term(d, act), d.author
    obligors = d.by_id[term].obligors
    if actor not in obligors:
        d.broke("not-obligor", f"{term!r} obliges {', '.join(obligors)}, not {actor}")
    mine = d.position(term, actor)
    if mine.stance is Stance.FULFILLED:
        d.broke("already-fulfilled", f"{actor} already fulfilled {term!r}")
    if not mine.supports and not d.supporters(term, besides=actor):
        d.broke("not-on-table", f"nobody has proposed {term!r}", "propose it before reporting it fulfilled")
    d.check_relations(term, committing=True)
    stance = Stance.PERFORMING if act.extent is Extent.BEGUN else Stance.FULFILLED
    formulation = mine.formulation or d.base_formulation(term, actor)
    if mine.formulation is None and formulation is not None:
        formulation = attrs.evolve(formulation, quote=act.quote, move=d.move.id)
    d.take(term, stance, formulation)


def _term(d: _Draft, act: Act) -> str:
    assert act.term is not None
    d.term_known(act.term)
    for term in act.conditions:
        d.term_known(term)
    return act.term


def _earlier_move(d: _Draft, move_id: str) -> MoveRecord | None:
    record = d.state.moves.get(move_id)
    if record is None:
        d.broke(
            "unknown-move",
            f"no earlier move {move_id!r}",
            lambda: suggest(move_id, d.state.moves.keys(), noun="move id"),
        )
        return None
    if not knew(record.move, d.author, d.move.sent):
        d.broke("not-received", f"{d.author} had not received {move_id!r} by {d.move.sent}")
    return record


HANDLERS: dict[Verb, Handler] = {
    Verb.PROPOSE: _propose,
    Verb.ACCEPT: _accept,
    Verb.REJECT: _reject,
    Verb.DISPUTE: _dispute,
    Verb.RESTATE: _restate,
    Verb.CONDITION: _condition,
    Verb.WITHDRAW: _withdraw,
    Verb.IGNORE: _ignore,
    Verb.AFFIRM: _affirm,
    Verb.FULFIL: _fulfil,
}


def _check_move(d: _Draft, move: Move) -> None:
    catalogue = d.state.catalogue
    if move.id in d.state.moves:
        d.broke("duplicate-move", f"move id {move.id!r} is already used", "give every move its own id")
    if move.author not in catalogue.principals:
        d.broke(
            "author-not-principal",
            f"author {move.author!r} is not a principal party",
            lambda: suggest(move.author, catalogue.principals, noun="principal"),
        )
    known = catalogue.party_ids
    for party in move.addressees:
        if party not in known:
            d.broke("unknown-party", f"no party {party!r}", partial(suggest, party, known, noun="party"))
    for party in sorted(move.received.keys()):
        if party not in known and (party != PUBLIC or party in move.addressees):
            d.broke("unknown-party", f"no party {party!r}", partial(suggest, party, known, noun="party"))


def _silence(d: _Draft, pending: Pending) -> Pending:
    """Apply silence to the author's pending statements and clear the ones this move answers."""
    move, author = d.move, d.author
    mine = pending.get(author)
    if not mine:
        return pending
    addressed = d.touched | d.set_aside
    public = move.channel is Channel.PUBLIC
    keep = mine.mutate()
    for (term, proposer), move_id in sorted(mine.items()):
        addressee = proposer in move.addressees
        if term in addressed:
            if public or addressee:
                del keep[(term, proposer)]
            continue
        if not addressee or not knew(d.state.moves[move_id].move, author, move.sent):
            continue
        del keep[(term, proposer)]
        before = d.position(term, author)
        if before.stance in _SILENT:
            after = Position(Stance.UNCHALLENGED, before.formulation, before.tacit, move.id)
        else:
            after = Position(before.stance, before.formulation, before.tacit | {proposer}, move.id)
        d.set(term, author, after, "silence")
    if len(keep) == len(mine):
        return pending
    return pending.set(author, keep.finish()) if len(keep) else pending.delete(author)


def _new_statements(d: _Draft, pending: Pending) -> Pending:
    """Record the author's new formulations as awaiting an answer from each principal they reach."""
    if not d.formulated:
        return pending
    move, author = d.move, d.author
    public = move.channel is Channel.PUBLIC
    recipients = [p for p in d.state.catalogue.principals if p != author and (public or p in move.addressees)]
    drafts = {party: pending.get(party, _NO_PENDING).mutate() for party in recipients}
    for term in sorted(d.formulated):
        stated = d.position(term, author).formulation
        for party, items in drafts.items():
            theirs = d.position(term, party)
            if (
                theirs.formulation is not None
                and stated is not None
                and theirs.formulation.substance == stated.substance
            ):
                if (term, author) in items:
                    del items[(term, author)]
            else:
                items[(term, author)] = move.id
                if author in theirs.tacit:
                    d.set(term, party, attrs.evolve(theirs, tacit=theirs.tacit - {author}), "restated")
    for party, items in drafts.items():
        if len(items):
            pending = pending.set(party, items.finish())
        elif party in pending:
            pending = pending.delete(party)
    return pending


def _later(clock: When | None, sent: When | None) -> When | None:
    """The record's clock moves forward only: a move dated earlier than its predecessor keeps it."""
    if clock is None or (sent is not None and sent.certainly_after(clock)):
        return sent if sent is not None else clock
    return clock


def play(
    state: State, move: Move, *, strict: bool = True, record: bool = True
) -> tuple[State, tuple[Change, ...], tuple[Irregularity, ...]]:
    """Apply one move: the new state, the position changes it made, and the irregularities noted.

    With `record=False` the changes are not kept (an empty tuple), for folds that only need states.
    """
    d = _Draft(state, move, strict, record)
    _check_move(d, move)
    for index, act in enumerate(move.acts):
        d.act_index, d.act = index, act
        HANDLERS[act.verb](d, act)
    d.act_index, d.act = None, None
    pending = _silence(d, state.pending)
    pending = _new_statements(d, pending)
    entry = MoveRecord(move, state.count, tuple(sorted(d.touched)))
    new = State(
        catalogue=state.catalogue,
        terms=d.terms.finish(),
        pending=pending,
        moves=state.moves if move.id in state.moves else state.moves.set(move.id, entry),
        count=state.count + 1,
        last=move.id,
        clock=_later(state.clock, move.sent),
    )
    return new, tuple(d.changes or ()), tuple(d.notes)
