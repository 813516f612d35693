"""居民议事厅: proposals (议事 → 协调 → 表决 → 实施 → 完成), ballots with a frozen electorate and one vote per household
or person whatever the channel, proxies, objections in the publicity period, and each compound's charter."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from jumin.core.models import TimeStampedModel
from jumin.core.uploads import private_storage


def upload_path(instance, filename):
    return f"deliberation/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.extension}"


class Upload(TimeStampedModel):
    """A photo or scan (proposal photo, progress photo, signed proxy letter, paper ballot scan), private storage;
    served only by views that check who asks."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    file = models.FileField("文件", upload_to=upload_path, storage=private_storage)
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "议事附件"

    def __str__(self):
        return self.name

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}.get(
            self.content_type, "bin"
        )


class DeliberationSettings(TimeStampedModel):
    """Per community: how many supports put a proposal on the secretary's desk, the publicity period after a
    ballot closes, and how many authorisations one proxy may hold."""

    community = models.OneToOneField(
        "places.Community", verbose_name="社区", on_delete=models.CASCADE, related_name="deliberation_settings"
    )
    support_threshold = models.PositiveSmallIntegerField("提交书记的附议人数", default=10)
    publicity_days = models.PositiveSmallIntegerField("公示期(天)", default=7)
    max_proxies = models.PositiveSmallIntegerField("每人最多接受委托数", default=3)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "议事设置"
        constraints = [
            models.CheckConstraint(condition=Q(support_threshold__gte=1), name="settings_threshold_positive"),
            models.CheckConstraint(condition=Q(max_proxies__gte=1, max_proxies__lte=10), name="settings_proxies_1_10"),
        ]

    def __str__(self):
        return f"{self.community_id} 议事设置"


class Stage(models.TextChoices):
    DISCUSSING = "discussing", "议事"
    COORDINATING = "coordinating", "协调"
    VOTING = "voting", "表决"
    IMPLEMENTING = "implementing", "实施"
    DONE = "done", "完成"
    REJECTED = "rejected", "未通过"
    WITHDRAWN = "withdrawn", "撤回"
    MERGED = "merged", "已合并"


OPEN_STAGES = (Stage.DISCUSSING, Stage.COORDINATING, Stage.VOTING, Stage.IMPLEMENTING)


class Category(models.TextChoices):
    PARKING = "parking", "停车"
    FACILITY = "facility", "设施维修"
    PROPERTY = "property", "物业管理"
    ENVIRONMENT = "environment", "环境卫生"
    SAFETY = "safety", "安全"
    OTHER = "other", "其他"


