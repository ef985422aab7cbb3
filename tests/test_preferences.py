"""Preferences and the solution concepts: the laws they keep, the files they come from, the command.

The laws are properties over generated points and preference sets: the frontier is exactly
the non-dominated points, Nash maximises the product of gains, Kalai-Smorodinsky the
smallest share of the ideal gain, and every solution picks the same agreement when a
party's utilities are rescaled by a positive affine map. Evaluation is a weighted mean of
term values and never changes a state.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import HISTORICAL, ROOT
from helpers import act, catalogue, cli, fingerprint, move
from negotiation import State, apply, load_scenario
from negotiation.errors import ModelError, ScenarioError
from negotiation.io.preferences import load_geniusweb_profile, load_preferences, loads_preferences
from negotiation.preferences import Preference, PreferenceSet, TermValues, utilities
from negotiation.render.schemas import output_schemas
from negotiation.solutions import Point, solve
from negotiation.status import is_agreed, term_status
from negotiation.testing.strategies import histories

EXAMPLE = ROOT / "examples" / "preferences" / "cuba-27-october.toml"

# -- the solution concepts ---------------------------------------------------------------------

_VALUES = st.integers(0, 100).map(lambda k: k / 100)


@st.composite
def judged_points(draw: st.DrawFn) -> tuple[tuple[Point, ...], PreferenceSet]:
    """Two or three parties, their reservation values and up to 12 agreements' utilities."""
    n = draw(st.integers(2, 3))
    parties = [f"P{i}" for i in range(n)]
    reservations = draw(st.lists(_VALUES, min_size=n, max_size=n))
    rows = draw(st.lists(st.lists(_VALUES, min_size=n, max_size=n).map(tuple), min_size=2, max_size=12))
    points = tuple(Point(u, f"n{k}", (f"t{k}",)) for k, u in enumerate(rows))
    prefs = PreferenceSet(
        "drawn",
        tuple(Preference(p, {"x": TermValues(1.0)}, r) for p, r in zip(parties, reservations, strict=True)),
    )
    return points, prefs


