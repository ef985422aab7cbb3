"""The exception hierarchy: every error the package raises for a user's mistake.

All derive from `NegotiationError`; each carries where it happened and what would be right as
attributes, and builds its one-line message in `__str__`.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches

__all__ = [
    "IllegalMove",
    "ModelError",
    "NegotiationError",
    "ParameterError",
    "ScenarioError",
    "SearchError",
    "UnknownMoveError",
    "plural",
    "require",
    "suggest",
]


def plural(noun: str) -> str:
    """The plural of a noun of these messages: 'party' -> 'parties', 'term id' -> 'term ids'."""
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "o", "u"):
        return noun[:-1] + "ies"
    return noun + "s"


def suggest(name: str, known: Iterable[str], *, noun: str = "id") -> str:
    """Return a hint naming the closest known ids, or listing them all when none is close.

    The list keeps the order it is given in (moves in replay order, terms and parties as
    declared); only an unordered set is sorted, so that a message never depends on hashing.
    """
    known = sorted(known) if isinstance(known, (set, frozenset)) else list(known)
    if not known:
        return f"no {plural(noun)} are declared"
    close = get_close_matches(name, known, n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    shown = ", ".join(known[:20]) + (", ..." if len(known) > 20 else "")
    return f"known {plural(noun)}: {shown}"


def require(cond: bool, what: str, problem: str, hint: str = "") -> None:
    """Raise `ModelError` (what, problem, hint) unless the condition holds: a value's own check."""
    if not cond:
        raise ModelError(what, problem, hint)


class NegotiationError(Exception):
    """Root of every error this package raises on purpose."""


class ModelError(NegotiationError, ValueError):
    """A value (term, act, move, ...) was built with fields that cannot hold together."""

    def __init__(self, what: str, problem: str, hint: str = "") -> None:
        super().__init__(what, problem, hint)
        self.what = what
        self.problem = problem
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.what}: {self.problem}"
        return f"{text} ({self.hint})" if self.hint else text


class ParameterError(ModelError):
    """A function was given a value for one of its parameters that it cannot use.

    It names the parameter as the function does (`viewer`, `format`, ...); a command line
    that took the value from a flag says which flag instead.
    """

    def __init__(self, parameter: str, value: object, problem: str, hint: str = "") -> None:
        super().__init__(f"{parameter} {value!r}", problem, hint)
        self.args = (parameter, value, problem, hint)
        self.parameter = parameter
        self.value = value


class IllegalMove(NegotiationError):
    """An act breaks a rule of the negotiation in the state it is applied to."""

    def __init__(
        self,
        move_id: str,
        act_index: int | None,
        act: str,
        rule: str,
        problem: str,
        hint: str = "",
    ) -> None:
        super().__init__(move_id, act_index, act, rule, problem, hint)
        self.move_id = move_id
        self.act_index = act_index
        self.act = act
        self.rule = rule
        self.problem = problem
        self.hint = hint

    @property
    def location(self) -> str:
        """Where the violation is: the move and, for an act, its index and verb."""
        where = f"move {self.move_id!r}"
        if self.act_index is not None:
            where += f", acts[{self.act_index}] ({self.act})"
        return where

    def __str__(self) -> str:
        text = f"{self.location}: {self.problem} [rule {self.rule}]"
        return f"{text}; {self.hint}" if self.hint else text


class ScenarioError(NegotiationError):
    """A scenario file cannot be read, or its content is not a valid negotiation."""

    def __init__(
        self,
        path: str,
        problem: str,
        *,
        move_id: str | None = None,
        act_index: int | None = None,
        field: str | None = None,
        hint: str = "",
    ) -> None:
        super().__init__(path, problem, move_id, act_index, field, hint)
        self.path = path
        self.problem = problem
        self.move_id = move_id
        self.act_index = act_index
        self.field = field
        self.hint = hint

    @property
    def location(self) -> str:
        """The file, then the move, act and field where they are known."""
        parts = [self.path]
        if self.move_id is not None:
            parts.append(f"move {self.move_id!r}")
        if self.act_index is not None:
            parts.append(f"acts[{self.act_index}]")
        if self.field is not None:
            parts.append(f"field {self.field!r}")
        return ": ".join(parts)

    def __str__(self) -> str:
        text = f"{self.location}: {self.problem}"
        return f"{text} ({self.hint})" if self.hint else text


class UnknownMoveError(NegotiationError, KeyError):
    """A timeline was asked for a move id it does not hold."""

    def __init__(self, move_id: str, known: Iterable[str]) -> None:
        known = tuple(known)
        super().__init__(move_id, known)
        self.move_id = move_id
        self.known = known

    def __str__(self) -> str:
        hint = suggest(self.move_id, self.known, noun="move id")
        return f"no move {self.move_id!r} in this timeline ({hint})"


class SearchError(NegotiationError, RuntimeError):
    """A search could not go on: a worker holding a shard of it stopped or failed."""
