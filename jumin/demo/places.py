"""Create one demo community's places: stations, grids, compounds, buildings, units and dwellings."""

import math
import random
from dataclasses import dataclass

from jumin.places.models import (
    Building,
    Community,
    Compound,
    Dwelling,
    Grid,
    ServiceStation,
    Street,
    Unit,
    dwelling_address,
)

from .layout import CommunitySpec, CompoundSpec

# Share of dwellings with someone registered in them; the rest are empty or let to people registered elsewhere.
OCCUPANCY = 0.9
DWELLINGS_PER_FLOOR = 2


@dataclass(frozen=True, slots=True)
class Home:
    """An occupied dwelling, with what a household there needs to know about where it is."""

    dwelling_id: int
    grid_id: int
    compound_id: int


@dataclass(slots=True)
class CommunityPlaces:
    community: Community
    grids: dict[int, Grid]
    homes: list[Home]


def build_community(street: Street, spec: CommunitySpec, *, scale: int, rng: random.Random) -> CommunityPlaces:
    community = Community.objects.create(street=street, name=spec.name, area_km2=spec.area_km2)
    grids = {}
    for station_spec in spec.stations:
        station = ServiceStation.objects.create(community=community, name=station_spec.name)
        for number in station_spec.grids:
            grids[number] = Grid(community=community, station=station, number=number, name=f"第{number}网格")
    Grid.objects.bulk_create(grids.values())
    compounds = Compound.objects.bulk_create([Compound(community=community, name=c.name) for c in spec.compounds])

    homes = []
    for compound, compound_spec in zip(compounds, spec.compounds, strict=True):
        homes += _build_compound(community, compound, compound_spec, grids, scale=scale, rng=rng)
    return CommunityPlaces(community=community, grids=grids, homes=homes)


def _build_compound(community, compound, spec: CompoundSpec, grids, *, scale: int, rng: random.Random) -> list[Home]:
    households = spec.households * scale
    wanted = math.ceil(households / OCCUPANCY)
    # Plan buildings as unit counts until there is room for everyone.
    plan = []
    while sum(plan) * spec.floors * DWELLINGS_PER_FLOOR < wanted:
        plan.append(rng.randint(*spec.units))
    capacity = sum(plan) * spec.floors * DWELLINGS_PER_FLOOR

    buildings = []
    for index in range(len(plan)):
        # A compound split between two grids gives the first half of its dwellings to the first grid.
        share = sum(plan[:index]) / sum(plan)
        number = spec.grids[min(len(spec.grids) - 1, int(share * len(spec.grids)))]
        buildings.append(Building(community=community, compound=compound, grid=grids[number], name=f"{index + 1}号楼"))
    Building.objects.bulk_create(buildings)

    units = [
        Unit(community=community, building=building, name=f"{u + 1}单元")
        for building, count in zip(buildings, plan, strict=True)
        for u in range(count)
    ]
    Unit.objects.bulk_create(units)

    dwellings = []
    for unit in units:
        for floor in range(1, spec.floors + 1):
            for position in range(1, DWELLINGS_PER_FLOOR + 1):
                number = f"{floor}{position:02d}"
                address = dwelling_address(compound.name, unit.building.name, unit.name, number)
                dwellings.append(Dwelling(community=community, unit=unit, number=number, address=address))
    Dwelling.objects.bulk_create(dwellings, batch_size=500)

    occupied = sorted(rng.sample(range(capacity), households))
    return [
        Home(dwelling_id=dwellings[i].pk, grid_id=dwellings[i].unit.building.grid_id, compound_id=compound.pk)
        for i in occupied
    ]