def _dominates(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return all(x >= y for x, y in zip(a, b, strict=True)) and a != b


@given(judged_points())
def test_the_frontier_is_every_point_nothing_dominates_and_only_those(
    drawn: tuple[tuple[Point, ...], PreferenceSet],
) -> None:
    points, prefs = drawn
    s = solve(points, prefs)
    for p in s.frontier:
        assert not any(_dominates(q.utilities, p.utilities) for q in points)
    for p in points:
        if p not in s.frontier:
            assert any(_dominates(q.utilities, p.utilities) for q in s.frontier)


@settings(max_examples=300)
@given(judged_points())
def test_nash_maximises_the_product_of_gains_over_the_reservation_values(
    drawn: tuple[tuple[Point, ...], PreferenceSet],
) -> None:
    points, prefs = drawn
    s = solve(points, prefs)
    r = prefs.reservations
    gaining = [p for p in points if all(u > v for u, v in zip(p.utilities, r, strict=True))]
    if not gaining:
        assert s.nash is None
        return
    assert s.nash is not None and s.nash in gaining
    best = max(math.prod(u - v for u, v in zip(p.utilities, r, strict=True)) for p in gaining)
    assert s.nash_product(s.nash) == pytest.approx(best, rel=1e-9)
    assert s.nash in s.frontier


@given(judged_points())
def test_kalai_smorodinsky_maximises_the_smallest_share_of_the_ideal_gain(
    drawn: tuple[tuple[Point, ...], PreferenceSet],
) -> None:
    points, prefs = drawn
    s = solve(points, prefs)
    r = prefs.reservations
    rational = [p for p in points if all(u >= v for u, v in zip(p.utilities, r, strict=True))]
    if not rational:
        assert s.kalai_smorodinsky is None and s.ideal is None
        return
    ideal = tuple(max(p.utilities[i] for p in rational) for i in range(len(r)))
    assert s.ideal == ideal

    def share(p: Point) -> float:
        return min((u - v) / (t - v) if t > v else 1.0 for u, v, t in zip(p.utilities, r, ideal, strict=True))

    assert s.kalai_smorodinsky is not None
    assert share(s.kalai_smorodinsky) == pytest.approx(max(share(p) for p in rational), rel=1e-9)


@given(
    judged_points(),
    st.lists(
        st.tuples(st.integers(1, 40).map(lambda k: k / 4), st.integers(-20, 20).map(lambda k: k / 4)),
        min_size=3,
        max_size=3,
    ),
)
def test_every_solution_is_the_same_agreement_after_a_positive_affine_rescaling(
    drawn: tuple[tuple[Point, ...], PreferenceSet], maps: list[tuple[float, float]]
) -> None:
    points, prefs = drawn
    n = len(prefs.parties)
    scale = maps[:n]

    def rescaled(u: tuple[float, ...]) -> tuple[float, ...]:
        return tuple(a * x + b for x, (a, b) in zip(u, scale, strict=True))

    moved = tuple(Point(rescaled(p.utilities), p.node, p.terms) for p in points)
    moved_prefs = PreferenceSet(
        "rescaled",
        tuple(
            Preference(p.party, {"x": TermValues(1.0)}, a * p.reservation + b)
            for p, (a, b) in zip(prefs.preferences, scale, strict=True)
        ),
    )
    before, after = solve(points, prefs), solve(moved, moved_prefs)
    nodes = lambda ps: [p.node for p in ps]  # noqa: E731
    assert nodes(after.frontier) == nodes(before.frontier)
    assert (after.nash and after.nash.node) == (before.nash and before.nash.node)
    assert (after.kalai_smorodinsky and after.kalai_smorodinsky.node) == (
        before.kalai_smorodinsky and before.kalai_smorodinsky.node
    )


def test_nash_and_kalai_smorodinsky_on_a_worked_example() -> None:
    """Two parties with reservation values 0.3 and 0.3: the lopsided deal has the larger sum,
    the even one the larger product of gains and the larger smallest share."""
    prefs = PreferenceSet(
        "two", (Preference("A", {"x": TermValues(1.0)}, 0.3), Preference("B", {"x": TermValues(1.0)}, 0.3))
    )
    lopsided, even, poor = (
        Point((0.9, 0.35), "lopsided"),
        Point((0.6, 0.6), "even"),
        Point((0.5, 0.2), "poor"),
    )
    s = solve((lopsided, even, poor), prefs)
    assert s.nash == even and s.nash_product(even) == pytest.approx(0.09)
    assert s.ideal == (0.9, 0.6) and s.kalai_smorodinsky == even  # shares 0.5 and 1 against 1 and 1/6
    assert s.frontier == (lopsided, even)  # poor is below B's reservation and dominated by both


# -- evaluation -------------------------------------------------------------------------------


def _valuing(state: State) -> PreferenceSet:
    terms = tuple(state.catalogue.by_id)
    return PreferenceSet(
        "each",
        (
            Preference("A", {t: TermValues(k + 1.0, 1.0, 0.0) for k, t in enumerate(terms)}, 0.2),
            Preference("B", {t: TermValues(1.0, 0.0, 1.0, statuses={"fulfilled": 0.5}) for t in terms}, 0.4),
        ),
    )


@given(histories(max_moves=10))
def test_a_utility_is_the_weighted_mean_of_term_values_and_reads_the_state_only(history: tuple) -> None:
    cat, moves = history
    state = State.initial(cat)
    for m in moves:
        state = apply(state, m)
    before = fingerprint(state)
    prefs = _valuing(state)
    got = utilities(prefs, state)
    assert fingerprint(state) == before  # evaluation never changes the state
    terms = list(cat.by_id)
    weights = [k + 1.0 for k in range(len(terms))]
    expected_a = sum(w * (1.0 if is_agreed(state, t) else 0.0) for w, t in zip(weights, terms, strict=True))
    assert got[0] == pytest.approx(expected_a / sum(weights))
    expected_b = [
        0.5 if str(term_status(state, t)) == "fulfilled" else (0.0 if is_agreed(state, t) else 1.0)
        for t in terms
    ]
    assert got[1] == pytest.approx(sum(expected_b) / len(terms))
    assert 0.0 <= got[0] <= 1.0 and 0.0 <= got[1] <= 1.0


def test_an_agreement_is_priced_by_the_wording_each_party_holds() -> None:
    """In a divergent agreement each side values the deal as it words it."""
    cat = catalogue()
    moves = [
        move("p", "A", act("propose", "x", timing="at once")),
        move("a", "B", act("accept", "x", timing="within a month")),
    ]
    state = State.initial(cat)
    for m in moves:
        state = apply(state, m)
    assert str(term_status(state, "x")) == "divergent"
    values = TermValues(1.0, 0.5, 0.0, "timing", {"at once": 1.0, "within a month": 0.2})
    assert values.value(state, "x", "A") == 1.0 and values.value(state, "x", "B") == 0.2
    assert TermValues(1.0, 0.5, 0.0, "timing", {"never": 1.0}).value(state, "x", "A") == 0.5


def test_values_that_cannot_hold_are_refused() -> None:
    with pytest.raises(ModelError, match="weight"):
        TermValues(-1.0)
    with pytest.raises(ModelError, match="is not a qualifier"):
        TermValues(1.0, qualifier="tone", options={"warm": 1.0})
    with pytest.raises(ModelError, match="is not a status"):
        TermValues(1.0, statuses={"settled": 1.0})
    with pytest.raises(ModelError, match="fewer than two parties"):
        PreferenceSet("one", (Preference("A", {"x": TermValues(1.0)}),))
    with pytest.raises(ModelError, match="weigh every term 0"):
        Preference("A", {"x": TermValues(0.0)})


# -- files ---------------------------------------------------------------------------------------

_GOOD = """
[[set]]
name = "s"
note = "a reading"
[set.party.A]
reservation = 0.25
[set.party.A.terms.x]
weight = 2
timing = { "at once" = 1.0 }
[set.party.B.terms.y]
weight = 1
statuses = { fulfilled = 1.0 }
"""


def test_a_preferences_file_reads_into_its_sets() -> None:
    (s,) = loads_preferences(_GOOD)
    assert (
        s.name == "s" and s.note == "a reading" and s.parties == ("A", "B") and s.reservations == (0.25, 0.0)
    )
    a = dict(s.preferences[0].terms)["x"]
    assert a.weight == 2.0 and a.qualifier == "timing" and dict(a.options) == {"at once": 1.0}
    assert dict(dict(s.preferences[1].terms)["y"].statuses) == {"fulfilled": 1.0}


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ("", "set", "is missing"),
        (_GOOD.replace("weight = 2\n", ""), "set[0].party.A.terms.x.weight", "is missing"),
        (_GOOD.replace("weight = 2", 'weight = "2"'), "set[0].party.A.terms.x.weight", "must be a number"),
        (_GOOD.replace("weight = 2", "weight = -2"), "set[0].party.A.terms.x.weight", "0 or more"),
        (_GOOD.replace("weight = 2", "weigth = 2"), "set[0].party.A.terms.x.weigth", "unknown field"),
        (
            _GOOD.replace("fulfilled = 1.0", "done = 1.0"),
            "set[0].party.B.terms.y.statuses.done",
            "not a status",
        ),
        (
            _GOOD.replace('timing = { "at once" = 1.0 }', 'timing = { "at once" = "yes" }'),
            "set[0].party.A.terms.x.timing.at once",
            "must be a number",
        ),
        (
            _GOOD.replace('timing = { "at once" = 1.0 }', 'timing = { "a" = 1.0 }\nscope = { "b" = 1.0 }'),
            "set[0].party.A.terms.x.timing",
            "a second way",
        ),
        (_GOOD.split("[set.party.B")[0], "set[0].party", "fewer than two parties"),
        (_GOOD + _GOOD, "set[1].name", "names an earlier set too"),
        (
            _GOOD.replace("reservation = 0.25", "reservation = true"),
            "set[0].party.A.reservation",
            "must be a number",
        ),
    ],
)
def test_a_bad_preferences_file_names_the_field_and_the_fix(text: str, field: str, words: str) -> None:
    with pytest.raises(ScenarioError) as e:
        loads_preferences(text, "prefs.toml")
    assert e.value.path == "prefs.toml" and e.value.field == field and words in str(e.value), str(e.value)


