"""The moves a state remembers, in order and by id: an append-only index that shares its past.

A persistent map from move id to record copies the path to each new entry, and every state a
timeline keeps holds its own copy of those paths: that was half the memory of a long history.
Here the records sit in a persistent vector, which only ever grows at its end (so a kept
state retains little of its own), and the ids in one dictionary shared by every state that
grew from the same start. The dictionary may hold ids of other branches; a lookup keeps only
an entry whose record this state's vector holds at that place, so a state never sees a move
of another branch.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TypeVar, overload

import attrs

from negotiation.model import Move

__all__ = ["MoveIndex", "MoveRecord"]

_T = TypeVar("_T")


@attrs.frozen
class MoveRecord:
    """A move as the state remembers it: its place in the history and the terms its acts moved."""

    move: Move
    index: int
    touched: tuple[str, ...]


_WIDTH = 64
"""Items per chunk of the vector: appends copy at most this many references."""


class _Vector:
    """A persistent vector: full chunks (tuples of `_WIDTH`) in a vector of chunks, and a tail.

    Appending copies the tail, and once in `_WIDTH` appends a chunk into the vector above.
    """

    __slots__ = ("_head", "_size", "_tail")

    def __init__(self, size: int, head: _Vector | None, tail: tuple[Any, ...]) -> None:
        self._size = size
        self._head = head
        self._tail = tail

    def __len__(self) -> int:
        return self._size

    def appended(self, item: Any) -> _Vector:
        tail = (*self._tail, item)
        if len(tail) < _WIDTH:
            return _Vector(self._size + 1, self._head, tail)
        head = (self._head or _NO_CHUNKS).appended(tail)
        return _Vector(self._size + 1, head, ())

    def __getitem__(self, i: int) -> Any:
        start = self._size - len(self._tail)
        if i >= start:
            return self._tail[i - start]
        assert self._head is not None
        return self._head[i // _WIDTH][i % _WIDTH]

    def __iter__(self) -> Iterator[Any]:
        if self._head is not None:
            for chunk in self._head:
                yield from chunk
        yield from self._tail


_NO_CHUNKS = _Vector(0, None, ())
_blank = object.__new__


class MoveIndex(Mapping[str, MoveRecord]):
    """The records of a state's moves by id, iterated in the order they were applied.

    Immutable as a value: `added` returns a new index and leaves this one as it was.
    """

    __slots__ = ("_also", "_at", "_head", "_shapes", "_size", "_tail")

    def __init__(self) -> None:
        # The records: full chunks in `_head`, the last few in `_tail` (a vector of its own,
        # inlined here so that an append builds one object).
        self._size = 0
        self._head: _Vector | None = None
        self._tail: tuple[MoveRecord, ...] = ()
        self._at: dict[str, int] = {}
        self._also: dict[str, list[int]] = {}
        self._shapes: dict[tuple[str, ...], tuple[str, ...]] = {}

    @classmethod
    def of(cls, records: Iterator[MoveRecord] | tuple[MoveRecord, ...]) -> MoveIndex:
        """An index of the records, in order (ids must be distinct)."""
        index = cls()
        for record in records:
            index = index.added(record)
        return index

    def added(self, record: MoveRecord) -> MoveIndex:
        """The index with one more record at its end; its move's id must be new to it.

        Only atomic dictionary and list operations touch the shared ids, so states of one
        lineage may grow in several threads at once.
        """
        place, key = self._size, record.move.id
        if record.index == place:
            place = record.index  # the record's own int, not another one per move
        held = self._at.setdefault(key, place)
        if held != place:  # the id sits elsewhere in another branch
            elsewhere = self._also.setdefault(key, [])
            if place not in elsewhere:
                elsewhere.append(place)
        new = _blank(MoveIndex)
        new._size, new._at, new._also, new._shapes = place + 1, self._at, self._also, self._shapes
        tail = (*self._tail, record)
        if len(tail) < _WIDTH:
            new._head, new._tail = self._head, tail
        else:
            new._head, new._tail = (self._head or _NO_CHUNKS).appended(tail), ()
        return new

    def extended(self, records: Sequence[MoveRecord]) -> MoveIndex:
        """The index with the records at its end, in order: `added` for each, built in one go.

        A fold that reaches a state many moves on (the native core's) builds its index here
        without the index of every state between.
        """
        at, also, shapes = self._at, self._also, self._shapes
        place = self._size
        ids = [record.move.id for record in records]
        numbered = all(record.index == place + k for k, record in enumerate(records))
        if numbered and at.keys().isdisjoint(ids):  # ids new to every branch: one update
            at.update(zip(ids, [record.index for record in records], strict=True))
            place += len(records)
        else:
            for key, record in zip(ids, records, strict=True):
                index = record.index if record.index == place else place
                held = at.setdefault(key, index)
                if held != index:  # the id sits elsewhere in another branch
                    elsewhere = also.setdefault(key, [])
                    if index not in elsewhere:
                        elsewhere.append(index)
                place += 1
        for shape in {record.touched for record in records}:
            shapes.setdefault(shape, shape)
        items = (*self._tail, *records)
        head = self._head
        full = len(items) - len(items) % _WIDTH
        for begin in range(0, full, _WIDTH):
            head = (head or _NO_CHUNKS).appended(items[begin : begin + _WIDTH])
        new = _blank(MoveIndex)
        new._size, new._at, new._also, new._shapes = place, at, also, shapes
        new._head, new._tail = head, items[full:]
        return new

    def touched(self, terms: set[str]) -> tuple[str, ...]:
        """The terms a move touched, sorted, as one tuple shared by every move that touched them.

        Most moves touch one or two terms, and a long history touches the same sets again and
        again: one tuple per set, not per move.
        """
        key = tuple(sorted(terms))
        return self._shapes.setdefault(key, key)

    def _record(self, place: int) -> MoveRecord:
        start = self._size - len(self._tail)
        if place >= start:
            return self._tail[place - start]
        assert self._head is not None
        chunk: tuple[MoveRecord, ...] = self._head[place // _WIDTH]
        return chunk[place % _WIDTH]

    # -- the mapping ----------------------------------------------------------------------------

    @overload
    def get(self, key: str, /) -> MoveRecord | None: ...
    @overload
    def get(self, key: str, /, default: MoveRecord | _T) -> MoveRecord | _T: ...
    def get(self, key: str, /, default: object = None) -> object:
        place = self._at.get(key)
        if place is None:
            return default
        size = self._size
        if place < size:
            start = size - len(self._tail)
            record = self._tail[place - start] if place >= start else self._record(place)
            if record.move.id == key:
                return record
        for place in self._also.get(key, ()):
            if place < size:
                record = self._record(place)
                if record.move.id == key:
                    return record
        return default

    def __getitem__(self, key: str) -> MoveRecord:
        record = self.get(key)
        if record is None:
            raise KeyError(key)
        return record

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __iter__(self) -> Iterator[str]:
        return (record.move.id for record in self.records())

    def __len__(self) -> int:
        return self._size

    def records(self) -> Iterator[MoveRecord]:
        """The records in the order their moves were applied."""
        if self._head is not None:
            for chunk in self._head:
                yield from chunk
        yield from self._tail

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MoveIndex):
            return NotImplemented
        if self._size != other._size:
            return False
        if self._tail is other._tail and self._head is other._head:
            return True
        return all(a == b for a, b in zip(self.records(), other.records(), strict=True))

    def __hash__(self) -> int:
        return hash((self._size, self._record(self._size - 1) if self._size else None))

    def __repr__(self) -> str:
        return f"MoveIndex({len(self)} moves)"

    def __reduce__(self) -> tuple[Any, tuple[tuple[MoveRecord, ...]]]:
        # Only this state's own records travel: the shared ids of other branches stay behind.
        return (MoveIndex.of, (tuple(self.records()),))
