"""A breadth-first search split among workers by state key, as distributed model checkers split theirs.

Each shard owns the states whose key falls to it (`statekeys.owner`): it expands them, and it
keeps them, with its key and status caches, from one level to the next. A state is expanded
where it was made, without being folded again from the start; only a state first reached in
another shard is rebuilt there from its path. Between the processes travel each level's work
(keys, movers, and a path only where a state must be rebuilt) and the children (packed moves,
keys, outcomes), never states. `explore` merges the children in the frontier's order, so the
graph is the one a single process builds.

Three ways to run the shards: in this process (`InlineShards`, also how one process searches),
in worker processes of this machine (`ProcessShards`), or as actors on a Dask cluster
(`DaskShards`).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
from collections.abc import Sequence
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any, Protocol

from negotiation.engine import apply, paused_gc
from negotiation.errors import ParameterError, SearchError
from negotiation.expansion import Packed, PackedMove, children_of, free_prefix, pack, unpack_move
from negotiation.policy import Policy
from negotiation.state import State
from negotiation.statekeys import KeyCache, owner
from negotiation.status import StatusMemo

__all__ = ["DaskShards", "InlineShards", "ProcessShards", "Shard", "Shards", "Work"]

Work = tuple[str, tuple[str, ...], tuple[str, str] | None, tuple[PackedMove, ...] | None]
"""One state for a shard to expand: its key, its movers, the (parent key, move id) that first
reached it (None at the start), and its path from the start when the shard must rebuild it."""


class Shard:
    """One worker's part of a search: the states whose key falls to it, and its caches.

    `expand` takes a level's work in the frontier's order and returns each state's children.
    When asked to `keep`, it holds the first state it made for each key it owns that it has not
    expanded before: the next level's work names that state by its origin instead of a path.
    """

    def __init__(self, start: State, policy: Policy, core: Sequence[str], index: int, count: int) -> None:
        self.start, self.policy, self.core = start, policy, tuple(core)
        self.index, self.count = index, count
        self.prefix = free_prefix(start)
        self.cache: KeyCache = {}
        self.memo = StatusMemo()
        self.made: dict[str, tuple[str, str, State]] = {}
        self.seen: set[str] = set()
        self.rebuilt = 0

    def expand(self, level: int, work: Sequence[Work], keep: bool) -> list[list[Packed]]:
        """The packed children of each state of the work, in order."""
        made, self.made = self.made, {}
        tag = f"{self.prefix}{level}"
        out = []
        with paused_gc():
            for key, who, origin, path in work:
                self.seen.add(key)
                state = self._state(key, origin, path, made)
                children = []
                for move, child, c in children_of(
                    state, who, self.policy, self.core, tag, self.cache, self.memo
                ):
                    children.append(pack(c))
                    if (
                        keep
                        and c.key not in self.made
                        and c.key not in self.seen
                        and owner(c.key, self.count) == self.index
                    ):
                        self.made[c.key] = (key, move.id, child)
                out.append(children)
        return out

    def _state(
        self,
        key: str,
        origin: tuple[str, str] | None,
        path: tuple[PackedMove, ...] | None,
        made: dict[str, tuple[str, str, State]],
    ) -> State:
        if path is None:
            entry = made.get(key)
            if entry is None or origin is None or entry[:2] != origin:
                raise RuntimeError(f"shard {self.index} holds no state {key} reached by {origin}")
            return entry[2]
        self.rebuilt += 1
        state = self.start
        for packed in path:
            state = apply(state, unpack_move(packed))
        return state


class Shards(Protocol):
    """Workers that each keep a shard of a breadth-first search (see the module's docstring)."""

    @property
    def count(self) -> int:
        """How many shards the key space is split into."""
        ...

    def begin(self, start: State, policy: Policy, core: Sequence[str]) -> None:
        """Start a search: each shard forgets the last one and learns its start and policy."""
        ...

    def expand(self, level: int, works: Sequence[Sequence[Work]], keep: bool) -> list[list[list[Packed]]]:
        """Each shard's children for its work (one list of work per shard), all shards at once."""
        ...


def _checked(count: int) -> int:
    if count < 1:
        raise ParameterError("shards", count, "is no number of shards", "give 1 or more")
    return count


class InlineShards:
    """Shards in this process, expanded one after the other: one process's search, or a test's."""

    def __init__(self, count: int = 1) -> None:
        self._count = _checked(count)
        self.shards: list[Shard] = []

    @property
    def count(self) -> int:
        return self._count

    def begin(self, start: State, policy: Policy, core: Sequence[str]) -> None:
        self.shards = [Shard(start, policy, core, i, self._count) for i in range(self._count)]

    def expand(self, level: int, works: Sequence[Sequence[Work]], keep: bool) -> list[list[list[Packed]]]:
        return [shard.expand(level, work, keep) for shard, work in zip(self.shards, works, strict=True)]


def _serve(conn: Connection) -> None:
    """A worker process's loop: build a shard, expand its work, until told to stop."""
    shard: Shard | None = None
    while True:
        message = conn.recv()
        try:
            if message[0] == "stop":
                return
            if message[0] == "begin":
                shard = Shard(*message[1:])
                conn.send(("ok", None))
            else:
                assert shard is not None, "expand before begin"
                conn.send(("ok", shard.expand(*message[1:])))
        except Exception as error:  # sent back whole, raised again by the coordinator
            conn.send(("error", error))


_START_METHOD = "fork" if sys.platform.startswith("linux") else "spawn"
"""Forked workers start at once and need no `if __name__ == "__main__"` guard in the caller's
script; elsewhere (macOS, Windows) fork is unsafe or absent and workers are spawned."""


class ProcessShards:
    """One worker process per shard on this machine, kept for as many searches as it is open.

    Use as a context manager (`with ProcessShards(2) as shards: explore(..., shards=shards)`);
    the processes stop when it closes.
    """

    def __init__(self, count: int) -> None:
        self._count = _checked(count)
        self._conns: list[Connection] = []
        self._procs: list[Any] = []

    @property
    def count(self) -> int:
        return self._count

    def __enter__(self) -> ProcessShards:
        context: Any = multiprocessing.get_context(_START_METHOD)
        for _ in range(self._count):
            mine, theirs = context.Pipe()
            proc = context.Process(target=_serve, args=(theirs,), daemon=True)
            proc.start()
            theirs.close()
            self._conns.append(mine)
            self._procs.append(proc)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        for conn in self._conns:
            with contextlib.suppress(OSError):  # the process is already gone
                conn.send(("stop",))
            conn.close()
        for proc in self._procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.terminate()
        self._conns, self._procs = [], []

    def _all(self, messages: Sequence[tuple[Any, ...]]) -> list[Any]:
        if not self._conns:
            raise RuntimeError("ProcessShards is used outside its `with` block")
        try:
            for conn, message in zip(self._conns, messages, strict=True):
                conn.send(message)
            answers = [conn.recv() for conn in self._conns]
        except (EOFError, OSError) as error:
            raise SearchError(f"a shard's worker process stopped ({error or type(error).__name__})") from None
        for status, value in answers:
            if status == "error":
                raise value
        return [value for _, value in answers]

    def begin(self, start: State, policy: Policy, core: Sequence[str]) -> None:
        self._all([("begin", start, policy, tuple(core), i, self._count) for i in range(self._count)])

    def expand(self, level: int, works: Sequence[Sequence[Work]], keep: bool) -> list[list[list[Packed]]]:
        return self._all([("expand", level, list(work), keep) for work in works])


class DaskShards:
    """One Dask actor per shard, spread over a cluster's workers (`distributed.Client`)."""

    def __init__(self, client: Any, count: int | None = None) -> None:
        self.client = client
        self.workers = sorted(client.scheduler_info()["workers"])
        self._count = _checked(count if count is not None else max(1, len(self.workers)))
        self.actors: list[Any] = []

    @property
    def count(self) -> int:
        return self._count

    def begin(self, start: State, policy: Policy, core: Sequence[str]) -> None:
        futures = [
            self.client.submit(
                Shard,
                start,
                policy,
                tuple(core),
                i,
                self._count,
                actor=True,
                workers=[self.workers[i % len(self.workers)]] if self.workers else None,
                pure=False,
            )
            for i in range(self._count)
        ]
        self.actors = [f.result() for f in futures]

    def expand(self, level: int, works: Sequence[Sequence[Work]], keep: bool) -> list[list[list[Packed]]]:
        calls = [
            actor.expand(level, list(work), keep) for actor, work in zip(self.actors, works, strict=True)
        ]
        return [call.result() for call in calls]
