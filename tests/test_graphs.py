"""Graphs for other tools: the term graph and the states of a replay in four formats."""

from __future__ import annotations

import io
import json
import re

import networkx as nx
import pytest

from conftest import HISTORICAL
from helpers import act, catalogue, move
from negotiation import Term, Timeline, condition_graph, replay
from negotiation.cli import main
from negotiation.errors import ParameterError
from negotiation.render.formats import FORMATS, write_graph
from negotiation.render.graphs import state_graph, term_graph
from negotiation.render.report.layout import layered_layout


def _related() -> Timeline:
    """A small negotiation whose catalogue uses every relation and whose parties set conditions."""
    cat = catalogue(
        Term("x", ["B"], "B does x", title="X", requires=["y"]),
        Term("y", ["A"], "A does y"),
        Term("z", ["A", "B"], "both do z", conflicts=["x"]),
        Term("w", ["B"], "B does x at once", refines="x"),
    )
    return replay(
        [
            move("m1", "A", act("propose", "x"), act("propose", "y", conditions=["x"])),
            move("m2", "B", act("accept", "y"), act("accept", "x"), act("condition", "x", conditions=["y"])),
        ],
        cat,
    )


def test_term_graph_keeps_the_condition_graph_and_only_strings_and_integers(timeline: Timeline) -> None:
    g = term_graph(timeline.final, name="cuba")
    source = condition_graph(timeline.final)
    assert sorted(g.edges(keys=False)) == sorted(source.edges(keys=False))
    assert set(g.nodes) == set(timeline.final.catalogue.by_id)
    for _, data in g.nodes(data=True):
        assert all(isinstance(v, str | int) for v in data.values())
    for _, _, data in g.edges(data=True):
        assert all(isinstance(v, str | int) for v in data.values())
    assert g.nodes["un-verification"]["obligors"] == "USSR,Cuba"
    assert g.nodes["turkey-jupiter-removal"]["status"] == "awaiting-consent"


def test_the_soviet_quid_pro_quo_is_an_edge_with_its_party_and_move(timeline: Timeline) -> None:
    g = term_graph(timeline.final)
    edges = g.get_edge_data("halt-further-introduction", "us-no-invasion-pledge")
    assert {"kind": "condition", "party": "USSR", "move": "khrushchev-26-oct-letter"} in edges.values()


def test_graphml_reads_back_with_networkx(timeline: Timeline) -> None:
    text = write_graph(term_graph(timeline.final), "graphml")
    back = nx.read_graphml(io.StringIO(text), force_multigraph=True)
    assert set(back.nodes) == set(timeline.final.catalogue.by_id)
    assert back.number_of_edges() == condition_graph(timeline.final).number_of_edges()
    assert back.nodes["cease-work-on-bases"]["status"] == "fulfilled"
    # Moscow stopped work in its own words, never accepting "effective United Nations arrangements".
    assert back.nodes["cease-work-on-bases"]["divergent"] == 1


def test_every_catalogue_relation_survives_graphml_and_json() -> None:
    g = term_graph(_related().final)
    kinds = sorted(k for _, _, k in g.edges(data="kind"))
    # B's bare accept of y takes A's condition on x with it
    assert kinds == ["condition", "condition", "condition", "conflicts", "refines", "requires"]
    back = nx.read_graphml(io.StringIO(write_graph(g, "graphml")), force_multigraph=True)
    assert sorted(k for _, _, k in back.edges(data="kind")) == kinds
    doc = json.loads(write_graph(g, "json"))
    assert sorted(e["kind"] for e in doc["edges"]) == kinds
    assert nx.node_link_graph(doc, edges="edges").number_of_edges() == 6


def test_json_is_node_link_data(timeline: Timeline) -> None:
    doc = json.loads(write_graph(term_graph(timeline.final, name="cuba"), "json"))
    assert doc["graph"]["name"] == "cuba"
    assert {n["id"] for n in doc["nodes"]} == set(timeline.final.catalogue.by_id)
    pairs = {(e["source"], e["target"]) for e in doc["edges"]}
    assert ("turkey-jupiter-removal", "soviet-remove-offensive-weapons") in pairs


