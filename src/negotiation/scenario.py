"""Scenario files: TOML documents of parties, terms and moves, read into model values.

Every key is checked: an unknown or mistyped field is an error naming the file, the move id,
the act index and what would be right, so nothing a user wrote is silently dropped. Files are
data, read with `tomli` (the parser of the standard library's `tomllib`, compiled) only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any, NoReturn, TypeGuard, TypeVar

import attrs
import tomli
import tomli_w

from negotiation.engine import Timeline, replay
from negotiation.errors import IllegalMove, ModelError, ScenarioError, suggest
from negotiation.invariants import STATE_INVARIANTS, TIMELINE_CODES, Acknowledgement
from negotiation.model import (
    Act,
    Catalogue,
    Channel,
    Extent,
    Move,
    Party,
    Role,
    Term,
    Verb,
    When,
)
from negotiation.visibility import PUBLIC

__all__ = [
    "Scenario",
    "default_root",
    "dumps_scenario",
    "load_policy",
    "load_scenario",
    "loads_scenario",
    "save_scenario",
    "scenario_document",
]

T = TypeVar("T")


def _moves(values: Iterable[Move]) -> tuple[Move, ...]:
    return tuple(values)


@attrs.frozen
class Scenario:
    """A negotiation as a file states it: its parties and terms, and its moves in order.

    A branch names a `base` scenario and the move it forks after; `moves` is then its whole
    history (the base's moves up to the fork point, less any dropped, then its own), and
    `own_moves` the moves the branch file itself declares.
    """

    id: str
    catalogue: Catalogue
    moves: tuple[Move, ...] = attrs.field(converter=_moves)
    title: str = ""
    description: str = ""
    path: str = attrs.field(default="<memory>", eq=False)
    base: Scenario | None = None
    fork_after: str | None = None
    drop: tuple[str, ...] = ()
    own_moves: tuple[Move, ...] = attrs.field(converter=_moves, default=())
    acknowledged: tuple[Acknowledgement, ...] = ()

    @cached_property
    def timeline(self) -> Timeline:
        """The replayed history (computed once); see `replay`."""
        if self.base is None:
            return self._fold(lambda: replay(self.moves, self.catalogue))
        parent = self.base.timeline
        shared = self.catalogue == self.base.catalogue
        if shared and not self.drop:
            return self._fold(lambda: parent.fork(self.fork_after, self.own_moves))
        if shared:
            # Up to the first dropped move the branch is the base; refold from there.
            first = next(i for i, m in enumerate(parent.moves) if m.id in self.drop)
            after = parent.step_at(first - 1).move.id if first else None
            return self._fold(lambda: parent.fork(after, self.moves[first:]))
        return self._fold(lambda: replay(self.moves, self.catalogue))

    def replay(self) -> Timeline:
        """The replayed history; an illegal act is a `ScenarioError` naming this file and move.

        A branch shares its base's timeline up to the fork point; one that drops base moves
        or declares terms or parties of its own replays the kept base moves again.
        """
        return self.timeline

    def _fold(self, fold: Callable[[], Timeline]) -> Timeline:
        try:
            return fold()
        except IllegalMove as e:
            own = {m.id for m in self.own_moves} if self.base is not None else {m.id for m in self.moves}
            problem = f"{e.act}: {e.problem} [rule {e.rule}]"
            if e.move_id not in own:
                problem = f"{problem}; the move comes from the base, replayed in this branch"
            raise ScenarioError(
                self.path, problem, move_id=e.move_id, act_index=e.act_index, hint=e.hint
            ) from e

    def move(self, move_id: str) -> Move:
        """The move with this id."""
        for m in self.moves:
            if m.id == move_id:
                return m
        raise ScenarioError(
            self.path,
            f"no move {move_id!r}",
            hint=suggest(move_id, [m.id for m in self.moves], noun="move id"),
        )

    @property
    def own_acknowledged(self) -> tuple[Acknowledgement, ...]:
        """The acknowledgements this file declares, without those of its bases."""
        inherited = len(self.base.acknowledged) if self.base is not None else 0
        return self.acknowledged[inherited:]

    @property
    def lineage(self) -> tuple[Scenario, ...]:
        """The scenario and its bases, nearest first."""
        chain: list[Scenario] = [self]
        while chain[-1].base is not None:
            chain.append(chain[-1].base)
        return tuple(chain)


_TYPE_NAMES = {str: "a non-empty string", list: "an array", dict: "a table", bool: "true or false"}


class _Reader:
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
            self.fail(None, f"{what} must be a table, not {_kind(data)}")
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
            self.fail(key, f"must be {_TYPE_NAMES.get(kind, kind.__name__)}, not {_kind(value)}")
        return value

    def text(self, key: str, *, required: bool = False, default: str | None = None) -> Any:
        return self.get(key, str, required=required, default=default)

    def ids(self, key: str, *, one: bool = False) -> tuple[str, ...]:
        """A string or an array of strings."""
        self.used.add(key)
        value = self.data.get(key, [])
        if isinstance(value, str) and one:
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            what = "an array of ids" + (" or one id" if one else "")
            self.fail(key, f"must be {what}, not {_kind(value)}")
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
            self.fail(key, f"must be a date or date-time, not {_kind(value)}")
        try:
            return When.of(value)
        except ModelError as e:
            self.fail(key, e.problem, e.hint)

    def receipts(self, key: str) -> dict[str, When]:
        self.used.add(key)
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            self.fail(key, f"must be a table of party = time, not {_kind(value)}")
        return {party: self._when(f"{key}.{party}", t) for party, t in value.items()}

    def done(self, allowed: list[str]) -> None:
        extra = sorted(set(self.data) - self.used)
        if extra:
            self.fail(extra[0], f"unknown field {extra[0]!r}", suggest(extra[0], allowed, noun="field"))


def _kind(value: object) -> str:
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


_SCENARIO_KEYS = ["scenario", "parties", "terms", "moves", "acknowledge"]
_ACK_KEYS = ["finding", "term", "party", "reason"]
_HEAD_KEYS = ["id", "title", "description", "base", "fork_after", "drop"]
_PARTY_KEYS = ["id", "name", "role"]
_TERM_KEYS = ["id", "obligors", "text", "title", "requires", "conflicts", "refines"]
_MOVE_KEYS = [
    "id",
    "author",
    "addressees",
    "channel",
    "sent",
    "received",
    "published",
    "title",
    "source",
    "note",
    "acts",
]
_ACT_KEYS = [
    "verb",
    "term",
    "move",
    "wording",
    "scope",
    "verification",
    "timing",
    "confidentiality",
    "conditions",
    "extent",
    "quote",
    "note",
    "irregular",
]


@contextmanager
def _model_errors(reader: _Reader) -> Iterator[None]:
    """Turn a model validation error into a scenario error at the reader's location."""
    try:
        yield
    except ModelError as e:
        named = reader.move_id is not None and e.what == f"move {reader.move_id!r}"  # said already
        reader.fail(None, e.problem if named else f"{e.what}: {e.problem}", e.hint)


def _array(top: _Reader, key: str, *, required: bool) -> list[Any]:
    value = top.get(key, list, required=required, default=[])
    return value  # type: ignore[no-any-return]


def _party(path: str, i: int, data: object) -> Party:
    r = _Reader(path, data, what="a party", prefix=f"parties[{i}].")
    pid = r.text("id", required=True)
    r.prefix = f"parties.{pid}."
    roles = [str(x) for x in Role]
    with _model_errors(r):
        party = Party(pid, r.text("name", default=""), r.enum("role", Role, roles, Role.PRINCIPAL))
    r.done(_PARTY_KEYS)
    return party


def _term(path: str, i: int, data: object) -> Term:
    r = _Reader(path, data, what="a term", prefix=f"terms[{i}].")
    tid = r.text("id", required=True)
    r.prefix = f"terms.{tid}."
    if "obligors" not in r.data:
        r.fail(
            "obligors",
            f"term {tid!r} names no obligors",
            "add obligors = [PARTY, ...]: the parties the term obliges",
        )
    with _model_errors(r):
        term = Term(
            id=tid,
            obligors=r.ids("obligors", one=True),
            text=r.text("text", required=True),
            title=r.text("title", default=""),
            requires=r.ids("requires"),
            conflicts=r.ids("conflicts"),
            refines=r.text("refines"),
        )
    r.done(_TERM_KEYS)
    return term


# -- the common case, read fast ----------------------------------------------------------------
#
# Long histories are mostly well-formed moves. `_plain_act` and `_plain_move` build those
# directly and return None at the first thing they do not vouch for; the reader below then
# goes over the same table field by field and names the problem. A value is only ever accepted
# by the fast path if the reader would accept it and build the same thing.

_ACT_TEXT = frozenset(_ACT_KEYS) - {"verb", "conditions", "extent"}
_ACT_KEYSET = frozenset(_ACT_KEYS)
_MOVE_PLAIN_KEYSET = frozenset(_MOVE_KEYS) - {"sent", "received", "published"}
_VERB_VALUES = frozenset(str(v) for v in Verb)
_EXTENT_VALUES = frozenset(str(e) for e in Extent)
_CHANNEL_VALUES = frozenset(str(c) for c in Channel)


def _text_or_none(value: object) -> bool:
    return value is None or (type(value) is str and bool(value.strip()))


def _one_of(value: object, allowed: frozenset[str]) -> TypeGuard[str]:
    return type(value) is str and value in allowed


def _plain_ids(value: object) -> bool:
    return type(value) is list and all(type(v) is str and v.strip() for v in value)


def _plain_act(data: object) -> Act | None:
    """The act, if the table is plainly well formed; None sends it to the careful reader."""
    if (
        type(data) is not dict
        or not data.keys() <= _ACT_KEYSET
        or not _one_of(data.get("verb"), _VERB_VALUES)
    ):
        return None
    get = data.get
    for key, value in data.items():
        if key in _ACT_TEXT and (type(value) is not str or not value.strip()):
            return None
    conditions = get("conditions", [])
    extent = get("extent")
    if not _plain_ids(conditions) or (extent is not None and not _one_of(extent, _EXTENT_VALUES)):
        return None
    try:
        return Act(
            Verb(data["verb"]),
            get("term"),
            get("move"),
            get("wording"),
            get("scope"),
            get("verification"),
            get("timing"),
            get("confidentiality"),
            conditions,
            None if extent is None else Extent(extent),
            get("quote"),
            get("note"),
            get("irregular"),
        )
    except ModelError:
        return None


def _plain_move(data: object, parties: frozenset[str]) -> Move | None:
    """The move, if the table is plainly well formed and undated; None sends it to the careful reader."""
    if type(data) is not dict or not data.keys() <= _MOVE_PLAIN_KEYSET:
        return None
    get = data.get
    mid, author, addressees = get("id"), get("author"), get("addressees", [])
    channel, acts_data = get("channel", "private"), get("acts")
    if (
        type(mid) is not str
        or not mid.strip()
        or not _one_of(author, parties)
        or not _plain_ids(addressees)
        or not parties.issuperset(addressees)
        or not _one_of(channel, _CHANNEL_VALUES)
        or type(acts_data) is not list
        or not acts_data
        or not all(_text_or_none(get(k)) for k in ("title", "source", "note"))
    ):
        return None
    acts = []
    for a in acts_data:
        act = _plain_act(a)
        if act is None:
            return None
        acts.append(act)
    try:
        return Move(
            mid,
            author,
            acts,
            addressees,
            Channel(channel),
            title=get("title", ""),
            source=get("source"),
            note=get("note"),
        )
    except ModelError:
        return None


def _act(path: str, move_id: str, i: int, data: object) -> Act:
    r = _Reader(path, data, what="an act", move_id=move_id, act_index=i)
    verbs = [str(v) for v in Verb]
    verb = r.enum("verb", Verb, verbs)
    if verb is None:
        r.fail("verb", "is missing", f"one of {', '.join(verbs)}")
    with _model_errors(r):
        act = Act(
            verb=verb,
            term=r.text("term"),
            move=r.text("move"),
            wording=r.text("wording"),
            scope=r.text("scope"),
            verification=r.text("verification"),
            timing=r.text("timing"),
            confidentiality=r.text("confidentiality"),
            conditions=r.ids("conditions"),
            extent=r.enum("extent", Extent, [str(e) for e in Extent]),
            quote=r.text("quote"),
            note=r.text("note"),
            irregular=r.text("irregular"),
        )
    r.done(_ACT_KEYS)
    return act


def _move(path: str, i: int, data: object, parties: frozenset[str]) -> Move:
    plain = _plain_move(data, parties)
    return plain if plain is not None else _careful_move(path, i, data, parties)


def _careful_move(path: str, i: int, data: object, parties: frozenset[str]) -> Move:
    r = _Reader(path, data, what="a move", prefix=f"moves[{i}].")
    mid = r.text("id", required=True)
    r.move_id, r.prefix = mid, ""
    author = r.text("author", required=True)
    acts_data = r.get("acts", list, required=True)
    if not acts_data:
        r.fail("acts", "is empty", "a move carries at least one act: [[moves.acts]] verb = ...")
    acts = tuple(_act(path, mid, j, a) for j, a in enumerate(acts_data))
    for party in (author, *r.ids("addressees")):
        if party not in parties:
            r.fail(
                "author" if party == author else "addressees",
                f"names unknown party {party!r}",
                suggest(party, parties, noun="party"),
            )
    channels = [str(c) for c in Channel]
    with _model_errors(r):
        move = Move(
            id=mid,
            author=author,
            acts=acts,
            addressees=r.ids("addressees"),
            channel=r.enum("channel", Channel, channels, Channel.PRIVATE),
            sent=r.when("sent"),
            received=r.receipts("received"),
            published=r.when("published"),
            title=r.text("title", default=""),
            source=r.text("source"),
            note=r.text("note"),
        )
    r.done(_MOVE_KEYS)
    return move


_POLICY_KEYS = ["verbs", "terms", "max_acts", "turns", "channel", "core"]


def load_policy(path: str | Path) -> dict[str, Any]:
    """The fields of an exploration policy file's `[policy]` table, checked like a scenario's."""
    shown = str(path)
    try:
        data = tomli.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise ScenarioError(shown, f"cannot read the file: {e.strerror or e}") from None
    except (tomli.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ScenarioError(shown, f"not valid TOML: {e}") from None
    top = _Reader(shown, data, what="a policy file")
    r = _Reader(shown, top.get("policy", dict, required=True), what="[policy]", prefix="policy.")
    fields: dict[str, Any] = {}
    if "verbs" in r.data:
        fields["verbs"] = r.enum_list("verbs", [str(v) for v in Verb])
    if "terms" in r.data:
        terms = r.data["terms"]
        fields["terms"] = terms if terms in ("open", "catalogue") else r.ids("terms")
    if "max_acts" in r.data:
        fields["max_acts"] = r.get("max_acts", int)
    if "turns" in r.data:
        fields["turns"] = r.enum("turns", str, ["alternate", "any"])
    if "channel" in r.data:
        fields["channel"] = r.enum("channel", Channel, [str(c) for c in Channel])
    if "core" in r.data:
        fields["core"] = r.ids("core")
    r.done(_POLICY_KEYS)
    top.done(["policy"])
    return fields


def default_root(path: Path) -> Path:
    """The folder a scenario's bases must stay in.

    That is the nearest enclosing folder named `scenarios`, or else the file's own folder.
    """
    folder = path.resolve().parent
    for candidate in (folder, *folder.parents):
        if candidate.name == "scenarios":
            return candidate
    return folder


def loads_scenario(text: str | bytes, path: str = "<string>", *, root: str | Path | None = None) -> Scenario:
    """Read a scenario from TOML text (or UTF-8 bytes); `path` names it in messages and anchors a `base`."""
    where = Path(path)
    return _parse(text, path, Path(root).resolve() if root else default_root(where), (where.resolve(),))


def load_scenario(path: str | Path, *, root: str | Path | None = None) -> Scenario:
    """Read a scenario (or branch) file; every problem is a `ScenarioError` naming the file.

    A branch's `base` must resolve inside `root` (by default the nearest enclosing folder named
    `scenarios`, or else the file's own folder).
    """
    p = Path(path)
    top = Path(root).resolve() if root else default_root(p)
    return _load(p, str(path), top, ())


def _load(p: Path, shown: str, root: Path, chain: tuple[Path, ...]) -> Scenario:
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise ScenarioError(shown, f"cannot read the file: {e.strerror or e}") from None
    return _parse(raw, shown, root, (*chain, p.resolve()))


def _parse(text: str | bytes, path: str, root: Path, chain: tuple[Path, ...]) -> Scenario:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as e:
            raise ScenarioError(path, f"not UTF-8 text (byte {e.start})") from None
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as e:
        raise ScenarioError(path, f"not valid TOML: {e}") from None
    except RecursionError:
        raise ScenarioError(path, "not valid TOML: arrays or tables nested too deep to read") from None
    top = _Reader(path, data, what="a scenario")
    head = _Reader(path, top.get("scenario", dict, required=True), what="[scenario]", prefix="scenario.")
    sid = head.text("id", required=True)
    title, description = head.text("title", default=""), head.text("description", default="")
    base_name = head.text("base")
    fork_after = head.text("fork_after")
    drop = head.ids("drop")
    if base_name is None and (fork_after is not None or drop):
        head.fail(
            "fork_after" if fork_after is not None else "drop",
            "needs a base",
            'add base = "FILE.toml": the scenario this one branches from',
        )
    head.done(_HEAD_KEYS)
    base = _base(head, base_name, root, chain) if base_name is not None else None
    parties = [_party(path, i, p) for i, p in enumerate(_array(top, "parties", required=base is None))]
    terms = [_term(path, i, t) for i, t in enumerate(_array(top, "terms", required=base is None))]
    if base is not None:
        parties = [*base.catalogue.parties, *parties]
        terms = [*base.catalogue.terms, *terms]
    _unique(path, "terms", [t.id for t in terms])
    try:
        catalogue = Catalogue(parties, terms)
    except ModelError as e:
        raise ScenarioError(path, str(e), hint=e.hint) from None
    own = [_move(path, i, m, catalogue.party_ids) for i, m in enumerate(_array(top, "moves", required=False))]
    acks = [
        _acknowledgement(path, i, a, catalogue)
        for i, a in enumerate(_array(top, "acknowledge", required=False))
    ]
    if base is not None:
        acks = [*base.acknowledged, *acks]
    top.done(_SCENARIO_KEYS)
    if base is None:
        _unique(path, "moves", [m.id for m in own])
        return Scenario(
            sid,
            catalogue,
            tuple(own),
            title,
            description,
            path,
            own_moves=tuple(own),
            acknowledged=tuple(acks),
        )
    kept = _kept(head, base, fork_after, drop)
    _unique_across(path, kept, own)
    if base.catalogue == catalogue:
        catalogue = base.catalogue  # share the very object, so forks share the base's states
    return Scenario(
        sid,
        catalogue,
        (*kept, *own),
        title,
        description,
        path,
        base=base,
        fork_after=fork_after if fork_after is not None else (base.moves[-1].id if base.moves else None),
        drop=drop,
        own_moves=tuple(own),
        acknowledged=tuple(acks),
    )


def _base(head: _Reader, name: str, root: Path, chain: tuple[Path, ...]) -> Scenario:
    here = chain[-1].parent if chain else Path.cwd()
    target = (here / name).resolve()
    if not target.is_relative_to(root):
        head.fail(
            "base",
            f"{name!r} resolves to {target}, outside the scenario root {root}",
            "bases must live in the same scenarios folder tree",
        )
    if target in chain:
        cycle = " -> ".join(p.name for p in (*chain[chain.index(target) :], target))
        head.fail("base", f"the bases form a cycle: {cycle}", "a branch cannot be its own ancestor")
    try:
        shown = str(target.relative_to(Path.cwd()))
    except ValueError:
        shown = str(target)
    return _load(target, shown, root, chain)


def _kept(head: _Reader, base: Scenario, fork_after: str | None, drop: tuple[str, ...]) -> list[Move]:
    ids = [m.id for m in base.moves]
    end = len(ids)
    if fork_after is not None:
        if fork_after not in ids:
            head.fail(
                "fork_after",
                f"{base.path} has no move {fork_after!r}",
                suggest(fork_after, ids, noun="move id"),
            )
        end = ids.index(fork_after) + 1
    for d in drop:
        if d not in ids[:end]:
            where = "after the fork point" if d in ids else "not in the base"
            head.fail(
                "drop",
                f"cannot drop {d!r}: {where}",
                suggest(d, ids[:end], noun="move id") if d not in ids else "drop only moves up to fork_after",
            )
    return [m for m in base.moves[:end] if m.id not in drop]


def _acknowledgement(path: str, i: int, data: object, catalogue: Catalogue) -> Acknowledgement:
    r = _Reader(path, data, what="an acknowledgement", prefix=f"acknowledge[{i}].")
    codes = sorted({*STATE_INVARIANTS, *TIMELINE_CODES})
    code = r.text("finding", required=True)
    if code not in codes:
        r.fail("finding", f"no finding is called {code!r}", suggest(code, codes, noun="finding"))
    term, party = r.text("term"), r.text("party")
    if term is not None and term not in catalogue.by_id:
        r.fail("term", f"no term {term!r}", suggest(term, catalogue.by_id, noun="term id"))
    if party is not None and party not in catalogue.party_ids and party != PUBLIC:
        r.fail("party", f"no party {party!r}", suggest(party, catalogue.party_ids, noun="party"))
    reason = r.text("reason", required=True)
    r.done(_ACK_KEYS)
    return Acknowledgement(code, reason, term, party)


def _unique_across(path: str, kept: list[Move], own: list[Move]) -> None:
    seen = {m.id for m in kept}
    for i, m in enumerate(own):
        if m.id in seen:
            raise ScenarioError(
                path,
                f"id {m.id!r} is used twice",
                field=f"moves[{i}].id",
                hint="a branch's moves need ids of their own, unused in the base before the fork",
            )
        seen.add(m.id)


def _unique(path: str, key: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i, x in enumerate(ids):
        if x in seen:
            raise ScenarioError(
                path, f"id {x!r} is used twice", field=f"{key}[{i}].id", hint="every entry needs its own id"
            )
        seen.add(x)


def _time(when: When) -> dt.date | dt.datetime:
    return when.at if when.at is not None else when.day


def _compact(table: dict[str, Any]) -> dict[str, Any]:
    """The table without keys whose value is empty or the default, so files stay short."""
    return {k: v for k, v in table.items() if v not in (None, "", (), [], {})}


def scenario_document(scenario: Scenario, *, base_file: str | None = None) -> dict[str, Any]:
    """The scenario as TOML-ready data.

    A branch is written as a branch of `base_file` (its own moves, parties and terms only)
    when that is given, and otherwise as a standalone file with its whole history.
    """
    cat = scenario.catalogue
    head: dict[str, Any] = {"id": scenario.id, "title": scenario.title, "description": scenario.description}
    parties, terms, moves, acks = cat.parties, cat.terms, scenario.moves, scenario.acknowledged
    if scenario.base is not None and base_file is not None:
        base = scenario.base
        head.update(base=base_file, fork_after=scenario.fork_after, drop=list(scenario.drop))
        parties, terms = parties[len(base.catalogue.parties) :], terms[len(base.catalogue.terms) :]
        moves, acks = scenario.own_moves, scenario.own_acknowledged
    return _compact(
        {
            "scenario": _compact(head),
            "parties": [
                _compact(
                    {
                        "id": p.id,
                        "name": p.name,
                        "role": str(p.role) if p.role is not Role.PRINCIPAL else None,
                    }
                )
                for p in parties
            ],
            "terms": [
                _compact(
                    {
                        "id": t.id,
                        "obligors": list(t.obligors),
                        "text": t.text,
                        "title": t.title,
                        "requires": list(t.requires),
                        "conflicts": list(t.conflicts),
                        "refines": t.refines,
                    }
                )
                for t in terms
            ],
            "moves": [
                _compact(
                    {
                        "id": m.id,
                        "author": m.author,
                        "addressees": list(m.addressees),
                        "channel": str(m.channel),
                        "sent": _time(m.sent) if m.sent else None,
                        "received": {p: _time(t) for p, t in sorted(m.received.items())},
                        "published": _time(m.published) if m.published else None,
                        "title": m.title,
                        "source": m.source,
                        "note": m.note,
                        "acts": [
                            _compact(
                                {
                                    "verb": str(a.verb),
                                    "term": a.term,
                                    "move": a.move,
                                    "wording": a.wording,
                                    "scope": a.scope,
                                    "verification": a.verification,
                                    "timing": a.timing,
                                    "confidentiality": a.confidentiality,
                                    "conditions": list(a.conditions),
                                    "extent": str(a.extent) if a.extent else None,
                                    "quote": a.quote,
                                    "note": a.note,
                                    "irregular": a.irregular,
                                }
                            )
                            for a in m.acts
                        ],
                    }
                )
                for m in moves
            ],
            "acknowledge": [
                _compact({"finding": a.code, "term": a.term, "party": a.party, "reason": a.reason})
                for a in acks
            ],
        }
    )


def dumps_scenario(scenario: Scenario, *, base_file: str | None = None) -> str:
    """The scenario as TOML text that `loads_scenario` reads back to an equal scenario."""
    # Multi-line strings would let a TOML reader normalise "\r\n" to "\n": escape instead.
    return tomli_w.dumps(scenario_document(scenario, base_file=base_file))


def save_scenario(scenario: Scenario, path: str | Path, *, base_file: str | None = None) -> None:
    """Write the scenario to a TOML file (a branch of `base_file`, when given)."""
    Path(path).write_text(dumps_scenario(scenario, base_file=base_file), encoding="utf-8")
