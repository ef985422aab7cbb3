"""The search of replies: generation, merging, outcome labels, parallel runs, and the CLI."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import attrs
import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import HISTORICAL
from helpers import drain
from negotiation import Catalogue, ModelError, Move, Stance, State, Status, is_agreed, replay, term_status
from negotiation.cli import main
from negotiation.errors import ParameterError, SearchError
from negotiation.explore import (
    AGREEMENT,
    BREAKDOWN,
    DIVERGENT_AGREEMENT,
    OPEN,
    Exploration,
    KeyCache,
    Policy,
    expand,
    explore,
    label,
    movers,
    replies,
    state_key,
)
from negotiation.invariants import divergences
from negotiation.rules import play
from negotiation.shards import DaskShards, InlineShards, ProcessShards
from negotiation.statekeys import owner
from negotiation.testing.strategies import histories

History = tuple[Catalogue, list[Move]]
CORE = ("soviet-remove-offensive-weapons", "us-no-invasion-pledge")


@pytest.fixture(scope="module")
def after_public_letter(historical) -> State:  # type: ignore[no-untyped-def]
    return historical.timeline["khrushchev-27-oct-letter"]


@pytest.fixture(scope="module")
def two_moves(after_public_letter: State) -> Exploration:
    return explore(after_public_letter, Policy(core=CORE), depth=2)


def _graph_facts(e: Exploration) -> tuple[object, ...]:
    nodes = sorted(e.graph.nodes(data=True))
    edges = sorted((a, b, d["move"].id, d["move"].acts) for a, b, d in e.graph.edges(data=True))
    return nodes, edges, e.expanded, e.generated, e.truncated


# -- the historical example ---------------------------------------------------------------------


def test_after_the_public_letter_the_us_answers_first(after_public_letter: State) -> None:
    """Khrushchev's 27 October letter was the last move, so under alternation the US replies."""
    assert movers(after_public_letter, Policy()) == ["US"]
    assert movers(after_public_letter, Policy(turns="any")) == ["US", "USSR"]


def test_two_moves_reach_the_no_invasion_for_withdrawal_deal(two_moves: Exploration) -> None:
    """The US accepting the pledge and the USSR accepting removal settle the core in two moves;
    the memo's divergences (halt-further-introduction, un-verification) make it divergent."""
    agreements = two_moves.agreements()
    assert len(agreements) == 1
    ((terms, node),) = agreements.items()
    assert set(CORE) <= set(terms)
    assert two_moves.graph.nodes[node]["outcome"] == DIVERGENT_AGREEMENT
    path = two_moves.path(node)
    assert [(m.author, m.acts[0].verb, m.acts[0].term) for m in path] == [
        ("US", "accept", "us-no-invasion-pledge"),
        ("USSR", "accept", "soviet-remove-offensive-weapons"),
    ]
    assert "turkey-jupiter-removal" in two_moves.in_no_agreement()


def test_the_principals_alone_cannot_settle_the_jupiters(after_public_letter: State) -> None:
    """The Jupiter removal needs Turkey's and NATO's consent: Washington and Moscow can bring it
    no further than awaiting it, however they answer; once Turkey and NATO may move, their
    consent settles it."""
    policy = Policy(core=(*CORE, "turkey-jupiter-removal"))
    e3 = explore(after_public_letter, policy, depth=3, budget=100_000)
    assert not [terms for terms in e3.agreements() if "turkey-jupiter-removal" in terms]
    waiting = [
        n for n in e3.graph if term_status(e3.state(n), "turkey-jupiter-removal") is Status.AWAITING_CONSENT
    ]
    assert min(e3.graph.nodes[n]["depth"] for n in waiting) == 1  # the US accepts the swap
    start = e3.state(min(waiting, key=lambda n: e3.graph.nodes[n]["depth"]))
    allies = Policy(terms=("turkey-jupiter-removal",), verbs=("accept",), parties=("Turkey", "NATO"))
    e2 = explore(start, allies, depth=2)
    settled = [n for n in e2.graph if is_agreed(e2.state(n), "turkey-jupiter-removal")]
    assert settled and min(e2.graph.nodes[n]["depth"] for n in settled) == 2


