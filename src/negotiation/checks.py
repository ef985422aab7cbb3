"""The checks the handlers of `rules` share: relations, standing, refusals, and the move's own.

Each takes the draft of the move being applied and notes (or raises) a broken rule by its id
in `rules.RULES`; none changes a position.
"""

from __future__ import annotations

from functools import partial

from negotiation.draft import Draft
from negotiation.errors import suggest
from negotiation.model import Act, Move
from negotiation.state import MoveRecord
from negotiation.visibility import PUBLIC, knew
from negotiation.vocabulary import REFUSING, Role

__all__ = ["check_move", "check_refusal", "check_relations", "check_standing", "earlier_move", "known_term"]


def check_relations(d: Draft, term: str, *, committing: bool) -> None:
    """The author's stances may not contradict each other through the catalogue's relations.

    Standing behind a term excludes refusing what it requires; committing to it (accept,
    affirm, fulfil) also excludes standing behind a term it conflicts with. Proposing
    conflicting alternatives is allowed.
    """
    actor, catalogue = d.author, d.state.catalogue
    for req in d.by_id[term].requires:
        stance = d.position(req, actor).stance
        if stance in REFUSING:
            d.broke(
                "required-term-refused",
                f"{term!r} requires {req!r}, which {actor} has {stance}",
                f"{actor} would first have to stand behind {req!r} again",
            )
    if committing:
        for other in sorted(catalogue.conflicts_with[term]):
            pos = d.position(other, actor)
            if pos.supports:
                d.broke(
                    "conflicting-terms",
                    f"{term!r} conflicts with {other!r}, which {actor} stands behind ({pos.stance})",
                    f"withdraw {other!r} first",
                )


def check_standing(d: Draft, term: str) -> None:
    """A mediator's word is never a side's assent; a third party's counts where the term needs it."""
    role = d.state.catalogue.roles.get(d.author)  # None: an unknown author, noted by check_move
    if role is Role.MEDIATOR:
        d.broke(
            "no-standing",
            f"{d.author} mediates: its word on {term!r} is no side's assent",
            "a mediator proposes or restates a formula for the parties to accept",
        )
    elif role is Role.THIRD:
        t = d.by_id[term]
        if d.author not in t.obligors and d.author not in t.consent:
            d.broke(
                "no-standing",
                f"{term!r} neither obliges {d.author} nor needs its consent",
                f"name {d.author} in the term's consent, or dispute the term",
            )


def check_refusal(d: Draft, term: str) -> None:
    """The author may not refuse a term that a term it stands behind requires."""
    actor = d.author
    for other in sorted(d.state.catalogue.required_by[term]):
        pos = d.position(other, actor)
        if pos.supports:
            d.broke(
                "required-term-refused",
                f"{other!r}, which {actor} stands behind ({pos.stance}), requires {term!r}",
                f"withdraw {other!r} first",
            )


def known_term(d: Draft, act: Act) -> str:
    """The act's term, once it and the terms of its conditions are known to the catalogue."""
    assert act.term is not None
    d.term_known(act.term)
    for term in act.conditions:
        d.term_known(term)
    return act.term


def earlier_move(d: Draft, move_id: str) -> MoveRecord | None:
    """The earlier move an act names, if it exists and had reached the author."""
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


def check_move(d: Draft, move: Move) -> bool:
    """The move's own rules: a new id, a known author, known addressees and receivers.

    Returns whether the id is new, so that the state records the move only once.
    """
    catalogue = d.state.catalogue
    fresh = move.id not in d.state.moves
    if not fresh:
        d.broke("duplicate-move", f"move id {move.id!r} is already used", "give every move its own id")
    if move.author not in catalogue.party_ids:
        d.broke(
            "unknown-author",
            f"author {move.author!r} is not a party of this negotiation",
            lambda: suggest(move.author, catalogue.party_ids, noun="party"),
        )
    known = catalogue.party_ids
    for party in move.addressees:
        if party not in known:
            d.broke(
                "unknown-party",
                f"addressees: no party {party!r}",
                partial(suggest, party, known, noun="party"),
            )
    for party in sorted(move.received.keys()):
        if party not in known and (party != PUBLIC or party in move.addressees):
            d.broke(
                "unknown-party", f"received: no party {party!r}", partial(suggest, party, known, noun="party")
            )
    return fresh
