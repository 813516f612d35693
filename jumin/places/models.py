"""Street → community → service station → grid; compound → building → unit → dwelling.

Every row below the community carries `community_id` directly: scoping filters on it without joins and it
is the tenant key a sharded PostgreSQL would distribute by.
"""

import uuid

from django.db import models

from jumin.core.models import TimeStampedModel


class Street(TimeStampedModel):
    name = models.CharField("名称", max_length=50, unique=True)
    district = models.CharField("区县", max_length=50, blank=True)
    city = models.CharField("城市", max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "街道"

    def __str__(self):
        return self.name


class Community(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    street = models.ForeignKey(Street, verbose_name="街道", on_delete=models.PROTECT, related_name="communities")
    name = models.CharField("名称", max_length=50)
    area_km2 = models.DecimalField("面积(平方公里)", max_digits=6, decimal_places=2, null=True, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    # Bumped whenever its compounds, grids or buildings change (places.signals), or the tags: cached answers that
    # depend on them (the list filters) carry it in their key, so every server process sees the change at once.
    places_version = models.PositiveIntegerField("地点版本", default=1, editable=False)

    class Meta:
        ordering = ["street", "name"]
        verbose_name = verbose_name_plural = "社区"
        constraints = [models.UniqueConstraint(fields=["street", "name"], name="community_unique_name")]

    def __str__(self):
        return self.name


class ServiceStation(TimeStampedModel):
    community = models.ForeignKey(Community, verbose_name="社区", on_delete=models.PROTECT, related_name="stations")
    name = models.CharField("名称", max_length=50)

    class Meta:
        ordering = ["community", "name"]
        verbose_name = verbose_name_plural = "服务站"
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="station_unique_name")]

    def __str__(self):
        return self.name


class Grid(TimeStampedModel):
    community = models.ForeignKey(Community, verbose_name="社区", on_delete=models.PROTECT, related_name="grids")
    station = models.ForeignKey(ServiceStation, verbose_name="服务站", on_delete=models.PROTECT, related_name="grids")
    number = models.PositiveSmallIntegerField("网格号")
    name = models.CharField("名称", max_length=50)

    class Meta:
        ordering = ["community", "number"]
        verbose_name = verbose_name_plural = "网格"
        constraints = [models.UniqueConstraint(fields=["community", "number"], name="grid_unique_number")]

    def __str__(self):
        return self.name


class Compound(TimeStampedModel):
    # Public address of a compound (ballot and proposal scopes in the API, the public board).
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey(Community, verbose_name="社区", on_delete=models.PROTECT, related_name="compounds")
    name = models.CharField("名称", max_length=50)
    address = models.CharField("地址", max_length=200, blank=True)

    class Meta:
        ordering = ["community", "name"]
        verbose_name = verbose_name_plural = "小区"
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="compound_unique_name")]

    def __str__(self):
        return self.name


class Building(TimeStampedModel):
    community = models.ForeignKey(Community, verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    compound = models.ForeignKey(Compound, verbose_name="小区", on_delete=models.PROTECT, related_name="buildings")
    grid = models.ForeignKey(Grid, verbose_name="网格", on_delete=models.PROTECT, related_name="buildings")
    name = models.CharField("楼栋", max_length=20, help_text="如 3号楼")

    class Meta:
        ordering = ["compound", "name"]
        verbose_name = verbose_name_plural = "楼栋"
        constraints = [models.UniqueConstraint(fields=["compound", "name"], name="building_unique_name")]

    def __str__(self):
        return f"{self.compound.name}{self.name}"


class Unit(TimeStampedModel):
    community = models.ForeignKey(Community, verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    building = models.ForeignKey(Building, verbose_name="楼栋", on_delete=models.PROTECT, related_name="units")
    name = models.CharField("单元", max_length=20, help_text="如 1单元")

    class Meta:
        ordering = ["building", "name"]
        verbose_name = verbose_name_plural = "单元"
        constraints = [models.UniqueConstraint(fields=["building", "name"], name="unit_unique_name")]

    def __str__(self):
        return self.name


class DwellingKind(models.TextChoices):
    RESIDENTIAL = "residential", "住宅"
    SHOP = "shop", "商铺"
    OFFICE = "office", "办公"
    GARAGE = "garage", "车库"
    OTHER = "other", "其他"


class Dwelling(TimeStampedModel):
    community = models.ForeignKey(Community, verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name="单元", on_delete=models.PROTECT, related_name="dwellings")
    number = models.CharField("房号", max_length=20, help_text="如 302")
    # Denormalised so the address prints without walking the tree: "玉龙花园3号楼1单元302室" (see dwelling_address).
    address = models.CharField("门牌", max_length=120, editable=False)
    # 专有部分面积: what the owners' rule of 民法典 第278条 weighs votes by (deliberation ballots).
    floor_area = models.DecimalField("专有部分面积(㎡)", max_digits=8, decimal_places=2, null=True, blank=True)
    kind = models.CharField("房屋类型", max_length=20, choices=DwellingKind.choices, default=DwellingKind.RESIDENTIAL)

    class Meta:
        ordering = ["unit", "number"]
        verbose_name = verbose_name_plural = "房屋"
        constraints = [models.UniqueConstraint(fields=["unit", "number"], name="dwelling_unique_number")]

    def __str__(self):
        return self.address


class DwellingOwner(TimeStampedModel):
    """产权人 of a dwelling as the places import records them (one or more): the owners a 民法典 第278条 ballot counts."""

    community = models.ForeignKey(Community, verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    dwelling = models.ForeignKey(Dwelling, verbose_name="房屋", on_delete=models.CASCADE, related_name="owners")
    name = models.CharField("产权人", max_length=50)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["dwelling", "position", "id"]
        verbose_name = verbose_name_plural = "产权人"
        constraints = [models.UniqueConstraint(fields=["dwelling", "name"], name="dwelling_owner_unique_name")]

    def __str__(self):
        return self.name


def dwelling_address(compound_name: str, building_name: str, unit_name: str, number: str) -> str:
    """The text stored in Dwelling.address: "玉龙花园3号楼1单元302室"."""
    return f"{compound_name}{building_name}{unit_name}{number}室"
