"""The five-level party organisation tied to the places tree, its committees and its members.

街道大工委 (street) → 社区党委 (community) → 服务站党总支 (station) → 网格党支部 (grid) → 楼宇党小组 (buildings).
Each level's place column is required at that level and below; a child lies inside its parent's place (checked by
the services, which alone create organisations). A resident is a member of one organisation at a time: one
PartyMember row per resident, moved by approved transfers whose rows are the history."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from jumin.core.models import TimeStampedModel


class OrgLevel(models.TextChoices):
    STREET_COMMITTEE = "street_committee", "街道大工委"
    COMMUNITY_COMMITTEE = "community_committee", "社区党委"
    STATION_BRANCH = "station_branch", "服务站党总支"
    GRID_BRANCH = "grid_branch", "网格党支部"
    BUILDING_GROUP = "building_group", "楼宇党小组"


LEVEL_DEPTH = {level: depth for depth, level in enumerate(OrgLevel.values, start=1)}


class PartyOrg(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    level = models.CharField("层级", max_length=30, choices=OrgLevel.choices)
    # 1 (street) … 5 (building group): a child's depth is its parent's + 1.
    depth = models.PositiveSmallIntegerField("层次")
    name = models.CharField("名称", max_length=100)
    parent = models.ForeignKey(
        "self", verbose_name="上级组织", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    street = models.ForeignKey("places.Street", verbose_name="街道", on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey(
        "places.Community", verbose_name="社区", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey(
        "places.ServiceStation",
        verbose_name="服务站",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    grid = models.ForeignKey(
        "places.Grid", verbose_name="网格", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    buildings = models.ManyToManyField(
        "places.Building", verbose_name="楼栋", through="PartyOrgBuilding", blank=True, related_name="+"
    )

    class Meta:
        ordering = ["depth", "community_id", "name"]
        verbose_name = verbose_name_plural = "党组织"
        indexes = [models.Index(fields=["community", "depth"], name="partyorg_community_depth")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(level="street_committee", depth=1, parent__isnull=True, community__isnull=True)
                    | Q(level="community_committee", depth=2, parent__isnull=False, community__isnull=False)
                    | Q(level="station_branch", depth=3, parent__isnull=False, station__isnull=False)
                    | Q(level="grid_branch", depth=4, parent__isnull=False, grid__isnull=False)
                    | Q(level="building_group", depth=5, parent__isnull=False, grid__isnull=False)
                ),
                name="partyorg_level_shape",
            ),
            models.UniqueConstraint(
                fields=["street"], condition=Q(level="street_committee"), name="partyorg_one_street_committee"
            ),
            models.UniqueConstraint(
                fields=["community"], condition=Q(level="community_committee"), name="partyorg_one_per_community"
            ),
            models.UniqueConstraint(
                fields=["station"], condition=Q(level="station_branch"), name="partyorg_one_per_station"
            ),
            models.UniqueConstraint(fields=["grid"], condition=Q(level="grid_branch"), name="partyorg_one_per_grid"),
            models.UniqueConstraint(fields=["parent", "name"], name="partyorg_unique_child_name"),
        ]

    def __str__(self):
        return self.name

    @property
    def audit_case_id(self):
        return None


class PartyOrgBuilding(models.Model):
    """A building group's buildings: each building belongs to at most one group."""

    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey(PartyOrg, on_delete=models.CASCADE, related_name="org_buildings")
    building = models.OneToOneField("places.Building", on_delete=models.PROTECT, related_name="party_group_link")

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "党小组楼栋"

    def __str__(self):
        return f"{self.org_id}:{self.building_id}"


class PartyOrgRole(models.TextChoices):
    SECRETARY = "secretary", "书记"
    DEPUTY = "deputy", "副书记"
    COMMITTEE = "committee", "委员"
    PART_TIME = "part_time", "兼职委员"


