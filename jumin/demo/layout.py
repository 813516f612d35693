"""The fixed shape of the demo street: its communities, service stations, grids and compounds.

玉龙湖社区 follows the news report (10 compounds, 2,680 households, 9,380 residents, 瑞恒服务站 and 玉龙湖服务站
with 9 grids); the other six communities and every compound name are made up.
"""

from dataclasses import dataclass
from decimal import Decimal

STREET_NAME = "北镇街道"
STREET_DISTRICT = "滨城区"
STREET_CITY = "滨州市"
DEMO_COMMUNITY = "玉龙湖社区"


@dataclass(frozen=True)
class CompoundSpec:
    name: str
    households: int
    # One or two grid numbers: a compound split between two grids gives the first half of its buildings to the first.
    grids: tuple[int, ...]
    floors: int
    units: tuple[int, int]  # fewest and most units per building


@dataclass(frozen=True)
class StationSpec:
    name: str
    grids: tuple[int, ...]


@dataclass(frozen=True)
class CommunitySpec:
    name: str
    residents: int
    stations: tuple[StationSpec, ...]
    compounds: tuple[CompoundSpec, ...]
    area_km2: Decimal | None = None
    # Share of household heads moved here from demolished villages (棚改搬迁户).
    relocated_share: float = 0.25

    @property
    def households(self) -> int:
        return sum(c.households for c in self.compounds)

    @property
    def grid_numbers(self) -> list[int]:
        return sorted(n for s in self.stations for n in s.grids)


def _c(name: str, households: int, grids: tuple[int, ...], floors: int = 6, units: tuple[int, int] = (2, 3)):
    return CompoundSpec(name, households, grids, floors, units)


COMMUNITIES: tuple[CommunitySpec, ...] = (
    CommunitySpec(
        name=DEMO_COMMUNITY,
        residents=9380,
        area_km2=Decimal("0.75"),
        relocated_share=0.6,
        stations=(StationSpec("瑞恒服务站", (1, 2, 3, 4, 5)), StationSpec("玉龙湖服务站", (6, 7, 8, 9))),
        compounds=(
            _c("瑞恒家园", 600, (1, 2), floors=11, units=(2, 2)),
            _c("瑞恒花苑", 290, (3,)),
            _c("福顺苑", 150, (4,)),
            _c("碧水苑", 140, (4,)),
            _c("湖畔人家", 170, (5,)),
            _c("锦绣家园", 130, (5,)),
            _c("玉龙花园", 590, (6, 7), floors=18, units=(2, 2)),
            _c("龙湖雅居", 160, (8,)),
            _c("阳光新村", 140, (8,)),
            _c("滨湖佳苑", 310, (9,), floors=11, units=(2, 3)),
        ),
    ),
    CommunitySpec(
        name="黄河社区",
        residents=1690,
        stations=(StationSpec("黄河服务站", (1, 2, 3)),),
        compounds=(
            _c("黄河一村", 180, (1,)),
            _c("黄河二村", 170, (2,)),
            _c("河畔小区", 100, (3,)),
            _c("金河苑", 70, (3,)),
        ),
    ),
    CommunitySpec(
        name="渤海社区",
        residents=1480,
        stations=(StationSpec("渤海服务站", (1, 2, 3)),),
        compounds=(
            _c("渤海花园", 280, (1, 2), floors=11, units=(2, 2)),
            _c("海韵小区", 100, (3,)),
            _c("滨海新居", 80, (3,)),
        ),
    ),
    CommunitySpec(
        name="新立社区",
        residents=1250,
        stations=(StationSpec("新立服务站", (1, 2)),),
        compounds=(
            _c("新立家园", 190, (1,)),
            _c("立新小区", 110, (2,)),
            _c("春晖苑", 80, (2,)),
        ),
    ),
    CommunitySpec(
        name="鑫源社区",
        residents=1960,
        stations=(StationSpec("鑫源服务站", (1, 2)), StationSpec("东苑服务站", (3, 4))),
        compounds=(
            _c("鑫源小区", 300, (1, 2)),
            _c("东苑小区", 150, (3,)),
            _c("丰华苑", 90, (4,)),
            _c("桂花园", 60, (4,)),
        ),
    ),
    CommunitySpec(
        name="安居社区",
        residents=960,
        stations=(StationSpec("安居服务站", (1, 2)),),
        compounds=(
            _c("安居小区", 160, (1,)),
            _c("安康苑", 140, (2,)),
        ),
    ),
    CommunitySpec(
        name="文汇社区",
        residents=1380,
        stations=(StationSpec("文汇服务站", (1, 2, 3)),),
        compounds=(
            _c("文汇花园", 150, (1,)),
            _c("书香苑", 140, (2,)),
            _c("文昌小区", 130, (3,)),
        ),
    ),
)