def test_dot_names_every_edge(timeline: Timeline) -> None:
    text = write_graph(term_graph(timeline.final, name="cuba"), "dot")
    assert text.startswith('digraph "cuba" {') and text.rstrip().endswith("}")
    found = re.findall(r'^  "([^"]+)" -> "([^"]+)" \[', text, flags=re.M)
    assert sorted(found) == sorted(condition_graph(timeline.final).edges(keys=False))
    assert 'label="USSR condition"' in text


def test_dot_escapes_quotes_in_names() -> None:
    g = nx.MultiDiGraph(name='say "no"')
    g.add_edge('a"b', "c", label="x\\y")
    text = write_graph(g, "dot")
    assert 'digraph "say \\"no\\"" {' in text
    assert '"a\\"b" -> "c" [label="x\\\\y"];' in text


def test_mermaid_draws_every_edge_between_labelled_nodes(timeline: Timeline) -> None:
    text = write_graph(term_graph(timeline.final), "mermaid")
    assert text.startswith("flowchart RL\n")
    ids = dict(re.findall(r'^  (n\d+)\["([^"]+)"\]$', text, flags=re.M))
    edges = re.findall(r"^  (n\d+) -->\|\"([^\"]+)\"\| (n\d+)$", text, flags=re.M)
    assert sorted((ids[u], ids[v]) for u, _, v in edges) == sorted(
        condition_graph(timeline.final).edges(keys=False)
    )
    assert ("USSR condition") in {label for _, label, _ in edges}
    assert "classDef binding fill:" in text


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_states_graph_has_a_node_per_state_and_an_edge_per_move(timeline: Timeline, fmt: str) -> None:
    g = state_graph(timeline, name="cuba")
    assert g.number_of_nodes() == len(timeline) + 1
    assert [d["move"] for _, _, d in g.edges(data=True)] == [m.id for m in timeline.moves]
    text = write_graph(g, fmt)
    if fmt == "graphml":
        back = nx.read_graphml(io.StringIO(text), force_multigraph=True)
        assert back.nodes[f"s{len(timeline)}"]["verdict"] == "agreement"
        assert back.nodes["s0"]["unraised"] == len(timeline.final.catalogue.terms)
    elif fmt == "json":
        doc = json.loads(text)
        assert [e["label"] for e in doc["edges"]] == [m.id for m in timeline.moves]
    else:
        for m in timeline.moves:
            assert m.id in text
        assert "s0" in text if fmt == "dot" else "n0" in text


def test_an_unknown_format_is_a_parameter_error(timeline: Timeline) -> None:
    with pytest.raises(
        ParameterError, match=r"^format 'svg': unknown format \(known formats: dot, graphml"
    ) as caught:
        write_graph(term_graph(timeline.final), "svg")
    assert caught.value.parameter == "format"


def test_the_command_line_names_the_flag_of_an_unknown_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", str(HISTORICAL), "--format", "svg"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("negotiation: error: --format 'svg': unknown format (known formats: dot, graphml")


def test_layout_puts_prerequisites_left_and_quid_pro_quos_in_one_column(timeline: Timeline) -> None:
    g = term_graph(timeline.final)
    layout = layered_layout(g)
    assert set(layout) == set(g.nodes)
    assert len(set(layout.values())) == len(layout)
    column = {n: c for n, (c, _) in layout.items()}
    # each made conditional on the other: the 26 October and 27 October letters
    assert column["halt-further-introduction"] == column["us-no-invasion-pledge"]
    assert (
        column["lift-quarantine"]
        > column["halt-further-introduction"]
        > column["soviet-remove-offensive-weapons"]
    )
    assert layout == layered_layout(term_graph(timeline.final))


def test_layout_wraps_long_columns() -> None:
    g = nx.MultiDiGraph()
    g.add_nodes_from(f"t{i}" for i in range(20))
    layout = layered_layout(g, per_column=8)
    assert max(r for _, r in layout.values()) == 7
    assert sorted({c for c, _ in layout.values()}) == [0, 1, 2]