def test_a_geniusweb_profile_is_a_partys_preferences(tmp_path: Path) -> None:
    profile = {
        "LinearAdditiveUtilitySpace": {
            "name": "us",
            "issueWeights": {"x": 0.75, "y": 0.25},
            "issueUtilities": {
                "x": {
                    "DiscreteValueSetUtilities": {"valueUtilities": {"B does x": 1.0, "B does x slowly": 0.4}}
                },
                "y": {"DiscreteValueSetUtilities": {"valueUtilities": {"A does y": 0.2}}},
            },
            "reservationBid": {"issuevalues": {"x": "B does x slowly", "y": "A does y"}},
        }
    }
    (tmp_path / "a.json").write_text(json.dumps(profile), encoding="utf-8")
    pref = load_geniusweb_profile(tmp_path / "a.json", "A")
    assert pref.reservation == pytest.approx(0.75 * 0.4 + 0.25 * 0.2)
    x = dict(pref.terms)["x"]
    assert x.weight == 0.75 and x.qualifier == "wording" and dict(x.options)["B does x"] == 1.0
    (tmp_path / "p.toml").write_text(
        '[[set]]\nname = "g"\n[set.party.A]\nprofile = "a.json"\n[set.party.B.terms.x]\nweight = 1\n',
        encoding="utf-8",
    )
    (s,) = load_preferences(tmp_path / "p.toml")
    assert s.preferences[0] == pref
    state = State.initial(catalogue())
    state = apply(state, move("p", "A", act("propose", "x")))
    state = apply(state, move("a", "B", act("accept", "x")))
    assert utilities(s, state)[0] == pytest.approx(0.75 * 1.0)  # x agreed in its catalogue wording
    (tmp_path / "bad.json").write_text(
        '{"LinearAdditiveUtilitySpace": {"issueWeights": {"x": "heavy"}, "issueUtilities": {}}}'
    )
    with pytest.raises(ScenarioError, match=r"issueWeights\.x"):
        load_geniusweb_profile(tmp_path / "bad.json", "A")