# -- laws of the search on the historical example -------------------------------------------------


def test_every_path_replays_to_its_nodes_state(two_moves: Exploration, after_public_letter: State) -> None:
    """Folding a node's path from the start gives a state whose key is the node; every edge's
    move is legal in its source state and leads to its target."""
    for node in two_moves.graph:
        state = after_public_letter
        for move in two_moves.path(node):
            state = play(state, move)[0]
        assert state_key(state, next_movers=movers(state, two_moves.policy)) == node
    for a, b, data in two_moves.graph.edges(data=True):
        child = play(two_moves.state(a), data["move"])[0]
        assert state_key(child, next_movers=movers(child, two_moves.policy)) == b


def test_no_two_nodes_hold_the_same_negotiation(two_moves: Exploration) -> None:
    """Merging is complete: the states of distinct nodes have distinct keys, recomputed afresh."""
    keys = [
        state_key(s, next_movers=movers(s, two_moves.policy)) for s in map(two_moves.state, two_moves.graph)
    ]
    assert len(set(keys)) == len(keys) == len(two_moves.graph)


def test_merged_states_allow_the_same_replies(after_public_letter: State) -> None:
    """Merging is sound: states with one key, reached by different moves, have the same replies
    leading to the same keys (so the merged graph loses no future)."""
    policy = Policy(core=CORE, turns="any")
    children = [
        c for part in expand(after_public_letter, [((), ("US", "USSR"))], policy, CORE, 1) for c in part
    ]
    by_key: dict[str, list[Move]] = {}
    for child in children:
        assert child.move is not None
        by_key.setdefault(child.key, []).append(child.move)
    merged = [moves for moves in by_key.values() if len(moves) > 1]
    assert merged, "the example should merge some replies"
    for moves in merged:
        successors = []
        for move in moves:
            state = play(after_public_letter, move)[0]
            out = expand(state, [((), tuple(movers(state, policy)))], policy, CORE, 2)[0]
            successors.append(sorted((c.key, c.label) for c in out))
        assert all(s == successors[0] for s in successors)


def test_outcome_labels_agree_with_the_consistency_checks(two_moves: Exploration) -> None:
    """Breakdown is a rejected core term; an agreement is divergent exactly when the divergence
    check flags one of its terms."""
    for node, data in two_moves.graph.nodes(data=True):
        state = two_moves.state(node)
        rejected = any(term_status(state, t) is Status.REJECTED for t in CORE)
        assert (data["outcome"] == BREAKDOWN) == rejected
        if data["outcome"] in (AGREEMENT, DIVERGENT_AGREEMENT):
            flagged = {t for f in divergences(state) for t in f.terms}
            assert (data["outcome"] == DIVERGENT_AGREEMENT) == bool(flagged & set(data["terms"]))


def test_the_budget_caps_the_states_kept(after_public_letter: State) -> None:
    e = explore(after_public_letter, Policy(core=CORE), depth=3, budget=50)
    assert len(e.graph) == 50
    assert e.truncated


def test_best_first_finds_the_core_deal_with_a_small_budget(after_public_letter: State) -> None:
    """Best-first expands the states securing most of the core first: 300 states suffice."""
    e = explore(after_public_letter, Policy(core=CORE), depth=3, budget=300, order="best")
    assert any(set(CORE) <= set(t) for t in e.agreements())
    breadth = explore(after_public_letter, Policy(core=CORE), depth=3, budget=300)
    assert not breadth.agreements()


def test_workers_give_the_same_graph_as_one_process(after_public_letter: State) -> None:
    one = explore(after_public_letter, Policy(core=CORE), depth=2)
    with ProcessPoolExecutor(max_workers=2) as pool:
        two = explore(after_public_letter, Policy(core=CORE), depth=2, executor=pool, workers=2)
    assert _graph_facts(one) == _graph_facts(two)


