"""The careful reader of scenario tables: every key checked, every problem located and explained.

`Reader` walks one TOML table and names the file, move, act and field of whatever is wrong;
the `read_*` functions build model values from tables through it. Key lists derive from the
model's own fields, so a new field is read (and an unknown one refused) without a second list.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

import attrs

from negotiation.catalogue import Catalogue
from negotiation.errors import ModelError, ScenarioError, suggest
from negotiation.findings import Acknowledgement
from negotiation.invariants import STATE_INVARIANTS, TIMELINE_CODES
from negotiation.model import ACT_FIELDS, Act, Move, Party, Term, When
from negotiation.vocabulary import PUBLIC, Channel, Extent, Modality, Role, Verb

__all__ = [
    "ACK_KEYS",
    "ACT_KEYS",
    "HEAD_KEYS",
    "MOVE_KEYS",
    "PARTY_KEYS",
    "SCENARIO_KEYS",
    "TERM_KEYS",
    "Reader",
    "array",
    "careful_move",
    "kind_of",
    "model_errors",
    "read_acknowledgement",
    "read_act",
    "read_party",
    "read_term",
]

T = TypeVar("T")

_TYPE_NAMES = {str: "a non-empty string", list: "an array", dict: "a table", bool: "true or false"}


class Reader:
    """Reads one TOML table, tracking where it is for error messages and which keys it used."""

    def __init__(
        self,
        path: str,
        data: object,
        *,
        what: str,
        move_id: str | None = None,
        act_index: int | None = None,
        prefix: str = "",
    ) -> None:
        self.path, self.move_id, self.act_index, self.prefix = path, move_id, act_index, prefix
        if not isinstance(data, dict):
            self.fail(None, f"{what} must be a table, not {kind_of(data)}")
        self.data: dict[str, Any] = data
        self.used: set[str] = set()

    def fail(self, key: str | None, problem: str, hint: str = "") -> NoReturn:
        field = f"{self.prefix}{key}" if key is not None else (self.prefix.rstrip(".") or None)
        if field is not None and not field.strip():
            field = None
        raise ScenarioError(
            self.path, problem, move_id=self.move_id, act_index=self.act_index, field=field, hint=hint
        )

    def get(self, key: str, kind: type[T], *, required: bool = False, default: Any = None) -> Any:
        self.used.add(key)
        if key not in self.data:
            if required:
                self.fail(key, "is missing", f"add {key} = ... ({_TYPE_NAMES.get(kind, kind.__name__)})")
            return default
        value = self.data[key]
        if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
            self.fail(key, f"must be {_TYPE_NAMES.get(kind, kind.__name__)}, not {kind_of(value)}")
        return value

    def text(self, key: str, *, required: bool = False, default: str | None = None) -> Any:
        return self.get(key, str, required=required, default=default)

    def ids(self, key: str) -> tuple[str, ...]:
        """An array of ids; a lone string is refused with the array to write instead."""
        self.used.add(key)
        value = self.data.get(key, [])
        if isinstance(value, str) and value.strip():
            self.fail(key, "must be an array of ids, not a string", f"write {key} = [{json.dumps(value)}]")
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(key, f"must be an array of ids, not {kind_of(value)}")
        return tuple(value)

    def enum(self, key: str, kind: Callable[[str], T], allowed: list[str], default: Any = None) -> Any:
        value = self.text(key)
        if value is None:
            return default
        if value not in allowed:
            self.fail(
                key, f"{value!r} is not one of {', '.join(allowed)}", suggest(value, allowed, noun="value")
            )
        return kind(value)

    def enum_list(self, key: str, allowed: list[str]) -> tuple[str, ...]:
        values = self.ids(key)
        for value in values:
            if value not in allowed:
                self.fail(
                    key,
                    f"{value!r} is not one of {', '.join(allowed)}",
                    suggest(value, allowed, noun="value"),
                )
        return values

    def when(self, key: str) -> When | None:
        self.used.add(key)
        if key not in self.data:
            return None
        return self._when(key, self.data[key])

    def _when(self, key: str, value: object) -> When:
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            self.fail(
                key,
                f"{value.isoformat()} has no UTC offset",
                "write e.g. 1962-10-27T19:45:00-04:00 (Washington) or 1962-10-28T17:00:00+03:00 (Moscow)",
            )
        if isinstance(value, dt.time):
            self.fail(key, "gives a time without a date", "write a date, or a date and time with its offset")
        if not isinstance(value, (dt.date, str)):
            self.fail(key, f"must be a date or date-time, not {kind_of(value)}")
        try:
            return When.of(value)
        except ModelError as e:
            self.fail(key, e.problem, e.hint)

    def receipts(self, key: str) -> dict[str, When]:
        self.used.add(key)
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            self.fail(key, f"must be a table of party = time, not {kind_of(value)}")
        return {party: self._when(f"{key}.{party}", t) for party, t in value.items()}

    def done(self, allowed: list[str]) -> None:
        extra = sorted(set(self.data) - self.used)
        if extra:
            self.fail(extra[0], f"unknown field {extra[0]!r}", suggest(extra[0], allowed, noun="field"))


def kind_of(value: object) -> str:
    """What a TOML value is, in words for a message: "an integer", "an empty string", ..."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "an empty string" if not value.strip() else "a string"
    return "a date/time"


