"""The catalogue: the parties at and around the table and the terms they can negotiate.

One frozen value, checked at construction (every party and term declared once, every relation
naming a declared term), with the indexes the rules read (terms by id, conflicts both ways,
the terms requiring each term, the principals in order).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

import attrs

from negotiation.errors import ModelError, require, suggest
from negotiation.model import Party, Term
from negotiation.vocabulary import Role

__all__ = ["Catalogue"]


def _parties(values: Iterable[Party]) -> tuple[Party, ...]:
    return tuple(values)


def _terms(values: Iterable[Term]) -> tuple[Term, ...]:
    return tuple(values)


@attrs.frozen(cache_hash=True)
class Catalogue:
    """The parties at and around the table and the terms they can negotiate, in declared order."""

    parties: tuple[Party, ...] = attrs.field(converter=_parties)
    terms: tuple[Term, ...] = attrs.field(converter=_terms)

    def __attrs_post_init__(self) -> None:
        ids = [p.id for p in self.parties]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        require(not dupes, "catalogue", f"party declared twice: {', '.join(dupes)}")
        tids = [t.id for t in self.terms]
        dupes = sorted({i for i in tids if tids.count(i) > 1})
        require(not dupes, "catalogue", f"term declared twice: {', '.join(dupes)}")
        require(
            bool(self.principals),
            "catalogue",
            "declares no principal party",
            "at least one party's assent must make an agreement",
        )
        for term in self.terms:
            what = f"term {term.id!r}"
            for party in term.obligors:
                require(
                    party in self.party_ids,
                    what,
                    f"obliges unknown party {party!r}",
                    suggest(party, self.party_ids, noun="party"),
                )
            for rel in ("requires", "conflicts", "replaces"):
                for other in getattr(term, rel):
                    require(
                        other in self.by_id,
                        what,
                        f"{rel} unknown term {other!r}",
                        suggest(other, self.by_id, noun="term id"),
                    )
            for party in term.consent:
                require(
                    party in self.party_ids,
                    what,
                    f"needs the consent of unknown party {party!r}",
                    suggest(party, self.party_ids, noun="party"),
                )
                role = self.party(party).role
                require(
                    role is Role.THIRD,
                    what,
                    f"names {party!r} in consent, but {party} is a {role}",
                    "a principal's assent is needed anyway and a mediator's never counts: "
                    "consent names third parties",
                )
            if term.refines is not None:
                require(
                    term.refines in self.by_id,
                    what,
                    f"refines unknown term {term.refines!r}",
                    suggest(term.refines, self.by_id, noun="term id"),
                )

    @cached_property
    def by_id(self) -> dict[str, Term]:
        """The terms by id, in declared order."""
        return {t.id: t for t in self.terms}

    @cached_property
    def order(self) -> dict[str, int]:
        """Each term's place in declared order, to sort a few terms without scanning them all."""
        return {t.id: i for i, t in enumerate(self.terms)}

    @cached_property
    def conflicts_with(self) -> dict[str, frozenset[str]]:
        """For each term, the terms it conflicts with, whichever side declared the conflict."""
        out: dict[str, set[str]] = {t.id: set() for t in self.terms}
        for t in self.terms:
            for other in t.conflicts:
                out[t.id].add(other)
                out[other].add(t.id)
        return {k: frozenset(v) for k, v in out.items()}

    @cached_property
    def required_by(self) -> dict[str, frozenset[str]]:
        """For each term, the terms that require it."""
        out: dict[str, set[str]] = {t.id: set() for t in self.terms}
        for t in self.terms:
            for other in t.requires:
                out[other].add(t.id)
        return {k: frozenset(v) for k, v in out.items()}

    @cached_property
    def replaced_by(self) -> dict[str, tuple[str, ...]]:
        """For each term, the terms that replace it, in declared order."""
        out: dict[str, list[str]] = {t.id: [] for t in self.terms}
        for t in self.terms:
            for other in t.replaces:
                out[other].append(t.id)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def party_ids(self) -> frozenset[str]:
        """Every declared party id."""
        return frozenset(p.id for p in self.parties)

    @cached_property
    def principals(self) -> tuple[str, ...]:
        """The parties whose assent every term needs, in declaration order."""
        return tuple(p.id for p in self.parties if p.role is Role.PRINCIPAL)

    @cached_property
    def assent(self) -> dict[str, tuple[str, ...]]:
        """For each term, the parties whose assent it needs: the principals, then its `consent`."""
        return {t.id: (*self.principals, *t.consent) for t in self.terms}

    @cached_property
    def roles(self) -> dict[str, Role]:
        """Every party's role, by id."""
        return {p.id: p.role for p in self.parties}

    def party(self, party_id: str) -> Party:
        """The party with this id."""
        for p in self.parties:
            if p.id == party_id:
                return p
        hint = suggest(party_id, self.party_ids, noun="party")
        raise ModelError("catalogue", f"no party {party_id!r}", hint)