class CommitteeMember(TimeStampedModel):
    """A seat on an organisation's committee: a member of the tree, or a part-time member from a partner unit."""

    org = models.ForeignKey(PartyOrg, verbose_name="党组织", on_delete=models.CASCADE, related_name="committee")
    role = models.CharField("职务", max_length=20, choices=PartyOrgRole.choices)
    member = models.ForeignKey(
        "party.PartyMember",
        verbose_name="党员",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="seats",
    )
    partner_unit = models.ForeignKey(
        "partners.PartnerUnit",
        verbose_name="共建单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_seats",
    )
    name = models.CharField("姓名", max_length=50)
    duty = models.CharField("分工", max_length=100, blank=True)

    class Meta:
        ordering = ["org_id", "role", "id"]
        verbose_name = verbose_name_plural = "党组织委员"
        constraints = [
            models.UniqueConstraint(fields=["org"], condition=Q(role="secretary"), name="committee_one_secretary"),
            models.UniqueConstraint(
                fields=["org", "member"], condition=Q(member__isnull=False), name="committee_member_once"
            ),
            # A part-time member comes from a partner unit; every other seat is held by a member of the tree.
            models.CheckConstraint(
                condition=(
                    Q(role="part_time", partner_unit__isnull=False) | (~Q(role="part_time") & Q(member__isnull=False))
                ),
                name="committee_seat_holder",
            ),
        ]

    def __str__(self):
        return f"{self.org} {self.get_role_display()} {self.name}"


class MemberStanding(models.TextChoices):
    FULL = "full", "正式党员"
    PROBATIONARY = "probationary", "预备党员"


class PartyMember(TimeStampedModel):
    """One row per resident who is (or was) a party member of this tree. `active` false: transferred out."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    # Copied from the resident so a grid worker's scope filters members without a join.
    grid = models.ForeignKey("places.Grid", verbose_name="网格", on_delete=models.PROTECT, related_name="+")
    resident = models.OneToOneField(
        "people.Resident", verbose_name="居民", on_delete=models.PROTECT, related_name="party_member"
    )
    org = models.ForeignKey(PartyOrg, verbose_name="所在党组织", on_delete=models.PROTECT, related_name="members")
    joined_on = models.DateField("入党日期")
    standing = models.CharField("党员类别", max_length=20, choices=MemberStanding.choices, default=MemberStanding.FULL)
    probation_ends = models.DateField("预备期满", null=True, blank=True)
    # 双报到: employed elsewhere, reports to the home community and takes on service tasks there.
    dual_report = models.BooleanField("双报到", default=False)
    workplace = models.CharField("工作单位", max_length=100, blank=True)
    active = models.BooleanField("在册", default=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        ordering = ["org_id", "id"]
        verbose_name = verbose_name_plural = "党员"
        indexes = [
            models.Index(fields=["community", "org"], name="partymember_community_org"),
            models.Index(fields=["community", "grid"], name="partymember_community_grid"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(standing="full", probation_ends__isnull=True)
                | Q(standing="probationary", probation_ends__isnull=False),
                name="partymember_probation_end",
            ),
            models.CheckConstraint(condition=Q(standing__in=MemberStanding.values), name="partymember_standing_valid"),
        ]

    def __str__(self):
        return f"{self.resident_id} @ {self.org_id}"


class TransferKind(models.TextChoices):
    WITHIN = "within", "本街道内转接"
    IN = "in", "转入"
    OUT = "out", "转出"


class TransferStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"


class MemberTransfer(TimeStampedModel):
    """组织关系转接: a request to move a member between organisations (or in from / out to one outside the tree),
    decided by the secretary; approved rows are the member's history."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(PartyMember, verbose_name="党员", on_delete=models.PROTECT, related_name="transfers")
    kind = models.CharField("类型", max_length=10, choices=TransferKind.choices)
    from_org = models.ForeignKey(
        PartyOrg, verbose_name="转出组织", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_org = models.ForeignKey(
        PartyOrg, verbose_name="转入组织", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The organisation outside this tree a member comes from or goes to.
    outside_org = models.CharField("外部党组织", max_length=100, blank=True)
    reason = models.CharField("原因", max_length=200, blank=True)
    status = models.CharField("状态", max_length=20, choices=TransferStatus.choices, default=TransferStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "组织关系转接"
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(status="pending"), name="transfer_one_pending_per_member"
            ),
            models.CheckConstraint(
                condition=Q(kind="within", from_org__isnull=False, to_org__isnull=False)
                | Q(kind="in", to_org__isnull=False)
                | Q(kind="out", from_org__isnull=False, to_org__isnull=True),
                name="transfer_shape",
            ),
        ]

    def __str__(self):
        return f"{self.member_id} {self.get_kind_display()} {self.get_status_display()}"