# -- the command, on the record -----------------------------------------------------------------

_EXPLORE = (
    "explore",
    str(HISTORICAL),
    *("--after", "khrushchev-27-oct-letter", "--depth", "2"),
    *("--core", "soviet-remove-offensive-weapons,us-no-invasion-pledge"),
)


def test_explore_weighs_the_agreements_under_each_preference_set() -> None:
    r = cli(*_EXPLORE, "--preferences", EXAMPLE, "--outcome", "khrushchev-28-oct-letter")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    for name in ("un-talks-a-cost", "un-talks-a-way-out"):
        assert f"preferences {name!r}: an illustration, not a historical finding" in out
    assert out.count("Nash bargaining solution") == 2 and out.count("Kalai-Smorodinsky solution") == 2
    assert "the outcome after khrushchev-28-oct-letter: US " in out
    doc = json.loads(cli(*_EXPLORE, "--json", "--preferences", EXAMPLE, "--set", "un-talks-a-cost").stdout)
    jsonschema.validate(doc, output_schemas()["explore"])
    (entry,) = doc["preferences"]
    assert entry["name"] == "un-talks-a-cost" and entry["parties"] == ["US", "USSR"]
    last = load_scenario(HISTORICAL).moves[-1].id
    assert entry["outcome"]["after"] == last  # by default, where the record ends


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (("--set", "nobody"), "--set 'nobody': give --preferences FILE with it"),
        (("--preferences", str(EXAMPLE), "--set", "un-talks"), "has no such set"),
        (("--preferences", str(EXAMPLE), "--outcome", "no-such-move"), "--outcome 'no-such-move'"),
        (("--preferences", "missing.toml"), "missing.toml: cannot read the file"),
    ],
)
def test_explore_with_bad_preferences_says_so_in_one_line(extra: tuple[str, ...], words: str) -> None:
    r = cli(*_EXPLORE, *extra)
    assert r.returncode == 2 and words in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_a_set_naming_a_party_or_term_the_scenario_lacks_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "p.toml"
    bad.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("lift-quarantine", "lift-blockade"), encoding="utf-8"
    )
    r = cli(*_EXPLORE, "--preferences", bad)
    assert r.returncode == 2 and "term 'lift-blockade' is not in the scenario" in r.stderr, r.stderr


