"""Scenario files: every kind of malformed file gets one clear error with file, move, act and fix."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from negotiation import (
    Act,
    Channel,
    ScenarioError,
    Stance,
    When,
    load_scenario,
    loads_scenario,
)
from negotiation.io.fast import plain_move
from negotiation.io.reader import ACT_KEYS, MOVE_KEYS, careful_move

GOOD = """
[scenario]
id = "demo"
title = "A demo"

[[parties]]
id = "A"

[[parties]]
id = "B"

[[parties]]
id = "C"
role = "third"

[[terms]]
id = "x"
obligors = ["B"]
text = "B does x"

[[terms]]
id = "y"
obligors = ["A"]
text = "A does y"
requires = ["x"]

[[moves]]
id = "m1"
author = "A"
addressees = ["B"]
channel = "private"
sent = 1962-10-27T20:05:00-04:00
received = { B = 1962-10-27 }
source = "a letter"

[[moves.acts]]
verb = "propose"
term = "x"
wording = "B does x at once"
quote = "do x"

[[moves]]
id = "m2"
author = "B"
addressees = ["A"]

[[moves.acts]]
verb = "accept"
term = "x"
conditions = ["y"]
"""


def test_a_good_file_reads_every_field() -> None:
    sc = loads_scenario(GOOD, "demo.toml")
    assert sc.id == "demo" and sc.title == "A demo"
    assert sc.catalogue.principals == ("A", "B")
    assert sc.catalogue.by_id["y"].obligors == ("A",) and sc.catalogue.by_id["y"].requires == ("x",)
    m1 = sc.moves[0]
    assert m1.channel is Channel.PRIVATE and m1.source == "a letter"
    assert m1.sent == When(dt.date(1962, 10, 27), dt.datetime.fromisoformat("1962-10-27T20:05:00-04:00"))
    assert m1.received["B"] == When(dt.date(1962, 10, 27))
    assert m1.acts[0].wording == "B does x at once" and m1.acts[0].quote == "do x"
    final = sc.replay().final
    assert final.stance("x", "B") is Stance.ACCEPTED
    assert final.formulation("x", "B").conditions == {"y"}


def _error(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        loads_scenario(text, "bad.toml").replay()
    return info.value


def _swap(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


MALFORMED: dict[str, tuple[str, list[str]]] = {
    "not TOML": ("[scenario\nid=1", ["bad.toml: not valid TOML"]),
    "no scenario table": (
        GOOD.replace('[scenario]\nid = "demo"\ntitle = "A demo"\n', ""),
        ["'scenario'", "is missing"],
    ),
    "scenario id missing": (_swap('id = "demo"\n', ""), ["field 'scenario.id'", "is missing"]),
    "unknown top-level key": (_swap("[scenario]", "extra = 1\n[scenario]"), ["unknown field 'extra'"]),
    "unknown scenario key": (
        _swap('title = "A demo"', 'titel = "A demo"'),
        ["unknown field 'titel'", "did you mean 'title'"],
    ),
    "party role misspelt": (
        _swap('role = "third"', 'role = "thrid"'),
        ["parties.C.role", "'thrid' is not one of", "did you mean 'third'"],
    ),
    "party id with a line break": (
        _swap('id = "C"', 'id = "C\\nD"'),
        ["holds line breaks", "letters, digits and dashes"],
    ),
    "move id with a line break": (_swap('id = "m1"', 'id = "m\\n1"'), ["holds line breaks"]),
    "party declared twice": (_swap('id = "C"', 'id = "B"'), ["party declared twice: B"]),
    "term without obligors": (
        _swap('obligors = ["B"]\n', ""),
        ["field 'terms.x.obligors'", "term 'x' names no obligors"],
    ),
    "term obliges unknown party": (
        _swap('obligors = ["B"]', 'obligors = ["Q"]'),
        ["obliges unknown party 'Q'"],
    ),
    "term requires unknown term": (
        _swap('requires = ["x"]', 'requires = ["xx"]'),
        ["requires unknown term 'xx'", "did you mean 'x'"],
    ),
    "term declared twice": (
        _swap("[[moves]]", '[[terms]]\nid = "x"\nobligors = ["A"]\ntext = "again"\n\n[[moves]]'),
        ["id 'x' is used twice", "terms[2].id"],
    ),
    "term text empty": (
        _swap('text = "B does x"', 'text = ""'),
        ["field 'terms.x.text'", "not an empty string"],
    ),
    "move id missing": (_swap('id = "m1"\n', ""), ["moves[0].id", "is missing"]),
    "move id used twice": (_swap('id = "m2"', 'id = "m1"'), ["id 'm1' is used twice"]),
    "unknown move field": (
        _swap('source = "a letter"', 'sorce = "a letter"'),
        ["move 'm1'", "unknown field 'sorce'", "did you mean 'source'"],
    ),
    "author unknown": (_swap('author = "B"', 'author = "Bee"'), ["move 'm2'", "unknown party 'Bee'"]),
    "addressee unknown": (
        _swap('addressees = ["B"]', 'addressees = ["D"]'),
        ["move 'm1'", "unknown party 'D'"],
    ),
    "third party accepts what does not concern it": (
        _swap('author = "B"', 'author = "C"'),
        ["move 'm2'", "'x' neither obliges C nor needs its consent", "rule no-standing"],
    ),
    "consent of a principal": (
        _swap('obligors = ["B"]', 'obligors = ["B"]\nconsent = ["A"]'),
        ["term 'x'", "names 'A' in consent, but A is a principal", "consent names third parties"],
    ),
    "consent of an unknown party": (
        _swap('obligors = ["B"]', 'obligors = ["B"]\nconsent = ["Cuba"]'),
        ["term 'x'", "needs the consent of unknown party 'Cuba'"],
    ),
    "role unknown": (
        _swap('role = "third"', 'role = "observer"'),
        ["'observer' is not one of principal, mediator, third"],
    ),
    "channel unknown": (
        _swap('channel = "private"', 'channel = "secret"'),
        ["move 'm1'", "'secret' is not one of", "back-channel"],
    ),
    "private move without addressees": (
        _swap('addressees = ["A"]\n', ""),
        ["move 'm2'", "needs addressees", "only a public statement"],
    ),
    "naive local time": (
        _swap("sent = 1962-10-27T20:05:00-04:00", "sent = 1962-10-27T20:05:00"),
        ["move 'm1'", "field 'sent'", "no UTC offset", "-04:00"],
    ),
    "time without date": (
        _swap("sent = 1962-10-27T20:05:00-04:00", "sent = 20:05:00"),
        ["field 'sent'", "without a date"],
    ),
    "time as bad text": (
        _swap("sent = 1962-10-27T20:05:00-04:00", 'sent = "27 Oct"'),
        ["field 'sent'", "not an ISO 8601"],
    ),
    "received not a table": (
        _swap("received = { B = 1962-10-27 }", "received = 1962-10-27"),
        ["field 'received'", "table of party = time"],
    ),
    "receipt by unknown party": (
        _swap("received = { B = 1962-10-27 }", "received = { Z = 1962-10-27 }"),
        ["move 'm1'", "field 'received.Z'", "unknown party 'Z'"],
    ),
    "no acts": (
        _swap('[[moves.acts]]\nverb = "accept"\nterm = "x"\nconditions = ["y"]\n', ""),
        ["move 'm2'", "acts", "is missing"],
    ),
    "acts not an array": (
        _swap('[[moves.acts]]\nverb = "accept"\nterm = "x"\nconditions = ["y"]\n', 'acts = "accept"\n'),
        ["move 'm2'", "field 'acts'", "must be an array, not a string"],
    ),
    "verb missing": (_swap('verb = "accept"\n', ""), ["move 'm2'", "acts[0]", "field 'verb'", "is missing"]),
    "verb unknown": (
        _swap('verb = "accept"', 'verb = "acept"'),
        ["move 'm2'", "acts[0]", "'acept' is not one of", "did you mean 'accept'"],
    ),
    "act field unknown": (
        _swap('quote = "do x"', 'qoute = "do x"'),
        ["move 'm1'", "acts[0]", "unknown field 'qoute'", "did you mean 'quote'"],
    ),
    "act without term": (
        _swap('term = "x"\nconditions', "conditions"),
        ["move 'm2'", "acts[0]", "names no term", "term = TERM_ID"],
    ),
    "term of act unknown": (
        _swap('term = "x"\nconditions', 'term = "xx"\nconditions'),
        ["move 'm2'", "acts[0]", "no term 'xx'", "did you mean 'x'"],
    ),
    "condition on unknown term": (
        _swap('conditions = ["y"]', 'conditions = ["q"]'),
        ["move 'm2'", "acts[0]", "no term 'q'"],
    ),
    "condition on itself": (
        _swap('conditions = ["y"]', 'conditions = ["x"]'),
        ["acts[0]", "conditions 'x' on itself"],
    ),
    "conditions not ids": (
        _swap('conditions = ["y"]', "conditions = [1]"),
        ["acts[0]", "field 'conditions'", "array of ids"],
    ),
    "wording on reject": (
        _swap(
            'verb = "accept"\nterm = "x"\nconditions = ["y"]', 'verb = "reject"\nterm = "x"\nwording = "no"'
        ),
        ["acts[0]", "cannot carry wording"],
    ),
    "ignore without move": (
        _swap('verb = "accept"\nterm = "x"\nconditions = ["y"]', 'verb = "ignore"'),
        ["acts[0]", "names no move", "move = MOVE_ID"],
    ),
    "affirm with term and move": (
        _swap('verb = "accept"\nterm = "x"\nconditions = ["y"]', 'verb = "affirm"\nterm = "x"\nmove = "m1"'),
        ["acts[0]", "exactly one of term or move"],
    ),
    "condition without conditions": (
        _swap('verb = "accept"\nterm = "x"\nconditions = ["y"]', 'verb = "condition"\nterm = "x"'),
        ["acts[0]", "names no condition"],
    ),
    "extent on accept": (
        _swap('conditions = ["y"]', 'extent = "begun"'),
        ["acts[0]", "has an extent", "only fulfil"],
    ),
    "extent unknown": (
        _swap(
            'verb = "accept"\nterm = "x"\nconditions = ["y"]', 'verb = "fulfil"\nterm = "x"\nextent = "half"'
        ),
        ["acts[0]", "'half' is not one of begun, complete"],
    ),
    "field of wrong type": (
        _swap('quote = "do x"', "quote = 3"),
        ["acts[0]", "field 'quote'", "must be a non-empty string, not an integer"],
    ),
    "illegal act": (
        _swap('verb = "accept"\nterm = "x"\nconditions = ["y"]', 'verb = "accept"\nterm = "y"'),
        ["bad.toml: move 'm2': acts[0]", "nobody has proposed 'y'", "rule not-on-table", "propose it first"],
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_file_gets_one_clear_error(case: str) -> None:
    text, words = MALFORMED[case]
    err = _error(text)
    message = str(err)
    assert message.startswith("bad.toml")
    assert "\n" not in message
    for w in words:
        assert w in message, f"{w!r} not in {message!r}"
    hints = re.findall(r"\((?:did you mean|known|add|give|use)[^()]*\)", message)
    assert len(hints) == len(set(hints)), f"a hint is repeated in {message!r}"
    assert "partys" not in message


def test_missing_file_is_a_scenario_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot read the file"):
        load_scenario(tmp_path / "nope.toml")


def test_binary_file_is_a_scenario_error(tmp_path: Path) -> None:
    p = tmp_path / "bin.toml"
    p.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_scenario(p)


def test_error_keeps_its_location_as_attributes() -> None:
    err = _error(_swap('verb = "accept"', 'verb = "acept"'))
    assert (err.path, err.move_id, err.act_index, err.field) == ("bad.toml", "m2", 0, "verb")
    assert err.hint == "did you mean 'accept'?"


def test_irregular_act_in_a_file_is_applied_and_noted() -> None:
    text = _swap('term = "x"\nconditions = ["y"]', 'term = "y"\nirregular = "so the record says"')
    t = loads_scenario(text, "ok.toml").replay()
    assert t["m2"].stance("y", "B") is Stance.ACCEPTED
    assert [n.rule for n in t.step_of("m2").notes] == ["not-on-table"]


_ACT = {"verb": "accept", "term": "t0", "wording": "at once", "conditions": ["t1"], "quote": "q"}
_MOVE = {"id": "m0", "author": "P0", "addressees": ["P1"], "channel": "private", "title": "t", "note": "n"}
_REMOVED = object()
_ODD_VALUES = [
    _REMOVED,
    *("", " ", " t0", "t0", "t1", "P0", "P1", "X", "accept", "ignore", "begun", "public", "x\ny"),
    *(0, 1, True, 1.5),
    *([], [""], [1], ["t0"], ["t1", "t0"], ["P0"], ["P1", "P1"], ["X"], ["t9"]),
    *({}, {"verb": "propose"}),
]


def _read_both(table: dict[str, object]) -> None:
    """The fast path builds what the careful reader builds, or leaves the table to it."""
    parties = frozenset({"P0", "P1", "X"})
    fast = plain_move(table, parties)
    seen: dict[object, Act] = {}  # acts already built from the unvaried tables, as a file's load keeps
    for verb in ("accept", "ignore", "fulfil", "condition"):
        plain_move({**_MOVE, "acts": [{**_ACT, "verb": verb}]}, parties, seen)
    shared = plain_move(table, parties, seen)
    try:
        careful = careful_move("f.toml", 0, table, parties)
    except ScenarioError:
        assert fast is None and shared is None, table
    else:
        assert fast is None or fast == careful, table
        assert shared is None or shared == careful, table


def _varied(table: dict[str, object], key: str, value: object) -> dict[str, object]:
    out = dict(table)
    if value is _REMOVED:
        out.pop(key, None)
    else:
        out[key] = value
    return out


@pytest.mark.parametrize("key", [*MOVE_KEYS, "bogus"])
def test_the_fast_reader_builds_only_the_moves_the_careful_one_builds(key: str) -> None:
    """A move table read by the fast path is the one the field-by-field reader builds; anything
    the careful reader rejects, the fast path leaves to it (so the error names the field)."""
    for value in _ODD_VALUES:
        _read_both(_varied({"acts": [_ACT], **_MOVE}, key, value))


@pytest.mark.parametrize("key", [*ACT_KEYS, "bogus"])
def test_the_fast_reader_builds_only_the_acts_the_careful_one_builds(key: str) -> None:
    """The same for every field of an act, whatever its verb."""
    for verb in ("accept", "ignore", "fulfil", "condition"):
        for value in _ODD_VALUES:
            _read_both({**_MOVE, "acts": [_varied({**_ACT, "verb": verb}, key, value)]})


def test_a_plain_move_takes_the_fast_path() -> None:
    table = {
        "id": "m0",
        "author": "P0",
        "addressees": ["P1"],
        "channel": "back-channel",
        "title": "a note",
        "acts": [{"verb": "propose", "term": "t0", "wording": "at once", "conditions": ["t1"]}],
    }
    fast = plain_move(table, frozenset({"P0", "P1"}))
    assert fast is not None
    assert fast == careful_move("f.toml", 0, table, frozenset({"P0", "P1"}))


_REPEATED = """
[scenario]
id = "r"