SCENARIO_KEYS = ["scenario", "parties", "terms", "moves", "acknowledge", "preferences"]
"""The tables of a scenario file."""
HEAD_KEYS = ["format", "id", "title", "description", "base", "fork_after", "drop"]
"""The keys of its `[scenario]` table."""
ACK_KEYS = ["finding", "term", "party", "move", "reason"]
"""The keys of an `[[acknowledge]]` entry (`finding` is the acknowledged code)."""
PARTY_KEYS = [f.name for f in attrs.fields(Party)]
TERM_KEYS = [f.name for f in attrs.fields(Term)]
MOVE_KEYS = [f.name for f in attrs.fields(Move)]
ACT_KEYS = list(ACT_FIELDS)


@contextmanager
def model_errors(reader: Reader) -> Iterator[None]:
    """Turn a model validation error into a scenario error at the reader's location."""
    try:
        yield
    except ModelError as e:
        named = reader.move_id is not None and e.what == f"move {reader.move_id!r}"  # said already
        reader.fail(None, e.problem if named else f"{e.what}: {e.problem}", e.hint)


def array(top: Reader, key: str, *, required: bool) -> list[Any]:
    """The array under the key of a top-level table (empty when absent and not required)."""
    value = top.get(key, list, required=required, default=[])
    return value  # type: ignore[no-any-return]


def read_party(path: str, i: int, data: object) -> Party:
    """The party of the i-th `[[parties]]` table."""
    r = Reader(path, data, what="a party", prefix=f"parties[{i}].")
    pid = r.text("id", required=True)
    r.prefix = f"parties.{pid}."
    roles = [str(x) for x in Role]
    with model_errors(r):
        party = Party(pid, r.text("name", default=""), r.enum("role", Role, roles, Role.PRINCIPAL))
    r.done(PARTY_KEYS)
    return party


def read_term(path: str, i: int, data: object) -> Term:
    """The term of the i-th `[[terms]]` table."""
    r = Reader(path, data, what="a term", prefix=f"terms[{i}].")
    tid = r.text("id", required=True)
    r.prefix = f"terms.{tid}."
    if "obligors" not in r.data:
        r.fail(
            "obligors",
            f"term {tid!r} names no obligors",
            "add obligors = [PARTY, ...]: the parties the term obliges",
        )
    with model_errors(r):
        term = Term(
            id=tid,
            obligors=r.ids("obligors"),
            text=r.text("text", required=True),
            title=r.text("title", default=""),
            requires=r.ids("requires"),
            conflicts=r.ids("conflicts"),
            refines=r.text("refines"),
            consent=r.ids("consent"),
            replaces=r.ids("replaces"),
        )
    r.done(TERM_KEYS)
    return term