def test_the_utility_figure_draws_a_line_per_party(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "u.svg"
    r = cli(
        "figure",
        HISTORICAL,
        "--kind",
        "utility",
        "--preferences",
        EXAMPLE,
        "--set",
        "un-talks-a-way-out",
        "-o",
        out,
    )
    assert r.returncode == 0, r.stderr
    svg = out.read_text(encoding="utf-8")
    assert "un-talks-a-way-out" in svg and "reservation value" in svg
    assert svg.count("<path") > 4  # two lines and two dashed reservation values, at least


def test_explore_draws_the_outcome_space_with_its_frontier(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "space.svg"
    r = cli(*_EXPLORE, "--preferences", EXAMPLE, "--outcome", "khrushchev-28-oct-letter", "--figure", out)
    assert r.returncode == 0, r.stderr
    svg = out.read_text(encoding="utf-8")
    for words in (
        "Pareto frontier",
        "Nash",
        "Kalai-Smorodinsky",
        "no agreement",
        "un-talks-a-cost",
        "un-talks-a-way-out",
    ):
        assert words in svg, words


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ("figure", str(HISTORICAL), "--kind", "utility", "-o", "u.svg"),
            "--kind utility: give --preferences FILE",
        ),
        (
            ("figure", str(HISTORICAL), "--preferences", str(EXAMPLE), "-o", "t.svg"),
            "give --kind utility with them",
        ),
        ((*_EXPLORE, "--figure", "space.svg"), "--figure 'space.svg': give --preferences FILE with it"),
        (
            (*_EXPLORE, "--preferences", str(EXAMPLE), "--figure", "space.txt"),
            "--figure space.txt: give a file ending in",
        ),
    ],
)
def test_figures_of_preferences_refuse_what_they_cannot_draw(
    args: tuple[str, ...], words: str, tmp_path: Path
) -> None:
    r = cli(*args, cwd=tmp_path)
    assert r.returncode == 2 and words in r.stderr and "Traceback" not in r.stderr, r.stderr


# -- a search ordered by joint utility ------------------------------------------------------------


def _october() -> tuple[State, PreferenceSet]:
    start = load_scenario(HISTORICAL).timeline["khrushchev-27-oct-letter"]
    return start, load_preferences(EXAMPLE)[0]


_CORE = ("soviet-remove-offensive-weapons", "us-no-invasion-pledge")


def test_a_utility_search_finds_the_agreements_of_the_whole_search_within_a_small_budget() -> None:
    """Depth 3 holds 45,601 states; expanding the states of largest joint gain first, every
    distinct agreement of the whole search is among the first 200, where a breadth-first
    search of 200 states reaches none."""
    from negotiation.explore import Policy, explore
    from negotiation.solutions import agreement_points

    start, reading = _october()
    policy = Policy(core=_CORE)
    whole = {(p.terms, p.utilities) for p in agreement_points(explore(start, policy, depth=3), reading)}
    by_gain = explore(start, policy, depth=3, budget=200, order="utility", preferences=reading)
    assert by_gain.truncated and len(by_gain.graph) == 200
    assert {(p.terms, p.utilities) for p in agreement_points(by_gain, reading)} == whole
    assert agreement_points(explore(start, policy, depth=3, budget=200), reading) == ()


def test_with_budget_to_spare_a_utility_search_reaches_what_a_breadth_search_does() -> None:
    from negotiation.explore import Policy, explore

    start, reading = _october()
    breadth = explore(start, Policy(core=_CORE), depth=2)
    by_gain = explore(start, Policy(core=_CORE), depth=2, order="utility", preferences=reading)
    assert set(by_gain.graph) == set(breadth.graph) and not by_gain.truncated


