"""The values of a negotiation: what each refuses at construction, and the field lists derived from them."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given

from negotiation import (
    FORMULATION_FIELDS,
    QUALIFIERS,
    Act,
    Catalogue,
    Formulation,
    ModelError,
    Move,
    Party,
    Term,
    Verb,
)
from negotiation.model import ACT_FIELDS, SUBSTANCE
from negotiation.testing.strategies import catalogues, formulations
from negotiation.vocabulary import VIEWS, WORDING_VERBS

# -- the field lists are the model's own fields --------------------------------------------------


def test_the_act_fields_that_formulate_are_the_formulation_fields_under_the_acts_names() -> None:
    """An act states a formulation in its own fields: `wording` for the text, the same qualifiers."""
    formulation = [f.name for f in attrs.fields(Formulation)]
    assert ("wording", *QUALIFIERS, "conditions") == FORMULATION_FIELDS
    assert QUALIFIERS == ("scope", "verification", "timing", "confidentiality")
    assert ("text", *QUALIFIERS, "conditions") == SUBSTANCE
    assert set(FORMULATION_FIELDS) <= set(ACT_FIELDS)
    assert set(SUBSTANCE) | {"quote", "move"} == set(formulation)


@pytest.mark.parametrize("field", FORMULATION_FIELDS)
def test_any_one_formulation_field_makes_an_act_formulate(field: str) -> None:
    value: object = ("y",) if field == "conditions" else "in writing"
    act = Act(Verb.PROPOSE, term="x", **{field: value})
    assert act.formulates
    assert not Act(Verb.PROPOSE, term="x").formulates


@pytest.mark.parametrize("verb", sorted(set(Verb) - WORDING_VERBS - {Verb.IGNORE}))
@pytest.mark.parametrize("field", ["wording", *QUALIFIERS])
def test_verbs_without_words_refuse_a_wording_or_qualifier(verb: Verb, field: str) -> None:
    with pytest.raises(ModelError, match=f"cannot carry {field}"):
        Act(verb, term="x", **{field: "at once"})


@given(formulations())
def test_formulations_compare_by_substance(f: Formulation) -> None:
    """Two formulations differing only in quote and origin have the same substance."""
    assert attrs.evolve(f, quote="another quote", move="elsewhere").substance == f.substance
    assert f.substance == tuple(getattr(f, name) for name in SUBSTANCE)


def test_a_formulation_lists_its_qualifiers_that_are_set_with_its_conditions() -> None:
    f = Formulation("B does x", timing="within a month", conditions=frozenset({"z", "y"}))
    assert f.qualifiers() == {"timing": "within a month", "conditions": "y, z"}


# -- parties, terms and moves -----------------------------------------------------------------


@pytest.mark.parametrize("name", VIEWS)
def test_the_names_of_views_are_not_party_ids(name: str) -> None:
    """'public' and 'historian' name views of the record; a party by that name would be ambiguous."""
    with pytest.raises(ModelError, match=f"{name!r} names a view of the record, not a party"):
        Party(name)


@pytest.mark.parametrize("bad", ["", "  ", " US", "US\n", "U\tS"])
def test_ids_are_printable_without_surrounding_blanks(bad: str) -> None:
    with pytest.raises(ModelError):
        Party(bad)


def test_a_term_names_an_obligor_and_does_not_relate_to_itself() -> None:
    with pytest.raises(ModelError, match="names no obligor"):
        Term("x", [], "nobody does x")
    with pytest.raises(ModelError, match="requires itself"):
        Term("x", ["A"], "A does x", requires=["x"])
    with pytest.raises(ModelError, match="refines itself"):
        Term("x", ["A"], "A does x", refines="x")


def test_a_move_is_addressed_to_others_once_and_a_private_one_to_somebody() -> None:
    propose = Act(Verb.PROPOSE, term="x")
    with pytest.raises(ModelError, match="has no acts"):
        Move("m", "A", (), ("B",))
    with pytest.raises(ModelError, match="addressed to its own author"):
        Move("m", "A", (propose,), ("A",))
    with pytest.raises(ModelError, match="names an addressee twice"):
        Move("m", "A", (propose,), ("B", "B"))
    with pytest.raises(ModelError, match="a private move needs addressees"):
        Move("m", "A", (propose,), ())
    assert Move("m", "A", (propose,), (), "public").terms == frozenset({"x"})


# -- the catalogue ------------------------------------------------------------------------------


def test_the_catalogue_names_the_known_parties_when_a_term_obliges_an_unknown_one() -> None:
    with pytest.raises(ModelError) as caught:
        Catalogue([Party("A"), Party("Boris")], [Term("x", ["Q"], "Q does x")])
    assert caught.value.problem == "obliges unknown party 'Q'"
    assert caught.value.hint == "known parties: A, Boris"


def test_the_catalogue_refuses_duplicates_and_a_table_without_principals() -> None:
    term = Term("x", ["A"], "A does x")
    with pytest.raises(ModelError, match="party declared twice: A"):
        Catalogue([Party("A"), Party("A")], [term])
    with pytest.raises(ModelError, match="term declared twice: x"):
        Catalogue([Party("A")], [term, term])
    with pytest.raises(ModelError, match="declares no principal"):
        Catalogue([Party("A", role="third")], [term])


def test_conflicts_hold_both_ways_and_requirements_are_indexed_by_what_is_required() -> None:
    cat = Catalogue(
        [Party("A"), Party("B")],
        [
            Term("x", ["B"], "x"),
            Term("w", ["B"], "w", conflicts=["x"]),
            Term("v", ["A"], "v", requires=["x"]),
        ],
    )
    assert cat.conflicts_with == {"x": {"w"}, "w": {"x"}, "v": set()}
    assert cat.required_by == {"x": {"v"}, "w": set(), "v": set()}
    assert cat.principals == ("A", "B")


@given(catalogues(max_terms=8))
def test_generated_catalogues_are_consistent(cat: Catalogue) -> None:
    """Relations the strategy draws point at declared terms, and conflicts are symmetric."""
    for term, others in cat.conflicts_with.items():
        for o in others:
            assert term in cat.conflicts_with[o]
            assert o not in cat.by_id[term].requires
