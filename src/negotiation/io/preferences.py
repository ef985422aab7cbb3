"""Preference files: each party's utility over the terms, under one or more readings.

A TOML file holds one `[[set]]` per reading (a historian's, say). A set has a `name`, a
`note` saying whose reading it is, and a table per party:

    [[set]]
    name = "security-first"
    note = "An illustration, not a historical finding."

    [set.party.US]
    reservation = 0.2

    [set.party.US.terms.soviet-remove-offensive-weapons]
    weight = 5
    agreed = 1.0        # worth once agreed (default 1)
    otherwise = 0.0     # worth until then (default 0)
    verification = { "effective United Nations arrangements" = 1.0 }
    statuses = { fulfilled = 1.0 }

A party's table may instead name a linear-additive profile, relative to the file: a GeniusWeb
one (`profile = "us.json"`) or a Genius utility space as Genius and NegMAS write it
(`profile = "us.xml"`). Each issue is a term, each value an agreed wording. A mistake is a
`ScenarioError` naming the file, the field, what is wrong and what would be right.
"""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import tomli

from negotiation.errors import ModelError, ScenarioError, suggest
from negotiation.io.reader import Reader, kind_of
from negotiation.preferences import PRICED, Preference, PreferenceSet, TermValues
from negotiation.vocabulary import Status

__all__ = [
    "load_genius_profile",
    "load_geniusweb_profile",
    "load_preferences",
    "loads_preferences",
    "preference_tables",
    "read_sets",
]

_SET_KEYS = ["name", "note", "party"]
_PARTY_KEYS = ["reservation", "terms", "profile", "otherwise"]
_TERM_KEYS = ["weight", "agreed", "otherwise", "statuses", *PRICED]


def load_preferences(path: str | Path) -> tuple[PreferenceSet, ...]:
    """The preference sets of a file, in its order."""
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ScenarioError(shown, f"cannot read the file: {getattr(e, 'strerror', None) or e}") from None
    return loads_preferences(text, shown, base=Path(path).parent)


def loads_preferences(
    text: str, path: str = "<string>", *, base: Path | None = None
) -> tuple[PreferenceSet, ...]:
    """The preference sets of TOML text; `path` names it in messages, `base` anchors profiles."""
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as e:
        raise ScenarioError(path, f"not valid TOML: {e}") from None
    top = Reader(path, data, what="a preferences file")
    sets = top.get("set", list, required=True)
    top.done(["set"])
    out = read_sets(path, sets, "set", base=base)
    if not out:
        top.fail("set", "holds no set", "add a [[set]] with a name and a [set.party.ID] table per party")
    return out


def read_sets(
    path: str, tables: list[Any], key: str, *, base: Path | None = None
) -> tuple[PreferenceSet, ...]:
    """The preference sets of an array of tables, each checked as the module says.

    The array is `[[set]]` in a preferences file and `[[preferences]]` in a scenario; `key`
    names it in messages.
    """
    out: list[PreferenceSet] = []
    for i, table in enumerate(tables):
        r = Reader(path, table, what=f"{key}[{i}]", prefix=f"{key}[{i}].")
        _known(r, _SET_KEYS)
        name = r.text("name", required=True)
        if any(s.name == name for s in out):
            r.fail("name", f"{name!r} names an earlier set too", "give each set its own name")
        note = r.text("note", default="")
        parties = Reader(path, r.get("party", dict, required=True), what="party", prefix=f"{key}[{i}].party.")
        preferences = [
            _party(path, f"{key}[{i}].party.{p}.", p, parties.get(p, dict), base) for p in parties.data
        ]
        parties.done(list(parties.data))
        r.done(_SET_KEYS)
        try:
            out.append(PreferenceSet(name, tuple(preferences), note))
        except ModelError as e:
            r.fail("party", e.problem, e.hint)
    return tuple(out)


def preference_tables(sets: tuple[PreferenceSet, ...]) -> list[dict[str, Any]]:
    """The sets as the TOML tables `read_sets` reads back to equal sets."""
    out = []
    for s in sets:
        parties: dict[str, Any] = {}
        for pref in s.preferences:
            terms: dict[str, Any] = {}
            for term, v in pref.terms:
                table: dict[str, Any] = {"weight": v.weight}
                if v.agreed != 1.0:
                    table["agreed"] = v.agreed
                if v.otherwise != 0.0:
                    table["otherwise"] = v.otherwise
                if v.qualifier is not None and v.options:
                    table[v.qualifier] = dict(v.options)
                if v.statuses:
                    table["statuses"] = dict(v.statuses)
                terms[term] = table
            parties[pref.party] = {"reservation": pref.reservation, "terms": terms}
        out.append({"name": s.name, **({"note": s.note} if s.note else {}), "party": parties})
    return out


def _known(r: Reader, allowed: list[str]) -> None:
    """Refuse an unknown field first, so that a misspelt one is named rather than called missing."""
    for key in r.data:
        if key not in allowed:
            r.fail(key, f"unknown field {key!r}", suggest(key, allowed, noun="field"))


