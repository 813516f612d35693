"""Load the whole demo street in one transaction: places, households, residents, tags and demo accounts."""

import datetime
import random
from dataclasses import dataclass
from functools import lru_cache

from django.db import transaction
from django.utils import timezone

from jumin.people import idcard
from jumin.people.models import Household, Resident, ResidentTag, Tag
from jumin.people.services import name_pinyin
from jumin.people.tags import ensure_default_tags
from jumin.places.models import Community, Street

from .accounts import check_demo_password_allowed, check_phones_free, create_demo_accounts
from .layout import COMMUNITIES, STREET_CITY, STREET_DISTRICT, STREET_NAME
from .people import HouseholdPlan, PersonPlan, PopulationGenerator
from .places import CommunityPlaces, Home, build_community
from .showcase import hand_cases_to_demo_residents

# 10月24日: the day the report says 玉龙湖社区 opened.
DEFAULT_SEED = 1024
# Households written per round trip; keeps memory flat at --scale 10.
BATCH = 1000

_pinyin = lru_cache(maxsize=None)(name_pinyin)


@dataclass(frozen=True)
class CommunityTotals:
    name: str
    households: int
    residents: int


def load_demo(*, scale: int = 1, seed: int = DEFAULT_SEED, today: datetime.date | None = None) -> list[CommunityTotals]:
    """Build the street from scratch; the caller makes sure the database holds no communities yet."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    check_demo_password_allowed()
    today = today or timezone.localdate()
    people = PopulationGenerator(seed=seed, today=today)
    # Places draw from their own stream, so the population does not shift when the layout changes.
    place_rng = random.Random(seed + 1)
    totals = []
    with transaction.atomic():
        check_phones_free()
        tags = ensure_default_tags()
        street, _ = Street.objects.get_or_create(
            name=STREET_NAME, defaults={"district": STREET_DISTRICT, "city": STREET_CITY}
        )
        for spec in COMMUNITIES:
            places = build_community(street, spec, scale=scale, rng=place_rng)
            plans = people.households(
                spec.households * scale, spec.residents * scale, relocated_share=spec.relocated_share
            )
            _write_households(places, plans, tags)
            totals.append(CommunityTotals(spec.name, len(plans), sum(len(p.members) for p in plans)))
        create_demo_accounts(today=today)
        run_demo_steps(seed=seed)
        hand_cases_to_demo_residents()
    return totals


def run_demo_steps(*, seed: int) -> list[str]:
    """Let each app add its demo rows (cases, catalogues …) once the people and accounts exist."""
    from jumin.core.registry import registry

    communities = list(Community.objects.order_by("id"))
    showcase = next(c for c in communities if c.name == COMMUNITIES[0].name)
    lines = []
    for step in sorted(registry.demo_steps, key=lambda s: s.order):
        rng = random.Random(f"{seed}:{step.label}")
        for community in communities if step.every_community else [showcase]:
            lines.append(f"{community.name} · {step.label}:{step.fn(community, rng, timezone.now())}")
    return lines


def _write_households(places: CommunityPlaces, plans: list[HouseholdPlan], tags: dict[str, Tag]) -> None:
    community = places.community
    pairs = list(zip(places.homes, plans, strict=True))
    for start in range(0, len(pairs), BATCH):
        batch = pairs[start : start + BATCH]
        households = Household.objects.bulk_create(
            [_household(community, home, plan) for home, plan in batch], batch_size=500
        )
        residents, people = [], []
        for household, (_, plan) in zip(households, batch, strict=True):
            for person in plan.members:
                residents.append(_resident(household, person))
                people.append(person)
        Resident.objects.bulk_create(residents, batch_size=500)
        resident_tags = [
            ResidentTag(community=community, resident=resident, tag=tags[code])
            for resident, person in zip(residents, people, strict=True)
            for code in person.tags
        ]
        ResidentTag.objects.bulk_create(resident_tags, batch_size=500)


def _household(community: Community, home: Home, plan: HouseholdPlan) -> Household:
    return Household(
        community=community,
        grid_id=home.grid_id,
        compound_id=home.compound_id,
        dwelling_id=home.dwelling_id,
        head_name=plan.head.name,
        member_count=len(plan.members),
    )


def _resident(household: Household, person: PersonPlan) -> Resident:
    number = person.id_number
    return Resident(
        community_id=household.community_id,
        household=household,
        grid_id=household.grid_id,
        name=person.name,
        name_pinyin=_pinyin(person.name),
        relationship=person.relationship,
        gender=person.gender,
        birth_date=person.birth_date,
        id_number=number,
        id_hash=idcard.blind_index(number),
        id_masked=idcard.mask(number),
        id_tail=number[-4:],
        phone=person.phone,
    )