def test_a_dask_cluster_gives_the_same_graph_as_one_process(after_public_letter: State) -> None:
    """Shards as actors, and chunks on the cluster's executor, on Dask distributed's local cluster."""
    distributed = pytest.importorskip("distributed", reason="the distributed extra is not installed")
    one = explore(after_public_letter, Policy(core=CORE), depth=2)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        actors = DaskShards(client)
        sharded = explore(after_public_letter, Policy(core=CORE), depth=2, shards=actors)
        chunked = explore(
            after_public_letter, Policy(core=CORE), depth=2, executor=client.get_executor(), workers=2
        )
        # one actor on each worker of the cluster
        assert actors.count == 2
        assert len({a._address for a in actors.actors}) == 2
    assert _graph_facts(one) == _graph_facts(sharded) == _graph_facts(chunked)


def _ordered_facts(e: Exploration) -> tuple[object, ...]:
    """The graph as built: nodes and edges in the order they were added, with their data."""
    nodes = list(e.graph.nodes(data=True))
    edges = [(a, b, d["move"]) for a, b, d in e.graph.edges(data=True)]
    return nodes, edges, e.expanded, e.generated, e.truncated


SMALL = Policy(core=CORE, turns="any", terms=[*CORE, "turkey-jupiter-removal", "un-verification"])
"""A search that meets states again across parents (3,748 states at depth 3 from 9,000 replies)."""


@pytest.mark.parametrize(("count", "budget"), [(2, 100_000), (3, 100_000), (3, 1500)])
def test_shards_build_the_graph_one_process_builds_in_the_same_order(
    after_public_letter: State, count: int, budget: int
) -> None:
    """Split by key in one process: every node, edge, first parent and order as with one shard.

    With a budget the search is cut at the same state. A state made in one shard and owned by
    another is rebuilt there along its first parent's path.
    """
    one = explore(after_public_letter, SMALL, depth=3, budget=budget, shards=InlineShards(1))
    split = InlineShards(count)
    many = explore(after_public_letter, SMALL, depth=3, budget=budget, shards=split)
    assert _ordered_facts(one) == _ordered_facts(many)
    assert one.truncated is (budget < 100_000)
    assert len({owner(k, count) for k in many.graph}) == count


def test_a_shard_folds_again_only_states_first_reached_in_another(after_public_letter: State) -> None:
    """One shard keeps every state it made: it folds only the start; split, it rebuilds the rest."""
    alone = InlineShards(1)
    e = explore(after_public_letter, SMALL, depth=3, shards=alone)
    assert alone.shards[0].rebuilt == 1  # the start, from its empty path
    split = InlineShards(2)
    explore(after_public_letter, SMALL, depth=3, shards=split)
    rebuilt = sum(s.rebuilt for s in split.shards)
    expanded_below_start = e.expanded - 1
    assert 1 < rebuilt < expanded_below_start + 1


def test_worker_processes_keep_their_shards_and_give_the_same_graph(after_public_letter: State) -> None:
    one = explore(after_public_letter, Policy(core=CORE), depth=2)
    with ProcessShards(2) as shards:
        first = explore(after_public_letter, Policy(core=CORE), depth=2, shards=shards)
        again = explore(after_public_letter, Policy(core=CORE, max_acts=2), depth=1, shards=shards)
    assert _ordered_facts(one) == _ordered_facts(first)
    assert _ordered_facts(again) == _ordered_facts(
        explore(after_public_letter, Policy(core=CORE, max_acts=2), depth=1)
    )
    assert _ordered_facts(
        explore(after_public_letter, Policy(core=CORE), depth=2, workers=2)
    ) == _ordered_facts(one)


def test_a_stopped_worker_process_is_a_search_error(after_public_letter: State) -> None:
    with ProcessShards(2) as shards:
        shards._procs[1].kill()
        shards._procs[1].join()
        with pytest.raises(SearchError, match="worker process stopped"):
            explore(after_public_letter, Policy(core=CORE), depth=1, shards=shards)