def read_act(path: str, move_id: str, i: int, data: object) -> Act:
    """The i-th act of a move, every field read by its own rule and the rest refused."""
    r = Reader(path, data, what="an act", move_id=move_id, act_index=i)
    verbs = [str(v) for v in Verb]
    verb = r.enum("verb", Verb, verbs)
    if verb is None:
        r.fail("verb", "is missing", f"one of {', '.join(verbs)}")
    typed: dict[str, Callable[[], Any]] = {
        "conditions": lambda: r.ids("conditions"),
        "extent": lambda: r.enum("extent", Extent, [str(e) for e in Extent]),
        "modality": lambda: r.enum("modality", Modality, [str(m) for m in Modality], Modality.COMMITMENT),
        "verified": lambda: r.get("verified", bool),
    }
    fields = {n: typed[n]() if n in typed else r.text(n) for n in ACT_FIELDS if n != "verb"}
    with model_errors(r):
        act = Act(verb, **fields)
    r.done(ACT_KEYS)
    return act


def careful_move(path: str, i: int, data: object, parties: frozenset[str]) -> Move:
    """The i-th move, read field by field so that any problem is named where it is."""
    r = Reader(path, data, what="a move", prefix=f"moves[{i}].")
    mid = r.text("id", required=True)
    r.move_id, r.prefix = mid, ""
    author = r.text("author", required=True)
    acts_data = r.get("acts", list, required=True)
    if not acts_data:
        r.fail("acts", "is empty", "a move carries at least one act: [[moves.acts]] verb = ...")
    acts = tuple(read_act(path, mid, j, a) for j, a in enumerate(acts_data))
    addressees = r.ids("addressees")
    for party in (author, *addressees):
        if party not in parties:
            r.fail(
                "author" if party == author else "addressees",
                f"names unknown party {party!r}",
                suggest(party, parties, noun="party"),
            )
    receipts = r.receipts("received")
    for party in receipts:
        # `public` may date a public move's publication, unless a party of that name is addressed.
        if party not in parties and (party != PUBLIC or party in addressees):
            r.fail(
                f"received.{party}",
                f"names unknown party {party!r}",
                suggest(party, parties, noun="party"),
            )
    channels = [str(c) for c in Channel]
    with model_errors(r):
        move = Move(
            id=mid,
            author=author,
            acts=acts,
            addressees=addressees,
            channel=r.enum("channel", Channel, channels, Channel.PRIVATE),
            sent=r.when("sent"),
            received=receipts,
            published=r.when("published"),
            title=r.text("title", default=""),
            source=r.text("source"),
            note=r.text("note"),
        )
    r.done(MOVE_KEYS)
    return move


def read_acknowledgement(
    path: str, i: int, data: object, catalogue: Catalogue, moves: Collection[str]
) -> Acknowledgement:
    """The i-th `[[acknowledge]]` entry: a known finding code, and the term, party and move it names."""
    r = Reader(path, data, what="an acknowledgement", prefix=f"acknowledge[{i}].")
    codes = sorted({*STATE_INVARIANTS, *TIMELINE_CODES})
    code = r.text("finding", required=True)
    if code not in codes:
        r.fail("finding", f"no finding is called {code!r}", suggest(code, codes, noun="finding"))
    term, party = r.text("term"), r.text("party")
    if term is not None and term not in catalogue.by_id:
        r.fail("term", f"no term {term!r}", suggest(term, catalogue.by_id, noun="term id"))
    if party is not None and party not in catalogue.party_ids and party != PUBLIC:
        r.fail("party", f"no party {party!r}", suggest(party, catalogue.party_ids, noun="party"))
    at = r.text("move")
    if at is not None and at not in moves:
        r.fail("move", f"no move {at!r} in this scenario", suggest(at, moves, noun="move id"))
    reason = r.text("reason", required=True)
    r.done(ACK_KEYS)
    return Acknowledgement(code, reason, term, party, at)