class Proposal(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    compound = models.ForeignKey(
        "places.Compound", verbose_name="范围(小区)", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    title = models.CharField("标题", max_length=100)
    text = models.TextField("内容", max_length=5000)
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices, default=Stage.DISCUSSING)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    proposer_resident = models.ForeignKey(
        "people.Resident", verbose_name="提出居民", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    support_count = models.PositiveIntegerField("附议人数", default=0)
    # Space-separated jieba words of title and text: similar-proposal search with plain LIKE on both databases.
    search_words = models.TextField("检索词", blank=True, editable=False)
    plan = models.TextField("表决方案", max_length=5000, blank=True)
    final_report = models.TextField("完成报告", max_length=5000, blank=True)
    spent_total = models.DecimalField("已支出(元)", max_digits=12, decimal_places=2, default=0)
    merged_into = models.ForeignKey(
        "self", verbose_name="并入", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    photos = models.ManyToManyField(Upload, verbose_name="照片", blank=True, related_name="+")
    stage_changed_at = models.DateTimeField("阶段变更时间", default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "议题"
        indexes = [models.Index(fields=["community", "stage"], name="proposal_community_stage")]
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="proposal_stage_valid"),
            models.CheckConstraint(condition=Q(category__in=Category.values), name="proposal_category_valid"),
            models.CheckConstraint(condition=Q(spent_total__gte=0), name="proposal_spent_not_negative"),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=F("id")), name="proposal_not_merged_into_self"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def scope_label(self) -> str:
        return self.compound.name if self.compound_id else "全社区"


class ProposalSupport(TimeStampedModel):
    """附议: one per resident per proposal (a database rule, so a double tap or a merge never counts twice)."""

    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    proposal = models.ForeignKey(Proposal, verbose_name="议题", on_delete=models.CASCADE, related_name="supports")
    resident = models.ForeignKey("people.Resident", verbose_name="居民", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("people.Household", verbose_name="户", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "附议"
        constraints = [models.UniqueConstraint(fields=["proposal", "resident"], name="support_once_per_resident")]

    def __str__(self):
        return f"{self.proposal_id}/{self.resident_id}"


class ProposalComment(TimeStampedModel):
    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    proposal = models.ForeignKey(Proposal, verbose_name="议题", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发言人", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("意见", max_length=2000)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = verbose_name_plural = "议事意见"

    def __str__(self):
        return self.text[:20]


class ProposalEvent(TimeStampedModel):
    """The proposal's own history: every stage change and every step, in order (also in the audit log)."""

    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    proposal = models.ForeignKey(Proposal, verbose_name="议题", on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    from_stage = models.CharField("原阶段", max_length=20, blank=True)
    to_stage = models.CharField("新阶段", max_length=20, blank=True)
    title = models.CharField("事件", max_length=100)
    note = models.TextField("说明", max_length=5000, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = verbose_name_plural = "议题进程"

    def __str__(self):
        return self.title


class CoordinationMeeting(TimeStampedModel):
    """协调会: property company, partner units and the parties agree the plan put to vote."""

    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    proposal = models.ForeignKey(Proposal, verbose_name="议题", on_delete=models.CASCADE, related_name="meetings")
    held_at = models.DateTimeField("召开时间")
    place = models.CharField("地点", max_length=100)
    parties = models.CharField("参会单位", max_length=300, help_text="如 物业公司、共建单位、居民代表")
    attendance = models.CharField("出席情况", max_length=500)
    minutes = models.TextField("会议纪要", max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["held_at", "id"]
        verbose_name = verbose_name_plural = "协调会议"

    def __str__(self):
        return f"{self.proposal_id} {self.held_at:%Y-%m-%d}"


class ProgressUpdate(TimeStampedModel):
    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    proposal = models.ForeignKey(Proposal, verbose_name="议题", on_delete=models.CASCADE, related_name="progress")
    text = models.TextField("进展", max_length=5000)
    amount = models.DecimalField("本次支出(元)", max_digits=12, decimal_places=2, default=0)
    photo = models.ForeignKey(
        Upload, verbose_name="照片", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = verbose_name_plural = "实施进展"
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="progress_amount_not_negative")]

    def __str__(self):
        return self.text[:20]


# ---- ballots -------------------------------------------------------------------------------------------------------


class Electorate(models.TextChoices):
    HOUSEHOLD = "household", "每户一票"
    PERSON = "person", "每位成年居民一票"


class Rule(models.TextChoices):
    MAJORITY = "majority", "过半数同意"
    TWO_THIRDS = "two_thirds", "三分之二以上同意"
    CIVIL_CODE_278 = "civil_code_278", "民法典第278条(一般事项)"
    CIVIL_CODE_278_MAJOR = "civil_code_278_major", "民法典第278条(重大事项)"


class BallotStatus(models.TextChoices):
    SCHEDULED = "scheduled", "未开始"
    OPEN = "open", "投票中"
    CLOSED = "closed", "已截止(公示中)"
    FINAL = "final", "结果生效"
    ANNULLED = "annulled", "异议成立,结果作废"


class Ballot(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    compound = models.ForeignKey(
        "places.Compound", verbose_name="范围(小区)", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposal = models.ForeignKey(
        Proposal, verbose_name="议题", null=True, blank=True, on_delete=models.PROTECT, related_name="ballots"
    )
    charter_version = models.OneToOneField(
        "CharterVersion",
        verbose_name="公约版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ballot",
    )
    question = models.CharField("表决事项", max_length=200)
    electorate = models.CharField("投票权", max_length=20, choices=Electorate.choices)
    multiple = models.BooleanField("可多选", default=False)
    secret = models.BooleanField("无记名投票", default=False)
    rule = models.CharField("通过规则", max_length=30, choices=Rule.choices, default=Rule.MAJORITY)
    quorum = models.DecimalField("法定参与比例", max_digits=4, decimal_places=3, default=0)
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("截止时间")
    status = models.CharField("状态", max_length=20, choices=BallotStatus.choices, default=BallotStatus.SCHEDULED)
    electorate_size = models.PositiveIntegerField("选民数", default=0)
    electorate_area = models.DecimalField("选民专有面积合计", max_digits=12, decimal_places=2, default=0)
    publicity_ends_at = models.DateTimeField("公示期截止", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = verbose_name_plural = "表决"
        indexes = [models.Index(fields=["community", "status"], name="ballot_community_status")]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="ballot_closes_after_opening"),
            models.CheckConstraint(condition=Q(quorum__gte=0, quorum__lte=1), name="ballot_quorum_0_1"),
            models.CheckConstraint(condition=Q(status__in=BallotStatus.values), name="ballot_status_valid"),
            models.CheckConstraint(condition=Q(rule__in=Rule.values), name="ballot_rule_valid"),
            models.CheckConstraint(condition=Q(electorate__in=Electorate.values), name="ballot_electorate_valid"),
        ]

    def __str__(self):
        return self.question

    @property
    def scope_label(self) -> str:
        return self.compound.name if self.compound_id else "全社区"

    @property
    def is_civil_code(self) -> bool:
        return self.rule in (Rule.CIVIL_CODE_278, Rule.CIVIL_CODE_278_MAJOR)


class BallotOption(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="options")
    code = models.CharField("代码", max_length=20)
    label = models.CharField("选项", max_length=100)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = verbose_name_plural = "表决选项"
        constraints = [models.UniqueConstraint(fields=["ballot", "code"], name="option_code_unique_per_ballot")]

    def __str__(self):
        return self.label


class Elector(models.Model):
    """The frozen roll: who may vote, taken from the register at the moment the ballot opened; votes hang off it.
    One row per 在册 household (one vote per household), per adult resident (one per person), or, for a
    民法典 第278条 ballot, per 专有部分: a dwelling with registered owners, household and resident empty. `owners`
    freezes the owners' names at the opening: an owner added later gains no vote, one removed keeps it."""

    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="electors")
    household = models.ForeignKey("people.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey("people.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    dwelling = models.ForeignKey("places.Dwelling", on_delete=models.PROTECT, related_name="+")
    building = models.ForeignKey("places.Building", on_delete=models.PROTECT, related_name="+")
    floor_area = models.DecimalField("专有面积", max_digits=8, decimal_places=2, default=0)
    owners = models.CharField("产权人", max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "选民名册"
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "household"],
                condition=Q(resident__isnull=True, household__isnull=False),
                name="elector_household_once",
            ),
            models.UniqueConstraint(
                fields=["ballot", "resident"], condition=Q(resident__isnull=False), name="elector_resident_once"
            ),
            models.UniqueConstraint(
                fields=["ballot", "dwelling"],
                condition=Q(household__isnull=True, resident__isnull=True),
                name="elector_dwelling_once",
            ),
            models.CheckConstraint(
                condition=Q(household__isnull=False) | Q(resident__isnull=True), name="elector_resident_has_household"
            ),
        ]

    def __str__(self):
        return f"{self.ballot_id}/{self.household_id or self.dwelling_id}/{self.resident_id}"

    @property
    def is_dwelling(self) -> bool:
        """A 第278条 elector: the owners of one 专有部分."""
        return self.household_id is None

    @property
    def owner_names(self) -> list[str]:
        return [n for n in self.owners.split(OWNER_SEPARATOR) if n]


OWNER_SEPARATOR = "、"


class Channel(models.TextChoices):
    ONLINE = "online", "网上投票"
    PAPER = "paper", "纸质选票"
    PROXY = "proxy", "委托投票"


class Vote(TimeStampedModel):
    """One cast vote per elector, whatever the channel: the unique constraint is the rule. The choice is never
    shown to anyone but the voter when the ballot is secret (not in lists, exports, the audit log or the API)."""

    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    elector = models.ForeignKey(Elector, on_delete=models.PROTECT, related_name="votes")
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    choices = models.JSONField("选择", default=list)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    voter = models.ForeignKey(
        "people.Resident", verbose_name="投票人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    scan = models.ForeignKey(
        Upload, verbose_name="选票扫描件", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "投票记录"
        constraints = [
            models.UniqueConstraint(fields=["elector"], name="vote_once_per_elector"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="vote_channel_valid"),
        ]

    def __str__(self):
        return f"{self.ballot_id}/{self.elector_id}"


class ProxyStatus(models.TextChoices):
    PENDING = "pending", "待核实"
    VERIFIED = "verified", "已核实"
    REJECTED = "rejected", "未通过核实"


class Proxy(TimeStampedModel):
    """委托投票: an elector authorises another resident of the community for one ballot with a signed letter.
    `slot` numbers a proxy's authorisations 1..N: the unique constraint makes "at most N" hold under races."""

    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="proxies")
    elector = models.ForeignKey(Elector, on_delete=models.PROTECT, related_name="proxies")
    grantor = models.ForeignKey("people.Resident", verbose_name="委托人", on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey("people.Resident", verbose_name="受托人", on_delete=models.PROTECT, related_name="+")
    slot = models.PositiveSmallIntegerField("受托序号")
    letter = models.ForeignKey(Upload, verbose_name="委托书", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=20, choices=ProxyStatus.choices, default=ProxyStatus.PENDING)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核实人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "委托投票"
        constraints = [
            models.UniqueConstraint(fields=["elector"], name="proxy_once_per_elector"),
            models.UniqueConstraint(fields=["ballot", "holder", "slot"], name="proxy_holder_slot_unique"),
            models.CheckConstraint(condition=Q(slot__gte=1, slot__lte=10), name="proxy_slot_1_10"),
            models.CheckConstraint(condition=~Q(grantor=F("holder")), name="proxy_not_self"),
        ]

    def __str__(self):
        return f"{self.grantor_id}→{self.holder_id}"


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", "待处理"
    UPHELD = "upheld", "异议成立"
    DISMISSED = "dismissed", "异议不成立"


class Objection(TimeStampedModel):
    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="objections")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("异议内容", max_length=2000)
    status = models.CharField("状态", max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING)
    reply = models.TextField("处理意见", max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "公示异议"

    def __str__(self):
        return self.text[:20]


# ---- charters ------------------------------------------------------------------------------------------------------


class Charter(TimeStampedModel):
    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    compound = models.OneToOneField(
        "places.Compound", verbose_name="小区", on_delete=models.PROTECT, related_name="charter"
    )
    title = models.CharField("名称", max_length=100)

    class Meta:
        ordering = ["compound_id"]
        verbose_name = verbose_name_plural = "小区自治公约"

    def __str__(self):
        return self.title


class CharterStatus(models.TextChoices):
    DRAFT = "draft", "草案"
    VOTING = "voting", "表决中"
    ADOPTED = "adopted", "现行有效"
    SUPERSEDED = "superseded", "已被新版替代"
    REJECTED = "rejected", "未通过"


class CharterVersion(TimeStampedModel):
    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    charter = models.ForeignKey(Charter, verbose_name="公约", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("版本号")
    text = models.TextField("公约正文", max_length=20000)
    powers = models.TextField("授权事项", max_length=5000, help_text="公约授予谁哪些权力,每行一条,如:小区理事会:…")
    change_note = models.CharField("修改说明", max_length=200, blank=True)
    status = models.CharField("状态", max_length=20, choices=CharterStatus.choices, default=CharterStatus.DRAFT)
    adopted_at = models.DateTimeField("通过时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["charter_id", "number"]
        verbose_name = verbose_name_plural = "公约版本"
        constraints = [
            models.UniqueConstraint(fields=["charter", "number"], name="charter_version_number_unique"),
            models.UniqueConstraint(
                fields=["charter"], condition=Q(status="adopted"), name="charter_one_adopted_version"
            ),
        ]

    def __str__(self):
        return f"{self.charter_id} 第{self.number}版"


class HouseholdDelegate(TimeStampedModel):
    """The member a household designates to vote for it (otherwise any adult member may)."""

    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    household = models.OneToOneField("people.Household", on_delete=models.CASCADE, related_name="vote_delegate")
    resident = models.ForeignKey(
        "people.Resident", verbose_name="代表投票的成员", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "户投票代表"

    def __str__(self):
        return f"{self.household_id}→{self.resident_id}"