def test_a_utility_search_needs_preferences_and_only_it_takes_them() -> None:
    from negotiation.errors import ParameterError
    from negotiation.explore import explore

    start, reading = _october()
    with pytest.raises(ParameterError, match="are needed to search by utility"):
        explore(start, depth=1, order="utility")
    with pytest.raises(ParameterError, match="order a utility search, and only that"):
        explore(start, depth=1, preferences=reading)


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (("--order", "utility"), "--order utility: give --preferences FILE"),
        (("--order", "utility", "--preferences", str(EXAMPLE)), "orders by one reading: give --set NAME"),
    ],
)
def test_the_command_asks_for_one_reading_to_order_a_search_by(extra: tuple[str, ...], words: str) -> None:
    r = cli(*_EXPLORE, *extra)
    assert r.returncode == 2 and words in r.stderr, r.stderr


# -- the report ----------------------------------------------------------------------------------


def test_the_report_draws_each_sides_utility_and_the_outcome_space(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    r = cli(*_EXPLORE, "--preferences", EXAMPLE, "--outcome", "khrushchev-28-oct-letter", "--report", out)
    assert r.returncode == 0, r.stderr
    page = out.read_text(encoding="utf-8")
    section = page[page.index('<section class="preferences-section">') :]
    section = section[: section.index("</section>")]
    for name in ("un-talks-a-cost", "un-talks-a-way-out"):
        assert f"<h3>{name}: an illustration, not a historical finding" in section
    assert section.count('<svg class="utility"') == 2 and section.count('<svg class="outcome-space"') == 2
    assert section.count("<polyline fill=") == 4  # a line per party per set
    assert section.count("<title>after khrushchev-28-oct-letter</title>") == 2  # the outcome, placed
    moves = len(load_scenario(HISTORICAL).moves)
    assert section.count('fill="transparent"><title>after ') == 2 * moves  # the values of every move on hover
    (reading,) = [s for s in load_preferences(EXAMPLE) if s.name == "un-talks-a-cost"]
    last = utilities(reading, load_scenario(HISTORICAL).timeline.final)
    assert f"US {last[0]:.3f}, USSR {last[1]:.3f}</title>" in section


def test_the_report_command_adds_the_utility_lines_alone() -> None:
    r = cli("report", HISTORICAL, "--preferences", EXAMPLE, "--set", "un-talks-a-way-out")
    assert r.returncode == 0, r.stderr
    assert r.stdout.count('<svg class="utility"') == 1 and '<svg class="outcome-space"' not in r.stdout
    r = cli("report", HISTORICAL, "--set", "un-talks-a-way-out")
    assert r.returncode == 2 and "give --preferences FILE with it" in r.stderr


_GENIUS = """<?xml version="1.0" encoding="UTF-8"?>
<utility_space number_of_issues="2">
  <objective index="0" name="root" type="objective" etype="objective">
    <issue index="1" name="x" type="discrete" etype="discrete" vtype="discrete">
      <item index="1" value="B does x" evaluation="8"/>
      <item index="2" value="B does x slowly" evaluation="2"/>
    </issue>
    <weight index="1" value="0.6"/>
    <issue index="2" name="y" type="discrete" etype="discrete" vtype="discrete">
      <item index="1" value="A does y" evaluation="5"/>
    </issue>
    <weight index="2" value="0.4"/>
  </objective>
  <reservation value="0.25"/>
</utility_space>
"""


def test_a_genius_utility_space_is_a_partys_preferences(tmp_path: Path) -> None:
    """The XML Genius writes, and NegMAS reads and writes: evaluations over the issue's largest."""
    from negotiation.io.preferences import load_genius_profile

    (tmp_path / "a.xml").write_text(_GENIUS, encoding="utf-8")
    pref = load_genius_profile(tmp_path / "a.xml", "A")
    assert pref.reservation == 0.25
    x, y = dict(pref.terms)["x"], dict(pref.terms)["y"]
    assert x.weight == 0.6 and dict(x.options) == {"B does x": 1.0, "B does x slowly": 0.25}
    assert y.weight == 0.4 and dict(y.options) == {"A does y": 1.0}
    (tmp_path / "p.toml").write_text(
        '[[set]]\nname = "g"\n[set.party.A]\nprofile = "a.xml"\n[set.party.B.terms.x]\nweight = 1\n',
        encoding="utf-8",
    )
    assert load_preferences(tmp_path / "p.toml")[0].preferences[0] == pref
    (tmp_path / "bad.xml").write_text(_GENIUS.replace('value="0.4"', 'value="heavy"'), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"weight\[2\].*'heavy'"):
        load_genius_profile(tmp_path / "bad.xml", "A")
    (tmp_path / "cut.xml").write_text(_GENIUS[:200], encoding="utf-8")
    with pytest.raises(ScenarioError, match="not valid XML"):
        load_genius_profile(tmp_path / "cut.xml", "A")


def test_every_preferences_file_of_the_project_reads() -> None:
    files = sorted((ROOT / "examples" / "preferences").glob("*.toml"))
    assert files
    for path in files:
        assert len(load_preferences(path)) >= 1, path


# -- in the scenario file -------------------------------------------------------------------------


def test_a_scenario_file_may_hold_its_preferences_and_they_survive_a_save(tmp_path: Path) -> None:
    from negotiation.io.loading import loads_scenario
    from negotiation.io.writer import dumps_scenario

    scenario_text = HISTORICAL.read_text(encoding="utf-8")
    sets = (
        EXAMPLE.read_text(encoding="utf-8")
        .replace("[[set]]", "[[preferences]]")
        .replace("[set.", "[preferences.")
    )
    scenario = loads_scenario(scenario_text + "\n" + sets, "with-preferences.toml")
    assert [s.name for s in scenario.preferences] == ["un-talks-a-cost", "un-talks-a-way-out"]
    assert scenario.preferences == load_preferences(EXAMPLE)
    again = loads_scenario(dumps_scenario(scenario), "saved.toml")
    assert again.preferences == scenario.preferences and again == scenario
    bad = scenario_text + "\n" + sets.replace("lift-quarantine", "lift-blockade")
    with pytest.raises(ScenarioError, match=r"preferences\[0\].*term 'lift-blockade' is not in the scenario"):
        loads_scenario(bad, "bad.toml")


def test_explore_weighs_the_scenarios_own_preferences_when_asked(tmp_path: Path) -> None:
    scenario_text = HISTORICAL.read_text(encoding="utf-8")
    sets = (
        EXAMPLE.read_text(encoding="utf-8")
        .replace("[[set]]", "[[preferences]]")
        .replace("[set.", "[preferences.")
    )
    path = tmp_path / "with-preferences.toml"
    path.write_text(scenario_text + "\n" + sets, encoding="utf-8")
    args = ("explore", path, "--after", "khrushchev-27-oct-letter", "--depth", "2", "--core", ",".join(_CORE))
    own = cli(*args, "--preferences")
    assert own.returncode == 0, own.stderr
    given = cli(*args, "--preferences", EXAMPLE)
    assert own.stdout == given.stdout and "preferences 'un-talks-a-cost'" in own.stdout
    none = cli("explore", HISTORICAL, "--depth", "1", "--preferences")
    assert none.returncode == 2 and "holds no [[preferences]]" in none.stderr, none.stderr


# -- edges ------------------------------------------------------------------------------------------


def test_a_near_tie_never_makes_a_dominated_agreement_a_solution() -> None:
    prefs = PreferenceSet(
        "two", (Preference("A", {"x": TermValues(1.0)}, 0.1), Preference("B", {"x": TermValues(1.0)}, 0.1))
    )
    p, q = Point((0.5, 0.5), "p"), Point((0.5, 0.5 + 1e-12), "q")
    s = solve((p, q), prefs)
    assert s.frontier == (q,) and s.nash == q and s.kalai_smorodinsky == q


def test_with_no_agreement_reached_an_outcome_is_neither_dominated_nor_undominated() -> None:
    from negotiation.solutions import place

    state = State.initial(catalogue())
    prefs = PreferenceSet(
        "two", (Preference("A", {"x": TermValues(1.0)}, 0.1), Preference("B", {"x": TermValues(1.0)}, 0.1))
    )
    s = solve((), prefs)
    where = place(state, s, prefs)
    assert s.nash is None and s.kalai_smorodinsky is None and s.frontier == ()
    assert where.undominated is None and where.to_frontier is None and where.dominated_by == ()


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("weight = 2", "weight = inf", "set[0].party.A.terms.x.weight", "must be a finite number"),
        ("reservation = 0.25", "reservation = nan", "set[0].party.A.reservation", "must be a finite number"),
        (
            '"at once" = 1.0',
            '"at once" = -inf',
            "set[0].party.A.terms.x.timing.at once",
            "must be a finite number",
        ),
        ('timing = { "at once" = 1.0 }', "timing = {}", "set[0].party.A.terms.x.timing", "is empty"),
    ],
)
def test_a_value_that_is_no_finite_number_is_refused(old: str, new: str, field: str, words: str) -> None:
    with pytest.raises(ScenarioError) as e:
        loads_preferences(_GOOD.replace(old, new), "prefs.toml")
    assert e.value.field == field and words in str(e.value), str(e.value)


