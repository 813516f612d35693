from django import forms

from jumin.core.forms import CleanTextMixin

from .models import VolunteerStatus

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class ApplyForm(CleanTextMixin, forms.Form):
    skills = forms.CharField(
        label="特长", max_length=200, required=False, help_text="如:理发、维修家电、陪伴老人、摄影、急救"
    )
    availability = forms.CharField(label="可服务时间", max_length=200, required=False, help_text="如:周末上午")
    is_dual_report = forms.BooleanField(label="我是在职党员,已到社区“双报到”", required=False)


class DecideForm(CleanTextMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "通过"), ("reject", "不通过")])
    reason = forms.CharField(label="不通过的原因", max_length=200, required=False)


class VolunteerFilterForm(CleanTextMixin, forms.Form):
    q = forms.CharField(label="搜索", max_length=50, required=False)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *VolunteerStatus.choices])
    party = forms.ChoiceField(
        label="身份", required=False, choices=[("", "全部"), ("party", "党员"), ("dual", "双报到")]
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {"status": None, "q": None, "party": None}
        return {key: self.cleaned_data.get(key) or None for key in ("status", "q", "party")}


class ActivityFilterForm(CleanTextMixin, forms.Form):
    q = forms.CharField(label="搜索", max_length=50, required=False)
    when = forms.ChoiceField(
        label="时间", required=False, choices=[("", "全部"), ("upcoming", "未开始"), ("past", "已开始或已结束")]
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {"q": None, "when": None}
        return {key: self.cleaned_data.get(key) or None for key in ("q", "when")}


class ActivityForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label="活动名称", max_length=100)
    place = forms.CharField(label="地点", max_length=100)
    description = forms.CharField(
        label="活动内容", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ShiftForm(CleanTextMixin, forms.Form):
    starts_at = forms.DateTimeField(label="开始时间", widget=DATETIME, input_formats=DATETIME_FORMATS)
    ends_at = forms.DateTimeField(label="结束时间", widget=DATETIME, input_formats=DATETIME_FORMATS)
    slots = forms.IntegerField(label="名额", min_value=1, max_value=500)
    place = forms.CharField(label="集合地点", max_length=100, required=False)
    skills_wanted = forms.CharField(label="所需特长", max_length=100, required=False)


ShiftFormSet = forms.formset_factory(ShiftForm, extra=3, max_num=20, validate_max=True)


class OnBehalfForm(CleanTextMixin, forms.Form):
    volunteer = forms.ModelChoiceField(label="志愿者", queryset=None, to_field_name="uuid", empty_label="请选择志愿者")

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers
        self.fields["volunteer"].label_from_instance = lambda v: f"{v.resident.name}({v.skills or '未填特长'})"


class ConfirmForm(CleanTextMixin, forms.Form):
    minutes = forms.IntegerField(label="服务时长(分钟)", min_value=1, max_value=720)


class SpendForm(CleanTextMixin, forms.Form):
    amount = forms.IntegerField(label="兑换积分", min_value=1, max_value=100_000)
    memo = forms.CharField(label="兑换内容", max_length=200, help_text="如:爱心超市抵扣 20 元")


class RuleForm(CleanTextMixin, forms.Form):
    points_per_hour = forms.IntegerField(label="每服务 1 小时得积分", min_value=0, max_value=1000)
