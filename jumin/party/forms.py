import datetime
from decimal import Decimal

from django import forms

from jumin.core.forms import Form

from .models import CareKind, Category, MemberStanding, PartyOrgRole, TransferKind
from .services import MAX_PHOTOS, STAFF_CHANNELS


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several image files from one <input type=file multiple>; the service checks their real type and size."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(f"最多上传 {MAX_PHOTOS} 张照片")
        clean_one = super().clean
        return [clean_one(f, initial) for f in files]


class OpinionForm(Form):
    title = forms.CharField(
        label="标题",
        max_length=100,
        help_text="一句话说清楚,如“3号楼下水道堵塞”",
        error_messages={"required": "请填写标题", "max_length": "标题不能超过 100 个字"},
    )
    category = forms.ChoiceField(
        label="类别",
        choices=[("", "请选择类别"), *Category.choices],
        error_messages={"required": "请选择类别", "invalid_choice": "请选择列表中的类别"},
    )
    text = forms.CharField(
        label="内容",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="在哪里、什么情况、持续多久、希望怎么解决",
        error_messages={"required": "请填写内容", "max_length": "内容不能超过 2000 个字"},
    )
    photos = PhotosField(
        label="照片", required=False, help_text=f"可选,最多 {MAX_PHOTOS} 张,JPG、PNG 或 WEBP,每张不超过 5 MB"
    )
    allow_public = forms.BooleanField(
        label="同意匿名公开",
        required=False,
        help_text="办结后,隐去姓名和住址,把问题和答复展示在社区公开栏",
    )

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("请填写标题")
        return title

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("请填写内容")
        return text


class OfficeOpinionForm(OpinionForm):
    """代录: the same fields, plus whom it is for and how it came in."""

    resident = forms.ChoiceField(
        label="居民",
        error_messages={"required": "请选择居民", "invalid_choice": "请选择居民(先按姓名、拼音或身份证后四位查找)"},
    )
    channel = forms.ChoiceField(
        label="登记渠道",
        choices=[(c.value, c.label) for c in STAFF_CHANNELS],
        error_messages={"required": "请选择登记渠道", "invalid_choice": "请选择列表中的登记渠道"},
    )
    q = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = ["resident", "channel", "title", "category", "text", "photos", "allow_public"]

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(r.uuid): r for r in candidates}
        self.fields["resident"].choices = [
            ("", "请选择居民" if candidates else "请先查找居民"),
            *[(key, f"{r.name} · {r.household.dwelling.address}") for key, r in self.candidates.items()],
        ]
        self.fields["allow_public"].label = "居民同意匿名公开"

    def clean_resident(self):
        return self.candidates[self.cleaned_data["resident"]]


class OpinionFilterForm(Form):
    """The list's filter bar; unknown values are dropped rather than shown as errors."""

    q = forms.CharField(required=False)
    status = forms.ChoiceField(required=False)
    category = forms.ChoiceField(required=False, choices=[("", "全部类别"), *Category.choices])
    grid = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)

    def __init__(self, *args, statuses=(), grids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "全部状态"), *((s.code, s.label) for s in statuses)]
        self.fields["grid"].choices = [("", "全部网格"), *((str(g.id), g.name) for g in grids)]

    def filters(self) -> dict:
        self.is_valid()
        return {key: self.cleaned_data.get(key) or None for key in self.fields}


# ---- the organisation ------------------------------------------------------------------------------------------

YES_NO = [("", "全部"), ("1", "是"), ("0", "否")]


def offer(form, field: str, rows, label) -> dict:
    """Offer `rows` as the choices of `field`, keyed by uuid; the form's clean_<field> maps the key back."""
    options = {str(r.uuid): r for r in rows}
    form.fields[field].choices = [("", "请选择")] + [(key, label(r)) for key, r in options.items()]
    return options


def member_label(m) -> str:
    return f"{m.resident.name}({m.org.name})"


def _flag(value: str):
    return {"1": True, "0": False}.get(value)


class RosterFilterForm(Form):
    q = forms.CharField(required=False, max_length=50)
    standing = forms.ChoiceField(label="党员类别", required=False, choices=[("", "全部"), *MemberStanding.choices])
    elderly = forms.ChoiceField(label="60岁以上", required=False, choices=YES_NO)
    dual_report = forms.ChoiceField(label="双报到", required=False, choices=YES_NO)

    def filters(self) -> dict:
        if not self.is_valid():
            return {"q": "", "standing": None, "elderly": None, "dual_report": None}
        data = self.cleaned_data
        return {
            "q": data["q"],
            "standing": data["standing"] or None,
            "elderly": _flag(data["elderly"]),
            "dual_report": _flag(data["dual_report"]),
        }


