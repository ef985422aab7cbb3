"""Helpers for scripting counterfactuals in Python: one function per verb, and `move` to send them.

from negotiation.script import accept, affirm, move
swap = history.fork("khrushchev-27-oct-letter", [
    move("kennedy-accepts-swap", "US", accept("turkey-jupiter-removal"), to="USSR"),
])
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Iterable, Mapping
from typing import Any, Protocol, cast

from negotiation.model import Act, Move, When
from negotiation.vocabulary import Channel, Extent, Verb

__all__ = [
    "accept",
    "affirm",
    "condition",
    "confirm",
    "contest",
    "dispute",
    "fulfil",
    "ignore",
    "move",
    "propose",
    "reject",
    "release",
    "restate",
    "withdraw",
]

Time = When | dt.date | dt.datetime | str


class Formulating(Protocol):
    """An act helper for a verb that states the author's own formulation of a term."""

    def __call__(
        self,
        term: str,
        *,
        wording: str | None = None,
        scope: str | None = None,
        verification: str | None = None,
        timing: str | None = None,
        confidentiality: str | None = None,
        conditions: Iterable[str] = (),
        quote: str | None = None,
        note: str | None = None,
    ) -> Act: ...


def _formulating(verb: Verb, doc: str) -> Formulating:
    """The helper of a verb that may carry a wording, qualifiers and conditions (`FORMULATION_FIELDS`)."""

    def helper(term: str, **fields: Any) -> Act:
        return Act(verb, term, **fields)

    helper.__name__ = helper.__qualname__ = str(verb)
    helper.__doc__ = doc
    call = inspect.signature(Formulating.__call__)
    helper.__signature__ = call.replace(parameters=list(call.parameters.values())[1:])  # type: ignore[attr-defined]
    return cast(Formulating, helper)


propose = _formulating(Verb.PROPOSE, "Put a term forward in the author's own formulation.")
accept = _formulating(
    Verb.ACCEPT, "Accept a term another party stands behind, as stated or in the author's own words."
)
restate = _formulating(Verb.RESTATE, "Give the author's own formulation of a term it holds a position on.")


def reject(term: str, *, quote: str | None = None, note: str | None = None) -> Act:
    """Reject a term another party put forward."""
    return Act(Verb.REJECT, term, quote=quote, note=note)


def dispute(
    term: str, *, wording: str | None = None, quote: str | None = None, note: str | None = None
) -> Act:
    """Contest a term or another party's statement of it."""
    return Act(Verb.DISPUTE, term, wording=wording, quote=quote, note=note)


def condition(term: str, *on: str, quote: str | None = None, note: str | None = None) -> Act:
    """Make the author's support of a term contingent on other terms."""
    return Act(Verb.CONDITION, term, conditions=on, quote=quote, note=note)


def release(term: str, *of: str, quote: str | None = None, note: str | None = None) -> Act:
    """Drop conditions the author had set on its support of a term; the rest of its position stays."""
    return Act(Verb.RELEASE, term, conditions=of, quote=quote, note=note)


def withdraw(term: str, *, quote: str | None = None, note: str | None = None) -> Act:
    """Withdraw the author's proposal or acceptance."""
    return Act(Verb.WITHDRAW, term, quote=quote, note=note)


def ignore(move_id: str, *, note: str | None = None) -> Act:
    """Set an earlier move aside without answering it."""
    return Act(Verb.IGNORE, None, move=move_id, note=note)


def affirm(
    term: str | None = None,
    *,
    move: str | None = None,
    wording: str | None = None,
    scope: str | None = None,
    quote: str | None = None,
    note: str | None = None,
) -> Act:
    """Declare a term, or the undertakings of an earlier move, binding."""
    return Act(Verb.AFFIRM, term, move=move, wording=wording, scope=scope, quote=quote, note=note)


def fulfil(
    term: str, *, extent: Extent | str = Extent.COMPLETE, quote: str | None = None, note: str | None = None
) -> Act:
    """Report performance of a term the author is obliged by (`extent="begun"` for a start)."""
    return Act(Verb.FULFIL, term, extent=Extent(extent), quote=quote, note=note)


def contest(term: str, *, quote: str | None = None, note: str | None = None) -> Act:
    """Contest an obligor's report that it performs or performed the term."""
    return Act(Verb.CONTEST, term, quote=quote, note=note)


def confirm(term: str, *, quote: str | None = None, note: str | None = None) -> Act:
    """Confirm an obligor's report that it performed the term."""
    return Act(Verb.CONFIRM, term, quote=quote, note=note)


def move(
    move_id: str,
    author: str,
    *acts: Act,
    to: str | Iterable[str] = (),
    channel: Channel | str | None = None,
    sent: Time | None = None,
    received: Mapping[str, Time] | None = None,
    published: Time | None = None,
    title: str = "",
    source: str | None = None,
    note: str | None = None,
) -> Move:
    """A move carrying the acts, in order; private when addressed, public when addressed to nobody."""
    addressees = (to,) if isinstance(to, str) else tuple(to)
    if channel is None:
        channel = Channel.PRIVATE if addressees else Channel.PUBLIC
    return Move(
        move_id,
        author,
        acts,
        addressees,
        Channel(channel),
        sent=sent,
        received=received,
        published=published,
        title=title,
        source=source,
        note=note,
    )
