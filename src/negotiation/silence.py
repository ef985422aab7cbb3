"""What silence says: a statement left unanswered is unchallenged, and a new one awaits an answer.

After a move's acts, `silence` lets the author's silence speak on the statements it had
received from an addressee and did not address, and `new_statements` records the author's
new formulations as awaiting an answer from each principal they reach. Silence is not
acceptance: it marks a stance `unchallenged`, or the other side's wording as let stand.
"""

from __future__ import annotations

import attrs
import immutables

from negotiation.draft import Draft
from negotiation.state import PendingMap, Position
from negotiation.visibility import knew
from negotiation.vocabulary import Channel, Stance

__all__ = ["Pending", "new_statements", "silence"]

Pending = immutables.Map[str, PendingMap]
"""Each principal's statements awaiting its answer: (term, proposer) -> the move that made it."""

_SILENT = (None, Stance.IGNORED, Stance.UNCHALLENGED)
_NO_PENDING: PendingMap = immutables.Map()


def silence(d: Draft, pending: Pending) -> Pending:
    """Apply silence to the author's pending statements and clear the ones this move answers."""
    move, author = d.move, d.author
    mine = pending.get(author)
    if not mine:
        return pending
    addressed = d.touched | d.set_aside
    public = move.channel is Channel.PUBLIC
    keep = mine.mutate()
    moves = d.state.moves
    for (term, proposer), move_id in sorted(mine.items()):
        addressee = proposer in move.addressees
        if term in addressed:
            if public or addressee:
                del keep[(term, proposer)]
            continue
        if not addressee:
            continue
        record = moves.get(move_id)
        assert record is not None, "a pending statement names a move of the state"
        if not knew(record.move, author, move.sent):
            continue
        del keep[(term, proposer)]
        before = d.position(term, author)
        if before.stance in _SILENT:
            after = Position(Stance.UNCHALLENGED, before.formulation, before.tacit, move.id)
        else:
            after = Position(
                before.stance, before.formulation, before.tacit | {proposer}, move.id, before.modality
            )
        d.set(term, author, after, "silence")
    if len(keep) == len(mine):
        return pending
    return pending.set(author, keep.finish()) if len(keep) else pending.delete(author)


def new_statements(d: Draft, pending: Pending) -> Pending:
    """Record the author's new formulations as awaiting an answer from the parties they reach.

    Those are the parties whose assent the term needs (the principals, and its `consent`): a
    mediator's silence, or a third party's on a term that does not need it, says nothing.
    """
    if not d.formulated:
        return pending
    move, author = d.move, d.author
    public = move.channel is Channel.PUBLIC
    assent = d.state.catalogue.assent
    drafts: dict[str, immutables.MapMutation[tuple[str, str], str]] = {}
    for term in sorted(d.formulated):
        stated = d.position(term, author).formulation
        for party in assent[term]:
            if party == author or not (public or party in move.addressees):
                continue
            items = drafts.get(party)
            if items is None:
                items = drafts[party] = pending.get(party, _NO_PENDING).mutate()
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
