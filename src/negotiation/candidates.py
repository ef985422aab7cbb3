"""Candidate acts: every plain act a party might make next, legal or not, in one fixed order.

The exploration of replies and the hypothesis strategies draw their acts from this one
generator, so that "what a party could say" means the same in a search and in a test. The
rules decide which candidates are legal; nothing here reads a stance.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

from negotiation.model import Act
from negotiation.state import State
from negotiation.vocabulary import Extent, Verb

__all__ = ["UNWORDED_VERBS", "candidate_acts"]

UNWORDED_VERBS = tuple(v for v in Verb if v not in (Verb.RESTATE, Verb.IGNORE))
"""Verbs whose acts can be built from term ids alone.

A restatement needs words of its own and `ignore` names an earlier move; `condition` pairs
two terms, as `release` does; `affirm` here affirms a term (affirming a whole move names the
move).
"""

_MOVE_VERBS = (Verb.IGNORE, Verb.AFFIRM)


@functools.lru_cache(maxsize=8192)
def _act(
    verb: Verb,
    term: str | None,
    move: str | None = None,
    conditions: tuple[str, ...] = (),
    extent: Extent | None = None,
    wording: str | None = None,
) -> Act:
    """A plain act, built once: acts are values, and checking one costs more than the lookup."""
    return Act(verb, term, move, wording=wording, conditions=conditions, extent=extent)


def candidate_acts(
    state: State,
    *,
    verbs: Iterable[Verb] = tuple(Verb),
    terms: Sequence[str] | None = None,
    moves: bool = True,
    extents: bool = False,
    restatement: str | None = None,
) -> list[Act]:
    """One plain act of each verb on each term, then on each earlier move; legal or not.

    Terms come in the order given (default: the catalogue's), each with the verbs in the order
    given: `condition` and `release` once for every other term given, `fulfil` once (complete) or, with
    `extents`, once per extent, `restate` only with a `restatement` wording to carry. With
    `moves`, `ignore` and `affirm` follow for every earlier move, in id order.
    """
    verbs = tuple(verbs)
    pool = list(state.catalogue.by_id) if terms is None else list(terms)
    acts: list[Act] = []
    for term in pool:
        for verb in verbs:
            if verb in (Verb.CONDITION, Verb.RELEASE):
                acts += [_act(verb, term, conditions=(other,)) for other in pool if other != term]
            elif verb is Verb.FULFIL and extents:
                acts += [_act(verb, term, extent=e) for e in Extent]
            elif verb is Verb.RESTATE:
                if restatement is not None:
                    acts.append(_act(verb, term, wording=restatement))
            elif verb is not Verb.IGNORE:
                acts.append(_act(verb, term))
    if moves:
        for move_id in sorted(state.moves):
            acts += [_act(verb, None, move_id) for verb in _MOVE_VERBS if verb in verbs]
    return acts