[[parties]]
id = "A"

[[parties]]
id = "B"

[[terms]]
id = "x"
obligors = ["B"]
text = "B does x"
""" + "".join(
    f"""
[[moves]]
id = "m{i}"
author = "{"AB"[i % 2]}"
addressees = ["{"BA"[i % 2]}"]

[[moves.acts]]
verb = "{"propose" if i == 0 else "restate"}"
term = "x"
timing = "at once"
quote = "q"
verified = {value}
"""
    for i, value in enumerate(["true", "true", "1"])
)


def test_equal_act_tables_of_a_file_become_one_act_value() -> None:
    moves = loads_scenario(_REPEATED.replace("verified = 1", "verified = true"), "r.toml").moves
    assert moves[1].acts[0] is moves[2].acts[0]
    table = {
        "id": "m1",
        "author": "B",
        "addressees": ["A"],
        "acts": [{"verb": "restate", "term": "x", "timing": "at once", "quote": "q", "verified": True}],
    }
    assert moves[1] == careful_move("r.toml", 1, table, frozenset({"A", "B"}))


def test_a_table_that_differs_only_in_the_type_of_a_value_is_not_taken_for_an_earlier_one() -> None:
    """`verified = 1` after `verified = true`: 1 == True in Python, but the file says a number."""
    with pytest.raises(ScenarioError) as info:
        loads_scenario(_REPEATED, "r.toml")
    assert (info.value.move_id, info.value.act_index, info.value.field) == ("m2", 0, "verified")


def test_a_model_error_names_the_move_once() -> None:
    message = str(_error(_swap('addressees = ["B"]', 'addressees = ["A"]')))
    assert message == "bad.toml: move 'm1': is addressed to its own author 'A'"