def test_shards_outside_their_block_and_bad_counts_are_clear_errors(after_public_letter: State) -> None:
    with pytest.raises(RuntimeError, match="outside its `with` block"):
        explore(after_public_letter, Policy(core=CORE), depth=1, shards=ProcessShards(2))
    with pytest.raises(ParameterError, match="shards"):
        InlineShards(0)
    with pytest.raises(ParameterError, match="workers"):
        explore(after_public_letter, Policy(core=CORE), depth=1, workers=0)
    with ProcessPoolExecutor(max_workers=1) as pool, pytest.raises(ParameterError, match="with shards"):
        explore(after_public_letter, Policy(core=CORE), depth=1, executor=pool, shards=InlineShards())


# -- policies and replies ---------------------------------------------------------------------------


def test_replies_are_legal_distinct_and_in_a_fixed_order(after_public_letter: State) -> None:
    policy = Policy(max_acts=2, verbs=["accept", "reject", "condition"])
    first = replies(after_public_letter, "US", policy)
    assert [m for m, _ in first] == [m for m, _ in replies(after_public_letter, "US", policy)]
    assert len({m.id for m, _ in first}) == len(first)
    for move, state in first:
        assert play(after_public_letter, move)[0] == state
        assert 1 <= len(move.acts) <= 2
        assert len({a.term for a in move.acts}) == len(move.acts)
        assert move.author == "US" and move.addressees == tuple(
            p for p in after_public_letter.catalogue.principals if p != "US"
        )
    assert any(len(m.acts) == 2 for m, _ in first)


def test_a_term_pool_limits_the_replies(after_public_letter: State) -> None:
    policy = Policy(terms=("turkey-jupiter-removal",))
    assert {a.term for m, _ in replies(after_public_letter, "US", policy) for a in m.acts} == {
        "turkey-jupiter-removal"
    }


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"verbs": ["restate"]}, "cannot invent"),
        ({"verbs": ["acept"]}, "did you mean 'accept'"),
        ({"terms": "everything"}, "give open, catalogue or term ids"),
        ({"max_acts": 0}, "give 1 to 4"),
        ({"verbs": []}, "at least one verb"),
        ({"parties": []}, "give at least one party"),
    ],
)
def test_bad_policies_are_explained(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ModelError, match=message):
        Policy(**fields)  # type: ignore[arg-type]


def test_an_unknown_mover_names_the_known_parties(after_public_letter: State) -> None:
    with pytest.raises(ModelError, match=r"policy parties: names unknown party 'Turky'.*'Turkey'"):
        explore(after_public_letter, Policy(parties=("US", "Turky")), depth=1)


def test_named_parties_move_in_their_order_and_a_third_party_addresses_the_principals(
    after_public_letter: State,
) -> None:
    """Khrushchev wrote last; with Turkey in the turn order after him, Turkey answers next."""
    policy = Policy(parties=("US", "USSR", "Turkey"), terms=("turkey-jupiter-removal",), verbs=("accept",))
    assert movers(after_public_letter, policy) == ["Turkey"]
    ((reply, after),) = replies(after_public_letter, "Turkey", policy)
    assert reply.addressees == ("US", "USSR")
    assert after.stance("turkey-jupiter-removal", "Turkey") is Stance.ACCEPTED
    assert movers(after, policy) == ["US"]
    assert movers(after_public_letter, attrs.evolve(policy, turns="any")) == ["US", "USSR", "Turkey"]


