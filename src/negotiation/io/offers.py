"""Offers and acceptances of issue values, as negotiation tools log them, made into moves.

GeniusWeb and NegMAS both record a negotiation as a sequence of bids (a value per issue)
and acceptances; both importers turn theirs into `Step`s and this module into a scenario.
Each issue becomes a term binding every party, each value a wording, and each step a move
from the actor to every other party:

- an offer proposes its values on the issues nobody has put forward yet, accepts in its own
  wording (a counter-offer) those another party has, and restates those the actor already
  holds; every value of the bid is said again, held or not, since a bid answers the other
  side's whole and a value left out would read as silence letting theirs stand;
- an acceptance accepts every value of the bid, in the bid's wording;
- an end of negotiation withdraws the actor's own values and rejects the others'.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from negotiation.catalogue import Catalogue
from negotiation.errors import ScenarioError
from negotiation.io.scenario import Scenario
from negotiation.model import Act, Move, Party, Term
from negotiation.vocabulary import Verb

__all__ = ["Step", "offer_scenario"]

Step = tuple[str, str, dict[str, str]]
"""One logged action: its kind (`Offer`, `Accept` or `EndNegotiation`), its actor, issue -> value."""

_PLAIN = re.compile(r"[^\s\"'\[\]{}]+")
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def offer_scenario(
    path: str,
    name: str,
    steps: Sequence[Step],
    connections: Sequence[str] = (),
    *,
    title: str,
    description: str,
    field: str = "actions",
) -> Scenario:
    """The scenario of the steps; `path` and `field` name the source in messages."""
    parties = list(dict.fromkeys([*connections, *(actor for _, actor, _ in steps)]))
    for party in parties:
        if not _PLAIN.fullmatch(party):
            raise ScenarioError(
                path, f"actor {party!r} cannot be a party id", hint="ids have no blanks or quotes"
            )
    issues = list(dict.fromkeys(issue for _, _, bid in steps for issue in bid))
    if not issues:
        raise ScenarioError(path, "no action offers or accepts a bid", field=field)
    ids = [issue if _ID.fullmatch(issue) else f"issue-{i}" for i, issue in enumerate(issues)]
    if len(set(ids)) < len(ids):
        ids = [f"issue-{i}" for i in range(len(issues))]
    terms = [
        Term(tid, tuple(parties), f"The value of {issue}.", title=issue)
        for tid, issue in zip(ids, issues, strict=True)
    ]
    term_of = {issue: t.id for issue, t in zip(issues, terms, strict=True)}
    moves = _moves(path, field, steps, parties, term_of)
    return Scenario(
        re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "imported",
        Catalogue([Party(p) for p in parties], terms),
        tuple(moves),
        title=title,
        description=description,
        path=path,
        own_moves=tuple(moves),
    )


def _words(issue: str, value: str) -> str:
    return f"{issue}: {value}"


def _moves(
    path: str, field: str, steps: Sequence[Step], parties: list[str], term_of: Mapping[str, str]
) -> list[Move]:
    held: dict[tuple[str, str], str] = {}  # (party, term) -> the wording it stands behind
    moves = []
    for i, (kind, actor, bid) in enumerate(steps):
        others = tuple(p for p in parties if p != actor)
        if not others:
            raise ScenarioError(path, "has a single party: a negotiation needs two", field=f"{field}[{i}]")
        acts = []
        if kind == "EndNegotiation":  # breaking off: withdraw one's own values, reject the others'
            for term in term_of.values():
                if held.pop((actor, term), None) is not None:
                    acts.append(Act(Verb.WITHDRAW, term))
                elif any((p, term) in held for p in others):
                    acts.append(Act(Verb.REJECT, term))
        # Every value of the bid is said again, held or not: a whole bid answers the other
        # side's, and a value left out would be read as silence letting theirs stand.
        for issue, value in bid.items():
            term, wording = term_of[issue], _words(issue, value)
            put = any(p != actor and (p, term) in held for p in parties)
            if kind == "Accept":
                verb = Verb.ACCEPT
            elif (actor, term) in held:
                verb = Verb.RESTATE
            else:
                verb = Verb.ACCEPT if put else Verb.PROPOSE
            acts.append(Act(verb, term, wording=wording))
            held[(actor, term)] = wording
        if not acts:
            raise ScenarioError(path, "ends a negotiation nobody has opened", field=f"{field}[{i}]")
        moves.append(Move(f"{i + 1:04d}-{actor}", actor, tuple(acts), others))
    return moves