@pytest.mark.parametrize(
    ("space", "field"),
    [
        ({"issueWeights": {"x": float("nan")}, "issueUtilities": {}}, "issueWeights.x"),
        (
            {"issueWeights": {"x": 1}, "issueUtilities": {"x": {"DiscreteValueSetUtilities": []}}},
            "issueUtilities.x",
        ),
        (
            {
                "issueWeights": {"x": 1},
                "issueUtilities": {"x": {"DiscreteValueSetUtilities": {"valueUtilities": {"a": 1}}}},
                "reservationBid": {"issuevalues": {"x": ["a"]}},
            },
            "reservationBid.x",
        ),
        (
            {
                "issueWeights": {"x": 1},
                "issueUtilities": {"x": {"DiscreteValueSetUtilities": {"valueUtilities": {"a": "high"}}}},
            },
            "issueUtilities.x.a",
        ),
    ],
)
def test_a_malformed_geniusweb_profile_names_its_field(space: dict, field: str, tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"LinearAdditiveUtilitySpace": space}), encoding="utf-8")
    with pytest.raises(ScenarioError) as e:
        load_geniusweb_profile(path, "A")
    assert e.value.path == str(path) and e.value.field == field, str(e.value)


def test_outputs_of_a_weighed_search_are_checked_before_it_runs(tmp_path: Path) -> None:
    r = cli(*_EXPLORE, "--report", tmp_path / "r.html")
    assert r.returncode == 2 and "give --preferences FILE with it" in r.stderr
    r = cli(*_EXPLORE, "--depth", "9", "--preferences", EXAMPLE, "--report", tmp_path / "r.txt")
    assert r.returncode == 2 and "give a file ending in .html" in r.stderr  # at once, not after depth 9
    r = cli(*_EXPLORE, "--depth", "0", "--json", "--preferences", EXAMPLE)
    assert r.returncode == 0, r.stderr
    entry = json.loads(r.stdout)["preferences"][0]
    assert entry["agreements"] == [] and entry["outcome"]["undominated"] is None


def test_report_and_figure_weigh_the_scenarios_own_preferences(tmp_path: Path) -> None:
    sets = (
        EXAMPLE.read_text(encoding="utf-8")
        .replace("[[set]]", "[[preferences]]")
        .replace("[set.", "[preferences.")
    )
    path = tmp_path / "with-preferences.toml"
    path.write_text(HISTORICAL.read_text(encoding="utf-8") + "\n" + sets, encoding="utf-8")
    r = cli("report", path, "--preferences")
    assert r.returncode == 0 and r.stdout.count('<svg class="utility"') == 2, r.stderr
    pytest.importorskip("matplotlib")
    r = cli("figure", path, "--kind", "utility", "--preferences", "-o", tmp_path / "u.svg")
    assert r.returncode == 0 and (tmp_path / "u.svg").stat().st_size > 0, r.stderr
