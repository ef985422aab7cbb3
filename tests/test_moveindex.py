"""The index of a state's moves: a persistent mapping that shares one dictionary of ids.

The law: however indexes branch, each one reads exactly the records appended along its own
lineage, in order, as a plain dictionary built from that lineage would.
"""

from __future__ import annotations

import pickle

from hypothesis import given
from hypothesis import strategies as st

from helpers import act, catalogue, move
from negotiation import replay
from negotiation.moveindex import MoveIndex, MoveRecord

IDS = [f"m{i}" for i in range(6)]


def record(move_id: str, index: int) -> MoveRecord:
    return MoveRecord(move(move_id, "A", act("propose", "x")), index, ("x",))


@given(st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(IDS)), max_size=80))
def test_every_branch_reads_only_its_own_lineage(steps: list[tuple[int, str]]) -> None:
    versions: list[tuple[MoveIndex, list[MoveRecord]]] = [(MoveIndex(), [])]
    for pick, move_id in steps:
        index, lineage = versions[pick % len(versions)]
        if any(r.move.id == move_id for r in lineage):
            continue  # a state never records an id twice
        new = record(move_id, len(lineage))
        versions.append((index.added(new), [*lineage, new]))
    for index, lineage in versions:
        expected = {r.move.id: r for r in lineage}
        assert list(index) == [r.move.id for r in lineage]
        assert list(index.records()) == lineage
        assert len(index) == len(lineage)
        for move_id in IDS:
            assert (move_id in index) is (move_id in expected)
            assert index.get(move_id) == expected.get(move_id)
        assert dict(index.items()) == expected


def test_a_branch_does_not_see_a_sibling_that_put_the_same_id_elsewhere() -> None:
    root = MoveIndex().added(record("a", 0))
    left = root.added(record("b", 1)).added(record("c", 2))
    right = root.added(record("c", 1))
    assert right["c"].index == 1 and left["c"].index == 2
    assert "b" not in right and "b" in left
    assert root.get("c") is None
    assert list(root) == ["a"]


def test_equal_by_content_and_hashable() -> None:
    a = MoveIndex.of([record("a", 0), record("b", 1)])
    b = MoveIndex().added(record("a", 0)).added(record("b", 1))
    assert a == b and hash(a) == hash(b)
    assert a != MoveIndex.of([record("a", 0)])
    assert a != MoveIndex.of([record("b", 0), record("a", 1)])


def test_grows_past_many_chunks_and_reads_every_place() -> None:
    index = MoveIndex()
    for i in range(5000):
        index = index.added(record(f"m{i}", i))
    assert [index[f"m{i}"].index for i in range(0, 5000, 97)] == list(range(0, 5000, 97))
    assert list(index)[4095:4098] == ["m4095", "m4096", "m4097"]


def test_pickles_its_own_lineage_only() -> None:
    root = MoveIndex().added(record("a", 0))
    root.added(record("b", 1))  # a sibling branch, left behind
    mine = root.added(record("c", 1))
    back = pickle.loads(pickle.dumps(mine))
    assert back == mine and list(back) == ["a", "c"]
    assert "b" not in back._at


def test_a_fork_and_its_base_each_index_their_own_moves_across_chunks() -> None:
    history = [move("p", "A", act("propose", "x")), move("q", "B", act("accept", "x"))]
    history += [move(f"r{i}", "AB"[i % 2], act("restate", "x", timing=f"in {i} days")) for i in range(150)]
    base = replay(history, catalogue(), checkpoint_every=1)
    fork = base.fork("r99", [move("r120", "B", act("restate", "x", timing="never"))])
    assert list(base.final.moves) == [m.id for m in history]
    assert [base.final.moves[m.id].index for m in history] == list(range(len(history)))
    assert list(fork.final.moves)[-2:] == ["r99", "r120"]
    assert fork.final.moves["r120"].index == 102 and base.final.moves["r120"].index == 122
    assert "r100" not in fork.final.moves and "r100" in base.final.moves
    assert base.state_after("p").moves.get("q") is None


def test_moves_that_touch_the_same_terms_share_one_tuple() -> None:
    history = [move("p", "A", act("propose", "x")), move("q", "B", act("accept", "x"))]
    history += [move(f"r{i}", "AB"[i % 2], act("restate", "x", timing=f"in {i} days")) for i in range(3)]
    moves = replay(history, catalogue()).final.moves
    assert moves["p"].touched == ("x",)
    assert all(moves[m.id].touched is moves["p"].touched for m in history)
    assert MoveIndex().touched({"y", "x"}) == ("x", "y")


def test_a_move_id_given_as_a_string_subclass_is_still_a_duplicate() -> None:
    import enum

    import pytest

    from negotiation import IllegalMove

    class Id(enum.StrEnum):
        P = "p"

    history = [move("p", "A", act("propose", "x")), move(Id.P, "B", act("accept", "x"))]
    with pytest.raises(IllegalMove, match="duplicate-move"):
        replay(history, catalogue())


@given(
    st.lists(st.tuples(st.integers(0, 10**6), st.lists(st.sampled_from(IDS), max_size=5)), max_size=40),
)
def test_extending_at_once_is_adding_one_by_one(steps: list[tuple[int, list[str]]]) -> None:
    """`extended` (how a native fold builds a state's index) reads as `added` record by record,
    on every branch, ids placed elsewhere by a sibling included."""
    versions: list[tuple[MoveIndex, MoveIndex, list[MoveRecord]]] = [(MoveIndex(), MoveIndex(), [])]
    for pick, ids in steps:
        at_once, one_by_one, lineage = versions[pick % len(versions)]
        fresh = list(dict.fromkeys(i for i in ids if all(r.move.id != i for r in lineage)))
        new = [record(move_id, len(lineage) + k) for k, move_id in enumerate(fresh)]
        for r in new:
            one_by_one = one_by_one.added(r)
        versions.append((at_once.extended(new), one_by_one, [*lineage, *new]))
    for at_once, one_by_one, lineage in versions:
        assert list(at_once.records()) == list(one_by_one.records()) == lineage
        assert at_once == one_by_one and len(at_once) == len(lineage)
        for move_id in IDS:
            assert at_once.get(move_id) == one_by_one.get(move_id)


def test_an_extended_index_fills_whole_chunks() -> None:
    records = [record(f"m{i}", i) for i in range(200)]
    index = MoveIndex().extended(records[:10]).extended(records[10:])
    assert list(index.records()) == records and index["m199"].index == 199 and index["m63"].index == 63
