"""Reading scenario files: TOML text in, a checked `Scenario` out, branches resolved to their bases.

Every key is checked: an unknown or mistyped field is an error naming the file, the move id,
the act index and what would be right, so nothing a user wrote is silently dropped. Files are
data, read with `tomli` (the parser of the standard library's `tomllib`, compiled) only. A
branch names its base by a path that must stay inside the scenarios folder.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import tomli

from negotiation.catalogue import Catalogue
from negotiation.errors import ModelError, ScenarioError, suggest
from negotiation.io.fast import plain_move
from negotiation.io.preferences import read_sets
from negotiation.io.reader import (
    HEAD_KEYS,
    SCENARIO_KEYS,
    Reader,
    array,
    careful_move,
    read_acknowledgement,
    read_party,
    read_term,
)
from negotiation.io.scenario import FORMAT, Scenario
from negotiation.model import Act, Move
from negotiation.preferences import PreferenceSet
from negotiation.state import State

__all__ = ["default_root", "load_scenario", "loads_scenario"]


def _move(path: str, i: int, data: object, parties: frozenset[str], acts: dict[object, Act]) -> Move:
    plain = plain_move(data, parties, acts)
    return plain if plain is not None else careful_move(path, i, data, parties)


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
    # A byte-order mark is how some editors sign UTF-8, not text of the file: TOML has no room
    # for it, so it is read past rather than reported as an invalid statement at 1:1.
    text = text.removeprefix("\ufeff")
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as e:
        raise ScenarioError(path, f"not valid TOML: {e}") from None
    except RecursionError:
        raise ScenarioError(path, "not valid TOML: arrays or tables nested too deep to read") from None
    top = Reader(path, data, what="a scenario")
    head = Reader(path, top.get("scenario", dict, required=True), what="[scenario]", prefix="scenario.")
    version = _format(head)
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
    head.done(HEAD_KEYS)
    base = _base(head, base_name, root, chain) if base_name is not None else None
    parties = [read_party(path, i, p) for i, p in enumerate(array(top, "parties", required=base is None))]
    terms = [read_term(path, i, t) for i, t in enumerate(array(top, "terms", required=base is None))]
    if base is not None:
        _not_in_base(path, base, "parties", [p.id for p in parties], base.catalogue.party_ids)
        _not_in_base(path, base, "terms", [t.id for t in terms], base.catalogue.by_id)
        parties = [*base.catalogue.parties, *parties]
        terms = [*base.catalogue.terms, *terms]
    _unique(path, "terms", [t.id for t in terms])
    try:
        catalogue = Catalogue(parties, terms)
    except ModelError as e:
        raise ScenarioError(path, f"{e.what}: {e.problem}", hint=e.hint) from None
    acts: dict[object, Act] = {}  # equal act tables of this file, built once and shared
    own = [
        _move(path, i, m, catalogue.party_ids, acts)
        for i, m in enumerate(array(top, "moves", required=False))
    ]
    known = {m.id for m in own} | ({m.id for m in base.moves} if base is not None else set())
    acks = [
        read_acknowledgement(path, i, a, catalogue, known)
        for i, a in enumerate(array(top, "acknowledge", required=False))
    ]
    if base is not None:
        acks = [*base.acknowledged, *acks]
    preferences = read_sets(
        path,
        array(top, "preferences", required=False),
        "preferences",
        base=chain[-1].parent if chain else None,
    )
    _check_preferences(path, preferences, catalogue)
    top.done(SCENARIO_KEYS)
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
            preferences=preferences,
            format=version,
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
        preferences=preferences,
        format=version,
    )


def _check_preferences(path: str, sets: tuple[PreferenceSet, ...], catalogue: Catalogue) -> None:
    """Refuse a preference set that names a party or a term the scenario does not hold."""
    state = State.initial(catalogue)
    for i, preferences in enumerate(sets):
        try:
            preferences.check(state)
        except ModelError as e:
            raise ScenarioError(
                path, f"{e.what} {e.problem}", field=f"preferences[{i}]", hint=e.hint
            ) from None


def _format(head: Reader) -> int:
    """The file's format version: 1 when it says none (see `FORMAT`), at most this version's."""
    if "format" not in head.data:
        head.used.add("format")
        return 1
    version = head.data["format"]
    head.used.add("format")
    if type(version) is not int or version < 1:
        head.fail("format", f"must be a format version, not {version!r}", f"write format = {FORMAT}")
    if version > FORMAT:
        head.fail(
            "format",
            f"format {version} is newer than this version of negotiation reads (at most {FORMAT})",
            "upgrade negotiation: pip install -U negotiation",
        )
    return int(version)


def _base(head: Reader, name: str, root: Path, chain: tuple[Path, ...]) -> Scenario:
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
    if not target.is_file():
        problem = f"{name!r} is a folder, not a scenario file" if target.is_dir() else f"no file {name!r}"
        looked = "" if shown == name else f" (looked for {shown})"
        head.fail(
            "base",
            f"{problem}{looked}",
            "base names the scenario file this branch forks, relative to the branch's own folder",
        )
    return _load(target, shown, root, chain)


def _kept(head: Reader, base: Scenario, fork_after: str | None, drop: tuple[str, ...]) -> list[Move]:
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


def _not_in_base(path: str, base: Scenario, key: str, ids: list[str], declared: Collection[str]) -> None:
    """A branch adds parties and terms; one its base declares already cannot be declared again."""
    for i, x in enumerate(ids):
        if x in declared:
            raise ScenarioError(
                path,
                f"{'term' if key == 'terms' else 'party'} {x!r} is already declared in the base {base.path}",
                field=f"{key}[{i}].id",
                hint="a branch inherits its base's parties and terms; give a new one its own id",
            )


def _unique(path: str, key: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i, x in enumerate(ids):
        if x in seen:
            raise ScenarioError(
                path, f"id {x!r} is used twice", field=f"{key}[{i}].id", hint="every entry needs its own id"
            )
        seen.add(x)