class DateInput(forms.DateInput):
    """<input type=date> wants ISO dates: the zh-hans format (2026/12/02) would show as blank."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class EnrolForm(Form):
    resident = forms.ChoiceField(label="居民", error_messages={"required": "请先查找并选择居民"})
    joined_on = forms.DateField(
        label="入党日期", widget=DateInput, error_messages={"required": "请填写入党日期", "invalid": "请填写正确的日期"}
    )
    standing = forms.ChoiceField(label="党员类别", choices=MemberStanding.choices, initial=MemberStanding.FULL)
    probation_ends = forms.DateField(
        label="预备期满",
        required=False,
        widget=DateInput,
        help_text="预备党员填写",
        error_messages={"invalid": "请填写正确的日期"},
    )
    dual_report = forms.BooleanField(label="双报到(在外单位工作,到社区报到服务)", required=False)
    workplace = forms.CharField(label="工作单位", max_length=100, required=False)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = offer(self, "resident", candidates, lambda r: f"{r.name}({r.id_masked})")

    def clean_resident(self):
        return self.candidates[self.cleaned_data["resident"]]


class TransferInForm(EnrolForm):
    """接收转入: a member arriving from a party organisation outside this street (the resident is registered first)."""

    outside_org = forms.CharField(
        label="原所在党组织",
        max_length=100,
        help_text="如:滨州市滨城区某某街道某某社区党委",
        error_messages={"required": "请填写原所在的党组织", "max_length": "不能超过 100 个字"},
    )
    reason = forms.CharField(label="转入原因", max_length=200, required=False, help_text="如:迁入本社区居住")

    field_order = ["resident", "outside_org", "joined_on", "standing", "probation_ends", "dual_report", "workplace"]


class CommitteeForm(Form):
    """任命书记、副书记或委员 from the organisation's own members (part-time members come from partner units)."""

    role = forms.ChoiceField(
        label="职务",
        choices=[(r.value, r.label) for r in PartyOrgRole if r != PartyOrgRole.PART_TIME],
        error_messages={"required": "请选择职务", "invalid_choice": "请选择列表中的职务"},
    )
    member = forms.ChoiceField(
        label="党员", error_messages={"required": "请选择党员", "invalid_choice": "请选择列表中的党员"}
    )
    duty = forms.CharField(label="分工", max_length=100, required=False, help_text="如:组织委员、宣传委员")

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = offer(self, "member", members, member_label)

    def clean_member(self):
        return self.members[self.cleaned_data["member"]]


class SeatForm(Form):
    partner_unit = forms.ChoiceField(label="共建单位", error_messages={"required": "请选择共建单位"})
    name = forms.CharField(label="姓名", max_length=50, error_messages={"required": "请填写姓名"})
    duty = forms.CharField(label="分工", max_length=100, required=False, help_text="如:负责共建资源对接")

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = offer(self, "partner_unit", units, lambda u: u.name)

    def clean_partner_unit(self):
        return self.units[self.cleaned_data["partner_unit"]]


