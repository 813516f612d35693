"""The population generator on its own: no database."""

import datetime
import random

from jumin.demo.layout import COMMUNITIES, DEMO_COMMUNITY
from jumin.demo.names import REAL_NAMES
from jumin.demo.people import (
    RESERVED_PHONE_PREFIX,
    IdNumbers,
    PopulationGenerator,
    household_sizes,
)
from jumin.people import idcard
from jumin.people.models import Relationship

TODAY = datetime.date(2026, 3, 1)


def _first_names(seed: int, count: int = 20) -> list[str]:
    generator = PopulationGenerator(seed=seed, today=TODAY)
    people = [p for h in generator.households(10, 35, relocated_share=0.6) for p in h.members]
    return [p.name for p in people[:count]]


def test_same_seed_gives_the_same_people():
    assert _first_names(7) == _first_names(7)
    assert len(_first_names(7)) == 20


def test_another_seed_gives_other_people():
    assert _first_names(7) != _first_names(8)


def test_household_sizes_add_up_exactly():
    sizes = household_sizes(random.Random(1), 2680, 9380)
    assert len(sizes) == 2680
    assert sum(sizes) == 9380
    assert min(sizes) >= 1
    assert max(sizes) <= 7


def test_layout_matches_the_report():
    yulonghu = next(c for c in COMMUNITIES if c.name == DEMO_COMMUNITY)
    assert len(COMMUNITIES) == 7
    assert (len(yulonghu.compounds), yulonghu.households, yulonghu.residents) == (10, 2680, 9380)
    assert yulonghu.grid_numbers == list(range(1, 10))
    for community in COMMUNITIES:
        assert all(1 <= len(c.grids) <= 2 for c in community.compounds)
        assert {n for c in community.compounds for n in c.grids} == set(community.grid_numbers)


def test_families_fit_together():
    generator = PopulationGenerator(seed=3, today=TODAY)
    for household in generator.households(500, 1750, relocated_share=0.6):
        head, *others = household.members
        assert head.relationship == Relationship.HEAD
        assert all(p.relationship != Relationship.HEAD for p in others)
        head_age = generator.age(head)
        for person in others:
            age = generator.age(person)
            if person.relationship == Relationship.PARENT:
                assert age >= head_age + 20
            if person.relationship == Relationship.GRANDCHILD:
                assert age <= head_age - 36
            if person.relationship == Relationship.SPOUSE:
                assert age >= 20
                assert person.gender != head.gender


def test_ids_are_valid_and_match_birth_and_gender():
    generator = PopulationGenerator(seed=5, today=TODAY)
    people = [p for h in generator.households(1000, 3500, relocated_share=0.6) for p in h.members]
    for person in people:
        _, birth, gender = idcard.parse(person.id_number)
        assert (birth, gender) == (person.birth_date, person.gender)
    assert len({p.id_number for p in people}) == len(people)


def test_ids_stay_unique_when_many_share_a_birthday():
    ids = IdNumbers(random.Random(1))
    birth = datetime.date(1960, 1, 1)
    numbers = [ids.allocate(birth, "M") for _ in range(1500)]
    assert len(set(numbers)) == 1500
    assert all(idcard.parse(n)[2] == "M" for n in numbers)


def test_phones_avoid_the_demo_account_range_and_names_avoid_real_people():
    generator = PopulationGenerator(seed=11, today=TODAY)
    people = [p for h in generator.households(2000, 7000, relocated_share=0.6) for p in h.members]
    phones = [p.phone for p in people if p.phone]
    assert len(set(phones)) == len(phones)
    assert not [p for p in phones if p.startswith(RESERVED_PHONE_PREFIX)]
    assert all(p[:2] in {"13", "15", "18"} and len(p) == 11 for p in phones)
    assert not {p.name for p in people} & REAL_NAMES