def _number(r: Reader, key: str, default: float) -> float:
    r.used.add(key)
    if key not in r.data:
        return default
    value = r.data[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        r.fail(key, f"must be a number, not {kind_of(value)}")
    if not math.isfinite(value):
        r.fail(key, f"must be a finite number, not {value}")
    return float(value)


def _table_of_numbers(r: Reader, key: str) -> dict[str, float]:
    table = r.get(key, dict, default={})
    if key in r.data and not table:
        r.fail(key, "is empty", "give at least one text = value, or leave the table out")
    for k, v in table.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            r.fail(f"{key}.{k}", f"must be a number, not {kind_of(v)}")
        if not math.isfinite(v):
            r.fail(f"{key}.{k}", f"must be a finite number, not {v}")
    return {k: float(v) for k, v in table.items()}


def _party(path: str, prefix: str, party: str, table: dict[str, Any], base: Path | None) -> Preference:
    r = Reader(path, table, what=f"party {party}", prefix=prefix)
    _known(r, _PARTY_KEYS)
    if "profile" in r.data:
        if "terms" in r.data:
            r.fail("terms", "is given with a profile", "give the terms or the profile, not both")
        name = r.text("profile")
        shown = str((base or Path(".")) / name)
        if Path(name).suffix.lower() not in (".json", ".xml"):
            r.fail("profile", f"{name!r} is neither a GeniusWeb profile (.json) nor a Genius one (.xml)")
        reader = load_genius_profile if name.lower().endswith(".xml") else load_geniusweb_profile
        profile = reader(shown, party, otherwise=_number(r, "otherwise", 0.0))
        reservation = _number(r, "reservation", profile.reservation)
        r.done(_PARTY_KEYS)
        return Preference(party, profile.terms, reservation)
    reservation = _number(r, "reservation", 0.0)
    terms_table = Reader(path, r.get("terms", dict, required=True), what="terms", prefix=f"{prefix}terms.")
    terms = {}
    for term in terms_table.data:
        terms[term] = _term(path, f"{prefix}terms.{term}.", terms_table.get(term, dict))
    terms_table.done(list(terms_table.data))
    if "otherwise" in r.data:
        r.fail("otherwise", "belongs to a term", f"write it under [{prefix}terms.TERM]")
    r.done(_PARTY_KEYS)
    try:
        return Preference(party, terms, reservation)
    except ModelError as e:
        r.fail("terms", e.problem, e.hint)


def _term(path: str, prefix: str, table: dict[str, Any]) -> TermValues:
    r = Reader(path, table, what="a term's values", prefix=prefix)
    _known(r, _TERM_KEYS)
    weight = _number(r, "weight", float("nan"))
    if "weight" not in r.data:
        r.fail("weight", "is missing", "add weight = 1 (any number of 0 or more)")
    priced = [k for k in PRICED if k in r.data]
    if len(priced) > 1:
        r.fail(priced[1], f"prices the wordings a second way (after {priced[0]})", "give one table per term")
    options = _table_of_numbers(r, priced[0]) if priced else {}
    statuses = _table_of_numbers(r, "statuses")
    allowed = [str(s) for s in Status]
    for status in statuses:
        if status not in allowed:
            r.fail(
                f"statuses.{status}", f"{status!r} is not a status", suggest(status, allowed, noun="status")
            )
    values = {"agreed": _number(r, "agreed", 1.0), "otherwise": _number(r, "otherwise", 0.0)}
    r.done(_TERM_KEYS)
    try:
        return TermValues(
            weight, qualifier=priced[0] if priced else None, options=options, statuses=statuses, **values
        )
    except ModelError as e:
        r.fail("weight" if "weight" in e.what else None, f"{e.what} {e.problem}", e.hint)


def load_geniusweb_profile(path: str | Path, party: str, *, otherwise: float = 0.0) -> Preference:
    """A party's preferences from a GeniusWeb `LinearAdditiveUtilitySpace` profile (JSON).

    Each issue is a term, weighted as the profile weighs it; each discrete value is a wording
    of the agreed term, worth its utility; a term not agreed is worth `otherwise`. The
    reservation bid, where the profile gives one, is worth its utility.
    """
    shown = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as e:
        raise ScenarioError(shown, f"cannot read the profile: {getattr(e, 'strerror', None) or e}") from None
    except json.JSONDecodeError as e:
        raise ScenarioError(
            shown, f"not valid JSON: {e.msg} (at line {e.lineno}, column {e.colno})"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("LinearAdditiveUtilitySpace"), dict):
        raise ScenarioError(
            shown,
            'not a GeniusWeb linear-additive profile: expected {"LinearAdditiveUtilitySpace": {...}}',
            field="LinearAdditiveUtilitySpace",
        )
    space = data["LinearAdditiveUtilitySpace"]
    weights = space.get("issueWeights")
    if not isinstance(weights, dict) or not weights:
        raise ScenarioError(shown, "must be a table of issue = weight", field="issueWeights")
    utilities = space.get("issueUtilities")
    if not isinstance(utilities, dict):
        raise ScenarioError(shown, "must be a table of issue = value utilities", field="issueUtilities")
    terms: dict[str, TermValues] = {}
    for issue, weight in weights.items():
        field = f"issueWeights.{issue}"
        if not _finite(weight) or weight < 0:
            raise ScenarioError(shown, f"must be a finite number of 0 or more, not {weight!r}", field=field)
        table = utilities.get(issue)
        discrete = table.get("DiscreteValueSetUtilities") if isinstance(table, dict) else None
        values = discrete.get("valueUtilities") if isinstance(discrete, dict) else None
        if not isinstance(values, dict) or not values:
            raise ScenarioError(
                shown,
                "gives no discrete value utilities for this issue (only DiscreteValueSetUtilities is read)",
                field=f"issueUtilities.{issue}",
            )
        for value, worth in values.items():
            if not _finite(worth):
                raise ScenarioError(
                    shown, f"must be a finite number, not {worth!r}", field=f"issueUtilities.{issue}.{value}"
                )
        # A value utility prices the agreed wording; a wording the profile does not list is worth 0.
        try:
            terms[issue] = TermValues(float(weight), 0.0, otherwise, "wording", dict(values))
        except ModelError as e:
            raise ScenarioError(shown, f"{e.what} {e.problem}", field=field, hint=e.hint) from None
    reservation = 0.0
    bid = space.get("reservationBid")
    if isinstance(bid, dict) and isinstance(bid.get("issuevalues"), dict):
        chosen = bid["issuevalues"]
        for i, v in chosen.items():
            if not isinstance(v, str):
                raise ScenarioError(
                    shown, f"must be a value of the issue, not {v!r}", field=f"reservationBid.{i}"
                )
        total = sum(terms[i].weight for i in terms)
        reservation = sum(
            terms[i].weight * dict(terms[i].options).get(v, 0.0) for i, v in chosen.items() if i in terms
        ) / (total or 1.0)
    try:
        return Preference(party, terms, reservation)
    except ModelError as e:
        raise ScenarioError(shown, e.problem, field="issueWeights", hint=e.hint) from None


def load_genius_profile(path: str | Path, party: str, *, otherwise: float = 0.0) -> Preference:
    """A party's preferences from a Genius utility space (XML), as Genius and NegMAS write them.

    Each discrete issue is a term, weighted by the `weight` of its index; each item a wording of
    the agreed term, worth its evaluation over the issue's largest; a term not agreed is worth
    `otherwise`. The `reservation` element, where there is one, is the reservation value.
    """
    shown = str(path)
    try:
        root = ET.fromstring(Path(path).read_bytes())
    except OSError as e:
        raise ScenarioError(shown, f"cannot read the profile: {e.strerror or e}") from None
    except ET.ParseError as e:
        raise ScenarioError(shown, f"not valid XML: {e}") from None
    if root.tag != "utility_space":
        raise ScenarioError(
            shown, f"not a Genius utility space: the root element is <{root.tag}>", field="utility_space"
        )
    objective = root.find("objective")
    if objective is None:
        raise ScenarioError(shown, "holds no <objective> with the issues", field="objective")
    weights = {w.get("index"): w.get("value") for w in objective.findall("weight")}
    terms: dict[str, TermValues] = {}
    for issue in objective.findall("issue"):
        name, index = issue.get("name"), issue.get("index")
        field = f"issue[{name or index}]"
        if not name:
            raise ScenarioError(shown, "has no name", field=field)
        if issue.get("type", "discrete") != "discrete":
            raise ScenarioError(
                shown, f"is {issue.get('type')!r}: only discrete issues are read", field=field
            )
        weight = _xml_number(shown, f"weight[{index}]", weights.get(index))
        values = {
            item.get("value", ""): _xml_number(shown, f"{field}.item", item.get("evaluation"))
            for item in issue.findall("item")
        }
        top = max(values.values(), default=0.0)
        scaled = {v: (e / top if top > 0 else 0.0) for v, e in values.items()}
        if not scaled:
            raise ScenarioError(shown, "lists no item", field=field)
        terms[name] = TermValues(weight, 0.0, otherwise, "wording", scaled)
    if not terms:
        raise ScenarioError(shown, "holds no issue", field="objective")
    reservation = root.find("reservation")
    value = _xml_number(shown, "reservation", reservation.get("value")) if reservation is not None else 0.0
    try:
        return Preference(party, terms, value)
    except ModelError as e:
        raise ScenarioError(shown, e.problem, field="weight", hint=e.hint) from None


def _finite(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _xml_number(path: str, field: str, text: str | None) -> float:
    try:
        value = float(text) if text is not None else float("nan")
    except ValueError:
        value = float("nan")
    if not (value >= 0 and math.isfinite(value)):
        raise ScenarioError(path, f"must be a number of 0 or more, not {text!r}", field=field)
    return value