class TransferForm(Form):
    kind = forms.ChoiceField(
        label="转接类型",
        choices=[(TransferKind.WITHIN, TransferKind.WITHIN.label), (TransferKind.OUT, TransferKind.OUT.label)],
    )
    to_org = forms.ChoiceField(label="转入本街道的党组织", required=False)
    outside_org = forms.CharField(label="转往的外部党组织", max_length=100, required=False)
    reason = forms.CharField(label="原因", max_length=200, required=False)

    def __init__(self, *args, orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.orgs = offer(self, "to_org", orgs, lambda o: o.name)

    def clean_to_org(self):
        return self.orgs.get(self.cleaned_data["to_org"])


class DecideForm(Form):
    decision = forms.ChoiceField(choices=[("approve", "批准"), ("reject", "驳回")])
    note = forms.CharField(label="审批意见", max_length=200, required=False)


class CareForm(Form):
    kind = forms.ChoiceField(
        label="走访类型", choices=[("", "请选择"), *CareKind.choices], error_messages={"required": "请选择走访类型"}
    )
    visited_on = forms.DateField(
        label="走访日期", widget=DateInput, error_messages={"required": "请填写走访日期", "invalid": "请填写正确的日期"}
    )
    note = forms.CharField(
        label="情况",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写走访情况"},
    )


# ---- reception days --------------------------------------------------------------------------------------------


class TimeInput(forms.TimeInput):
    input_type = "time"


class DayForm(Form):
    date = forms.DateField(
        label="接待日期", widget=DateInput, error_messages={"required": "请填写接待日期", "invalid": "请填写正确的日期"}
    )
    place = forms.CharField(
        label="地点", max_length=100, initial="红色驿站(党代表工作站)", error_messages={"required": "请填写地点"}
    )
    topic = forms.CharField(label="接待主题", max_length=100, required=False, help_text="如:老旧小区改造听民意")
    starts_at = forms.TimeField(
        label="开始时间", widget=TimeInput, initial="09:00", error_messages={"required": "请填写开始时间"}
    )
    ends_at = forms.TimeField(
        label="结束时间", widget=TimeInput, initial="11:00", error_messages={"required": "请填写结束时间"}
    )
    slot_minutes = forms.TypedChoiceField(
        label="每个时段", coerce=int, choices=[(30, "30 分钟"), (60, "1 小时")], initial=30
    )
    capacity = forms.IntegerField(
        label="每个时段可约人数",
        min_value=1,
        max_value=50,
        initial=3,
        error_messages={
            "required": "请填写可约人数",
            "min_value": "至少 1 人",
            "max_value": "最多 50 人",
            "invalid": "请填写整数",
        },
    )

    def slots(self):
        """The day cut into equal slots [(starts_at, ends_at, capacity)]."""
        data = self.cleaned_data
        day = datetime.date(2000, 1, 1)
        start = datetime.datetime.combine(day, data["starts_at"])
        end = datetime.datetime.combine(day, data["ends_at"])
        step = datetime.timedelta(minutes=data["slot_minutes"])
        out = []
        while start + step <= end and len(out) <= 12:
            out.append((start.time(), (start + step).time(), data["capacity"]))
            start += step
        return out


class SignupForm(Form):
    slot = forms.ChoiceField(label="选择时段", widget=forms.RadioSelect, error_messages={"required": "请选择时段"})
    topic = forms.CharField(label="想反映的事(可不填)", max_length=200, required=False)

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.slot_map = {str(s.uuid): s for s in slots}
        self.fields["slot"].choices = [
            (k, f"{s.starts_at:%H:%M}–{s.ends_at:%H:%M}(剩 {s.left} 个名额)") for k, s in self.slot_map.items()
        ]

    def clean_slot(self):
        return self.slot_map[self.cleaned_data["slot"]]


class DayOpinionForm(Form):
    signup = forms.ChoiceField(label="预约的居民", required=False)
    resident = forms.ChoiceField(label="现场来访的居民", required=False)
    title = forms.CharField(label="标题", max_length=100, error_messages={"required": "请填写标题"})
    category = forms.ChoiceField(
        label="类别", choices=[("", "请选择类别"), *Category.choices], error_messages={"required": "请选择类别"}
    )
    text = forms.CharField(
        label="居民反映的内容",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写内容"},
    )

    def __init__(self, *args, signups=(), candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.signup_map = {str(s.uuid): s for s in signups}
        self.candidate_map = {str(r.uuid): r for r in candidates}
        self.fields["signup"].choices = [("", "不是预约的居民")] + [
            (k, f"{s.slot.starts_at:%H:%M} {s.resident.name}") for k, s in self.signup_map.items()
        ]
        self.fields["resident"].choices = [("", "请选择")] + [
            (k, f"{r.name}({r.id_masked})") for k, r in self.candidate_map.items()
        ]

    def clean(self):
        data = super().clean()
        data["signup"] = self.signup_map.get(data.get("signup") or "")
        data["resident"] = self.candidate_map.get(data.get("resident") or "")
        if data["signup"] is None and data["resident"] is None:
            self.add_error("signup", "请选择预约的居民,或先查找现场来访的居民")
        return data


# ---- 双报到 service tasks --------------------------------------------------------------------------------------


class TaskForm(Form):
    org = forms.ChoiceField(label="发布组织", error_messages={"required": "请选择发布任务的党组织"})
    title = forms.CharField(
        label="任务", max_length=100, help_text="如:周六上午服务站值守", error_messages={"required": "请填写任务名称"}
    )
    detail = forms.CharField(label="内容", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    date = forms.DateField(
        label="服务日期", widget=DateInput, error_messages={"required": "请填写服务日期", "invalid": "请填写正确的日期"}
    )
    place = forms.CharField(label="地点", max_length=100, required=False)
    capacity = forms.IntegerField(
        label="需要人数",
        min_value=1,
        max_value=200,
        initial=3,
        error_messages={
            "required": "请填写需要人数",
            "min_value": "至少 1 人",
            "max_value": "最多 200 人",
            "invalid": "请填写整数",
        },
    )

    def __init__(self, *args, orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.orgs = offer(self, "org", orgs, lambda o: o.name)

    def clean_org(self):
        return self.orgs[self.cleaned_data["org"]]


class AssignForm(Form):
    member = forms.ChoiceField(label="分派给", error_messages={"required": "请选择双报到党员"})

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = offer(self, "member", members, member_label)

    def clean_member(self):
        return self.members[self.cleaned_data["member"]]


class CompleteForm(Form):
    hours = forms.DecimalField(
        label="服务时长(小时)",
        min_value=Decimal("0.5"),
        max_value=Decimal("24"),
        decimal_places=1,
        max_digits=3,
        initial=2,
        error_messages={
            "required": "请填写服务时长",
            "invalid": "请填写数字,如 2 或 1.5",
            "min_value": "至少 0.5 小时",
            "max_value": "不超过 24 小时",
            "max_decimal_places": "最多一位小数",
            "max_digits": "不超过 24 小时",
        },
    )
    result = forms.CharField(
        label="完成情况",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写完成情况", "max_length": "不能超过 300 个字"},
    )