def test_cli_explore_lets_named_parties_move(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["explore", str(HISTORICAL), "--after", "khrushchev-27-oct-letter", "--depth", "2"]
    argv += ["--parties", "Turkey,NATO", "--terms", "turkey-jupiter-removal", "--verbs", "accept", "--json"]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    # Khrushchev, the last mover, is not in the turn order, so either ally may answer first:
    # the start, each one's consent, and both (reached in two orders, whose next movers differ).
    assert doc["policy"]["parties"] == ["Turkey", "NATO"] and doc["states"] == 5


def test_an_unknown_pool_term_names_the_known_ones(after_public_letter: State) -> None:
    with pytest.raises(ModelError, match="turkey-jupiter-removal"):
        explore(after_public_letter, Policy(terms=("turkey-jupiters",)), depth=1)


# -- the same laws on generated histories ------------------------------------------------------------


@settings(max_examples=25)
@given(histories(min_moves=1, max_moves=6), st.sampled_from(["alternate", "any"]))
def test_exploration_laws_hold_on_generated_histories(history: History, turns: str) -> None:
    """On any legal history: paths replay to their nodes, nodes are distinct negotiations, and
    labels follow the core terms' statuses."""
    cat, moves = history
    start = replay(moves, cat).final
    e = explore(
        start, Policy(turns=turns, verbs=["propose", "accept", "reject", "affirm"]), depth=2, budget=300
    )
    keys = set()
    for node, data in e.graph.nodes(data=True):
        state = e.state(node)
        key = state_key(state, next_movers=movers(state, e.policy))
        assert key == node
        keys.add(key)
        assert label(state, e.core).outcome == data["outcome"]
        if data["outcome"] == OPEN and e.core:
            assert not all(term_status(state, t) is Status.REJECTED for t in e.core[:1])
    assert len(keys) == len(e.graph)


# -- the command line -------------------------------------------------------------------------------


def test_cli_explore_prints_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "explore",
            str(HISTORICAL),
            "--after",
            "khrushchev-27-oct-letter",
            "--depth",
            "2",
            "--core",
            ",".join(CORE),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "explored from khrushchev-27-oct-letter: 1,999 states to depth 2" in out
    assert "1. US: accept us-no-invasion-pledge" in out
    assert "2. USSR: accept soviet-remove-offensive-weapons" in out
    assert "in no agreement:" in out


def test_cli_explore_json_and_graph_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    graphml, dot = tmp_path / "g.graphml", tmp_path / "g.dot"
    args = ["explore", str(HISTORICAL), "--after", "khrushchev-27-oct-letter", "--depth", "1", "--json"]
    assert main([*args, "--graph", str(graphml)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["states"] == 42 and doc["start"] == "khrushchev-27-oct-letter"
    assert sum(doc["outcomes"].values()) == 42
    g = nx.read_graphml(graphml)
    assert g.number_of_nodes() == 42 and g.number_of_edges() == 41
    assert {d["outcome"] for _, d in g.nodes(data=True)} <= {AGREEMENT, DIVERGENT_AGREEMENT, BREAKDOWN, OPEN}
    assert main([*args, "--graph", str(dot)]) == 0
    text = dot.read_text()
    assert text.startswith('digraph "exploration" {') and text.count(" -> ") == 41
    assert 'fillcolor="lightpink"' in text and 'fillcolor="white"' in text


def test_cli_explore_reads_a_policy_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('[policy]\nverbs = ["accept"]\nterms = ["us-no-invasion-pledge"]\nturns = "any"\n')
    assert (
        main(
            [
                "explore",
                str(HISTORICAL),
                "--after",
                "khrushchev-27-oct-letter",
                "--depth",
                "1",
                "--policy",
                str(policy),
                "--json",
            ]
        )
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["policy"]["verbs"] == ["accept"] and doc["policy"]["turns"] == "any"
    assert doc["states"] == 2  # only the US can accept the USSR's pledge proposal


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--after", "kennedy-29-oct-letter"], "did you mean 'kennedy-28-oct-letter'"),
        (["--verbs", "restate"], "cannot invent"),
        (["--graph", "out.png"], ".graphml or .dot"),
        (["--graph", "/no/such/folder/g.dot"], "no folder"),
        (["--workers", "0"], "give 1 or more"),
        (["--core", "no-such-term"], "unknown term 'no-such-term'"),
    ],
)
def test_cli_explore_errors_are_one_line(
    extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["explore", str(HISTORICAL), "--depth", "1", *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1


def test_cli_explore_policy_file_errors_name_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('[policy]\nverbs = ["acept"]\n')
    assert main(["explore", str(HISTORICAL), "--depth", "1", "--policy", str(policy)]) == 2
    err = capsys.readouterr().err
    assert "policy.toml" in err and "verbs" in err and "did you mean 'accept'" in err


@pytest.mark.parametrize("order", ["breadth", "best"])
def test_progress_is_reported_as_the_search_goes(after_public_letter: State, order: str) -> None:
    seen: list[tuple[int, int, int]] = []
    e = explore(
        after_public_letter,
        Policy(core=CORE),
        depth=2,
        budget=200,
        order=order,
        progress=lambda *a: seen.append(a),
    )
    assert seen and seen[-1][1:] == (e.expanded, len(e.graph))
    assert all(a[2] <= b[2] for a, b in itertools.pairwise(seen))


def test_cli_explore_draws_progress_on_a_terminal_only() -> None:
    """With stderr a terminal the search shows its progress there; stdout keeps the summary."""
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "negotiation", "explore", str(HISTORICAL), "--depth", "2"],
        stdout=subprocess.PIPE,
        stderr=follower,
        env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "120"},
    )
    os.close(follower)
    drawn = drain(leader)  # read while it draws, so a full terminal buffer never blocks it
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert "depth 2:" in drawn
    assert out.decode().startswith("explored from kennedy-28-oct-letter:")
    piped = subprocess.run(
        [sys.executable, "-m", "negotiation", "explore", str(HISTORICAL), "--depth", "1"],
        capture_output=True,
        check=False,
    )
    assert piped.returncode == 0 and piped.stderr == b""


def test_generated_ids_never_clash_with_the_history() -> None:
    """A history whose own ids look like generated ones still gets every reply."""
    from negotiation import Act, Party, Term

    cat = Catalogue([Party("A"), Party("B")], [Term("t", ["B"], "t"), Term("u", ["A"], "u")])
    for first in ("x1-B-0", "m0"):
        start = replay([Move(first, "A", (Act("propose", term="t"),), ("B",))], cat).final
        e = explore(start, Policy(verbs=["accept", "reject"]), depth=1)
        assert len(e.graph) == 3  # B accepts or rejects t
        assert all(not d["move"].id.startswith(first) for _, _, d in e.graph.edges(data=True))


def test_cli_explore_on_a_dask_scheduler_prints_what_one_process_prints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    distributed = pytest.importorskip("distributed", reason="the distributed extra is not installed")
    args = ["explore", str(HISTORICAL), "--after", "khrushchev-27-oct-letter", "--depth", "2", "--json"]
    assert main(args) == 0
    alone = capsys.readouterr().out
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        assert main([*args, "--scheduler", cluster.scheduler_address]) == 0
        on_cluster = capsys.readouterr().out
    assert main([*args, "--workers", "2"]) == 0
    assert on_cluster == capsys.readouterr().out == alone


def test_a_long_list_of_agreements_is_cut_and_says_so(two_moves: Exploration) -> None:
    from negotiation.render.exploration import exploration_text

    full = exploration_text(two_moves, start="s")
    cut = exploration_text(two_moves, start="s", limit=0)
    pointed = exploration_text(two_moves, start="s", limit=0, more="see the JSON")
    assert "1. US: accept us-no-invasion-pledge" in full and "more" not in full
    assert "1. US: accept" not in cut and "  ... and 1 more\n" in cut
    assert "... and 1 more (see the JSON)" in pointed


def test_generated_replies_are_the_moves_the_checked_constructor_builds(after_public_letter: State) -> None:
    """Replies skip the constructor's checks; they must still be exactly the moves it would build."""
    policy = Policy(max_acts=2, turns="any")
    found = [m for party in ("US", "USSR") for m, _ in replies(after_public_letter, party, policy)]
    assert found
    for m in found:
        assert m == Move(m.id, m.author, m.acts, m.addressees, m.channel)
        assert attrs.asdict(m, recurse=False) == attrs.asdict(
            Move(m.id, m.author, m.acts, m.addressees, m.channel), recurse=False
        )


def test_a_key_cache_shared_over_a_search_gives_the_keys_computed_afresh(two_moves: Exploration) -> None:
    cache: KeyCache = {}
    for node in list(two_moves.graph)[:300]:
        state = two_moves.state(node)
        who = movers(state, two_moves.policy)
        assert state_key(state, next_movers=who, cache=cache) == state_key(state, next_movers=who) == node
