from django import forms

from jumin.core.forms import Form

from .models import BookerKind, UnitKind


class UnitFilterForm(Form):
    q = forms.CharField(required=False, max_length=100)
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *UnitKind.choices])
    level = forms.ChoiceField(
        label="层级",
        required=False,
        choices=[("", "街道和社区"), ("street", "街道共建单位"), ("community", "社区共建单位")],
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {"kind": None, "level": None, "q": ""}
        data = self.cleaned_data
        return {"kind": data["kind"] or None, "level": data["level"] or None, "q": data["q"]}


class UnitForm(Form):
    name = forms.CharField(label="单位名称", max_length=100, error_messages={"required": "请填写单位名称"})
    kind = forms.ChoiceField(
        label="类型", choices=[("", "请选择类型"), *UnitKind.choices], error_messages={"required": "请选择单位类型"}
    )
    contact_name = forms.CharField(label="联系人", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    address = forms.CharField(label="地址", max_length=200, required=False)
    note = forms.CharField(
        label="共建内容",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="能为社区提供什么:场地、人员、服务、设备",
    )


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"


class DateInput(forms.DateInput):
    input_type = "date"


class MeetingForm(Form):
    title = forms.CharField(label="会议名称", max_length=100, error_messages={"required": "请填写会议名称"})
    held_at = forms.DateTimeField(
        label="召开时间",
        widget=DateTimeInput,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": "请填写召开时间", "invalid": "请填写正确的时间"},
    )
    place = forms.CharField(
        label="地点", max_length=100, initial="社区党群服务中心会议室", error_messages={"required": "请填写地点"}
    )
    agenda = forms.CharField(
        label="议程",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写议程"},
    )
    units = forms.MultipleChoiceField(
        label="邀请的共建单位",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少邀请一家共建单位"},
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.unit_map = {str(u.uuid): u for u in units}
        self.fields["units"].choices = [(k, u.name) for k, u in self.unit_map.items()]

    def clean_units(self):
        return [self.unit_map[k] for k in self.cleaned_data["units"]]


class MinutesForm(Form):
    minutes = forms.CharField(
        label="会议纪要",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "请填写会议纪要"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31)


class ResolutionForm(Form):
    text = forms.CharField(label="决议内容", max_length=500, error_messages={"required": "请填写决议内容"})
    owner_unit = forms.ChoiceField(label="需要办理的,选牵头单位(难题共办)", required=False)
    deadline = forms.DateField(
        label="完成时限", required=False, widget=DateInput, error_messages={"invalid": "请填写正确的日期"}
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.unit_map = {str(u.uuid): u for u in units}
        self.fields["owner_unit"].choices = [("", "不需要办理")] + [(k, u.name) for k, u in self.unit_map.items()]

    def clean_owner_unit(self):
        return self.unit_map.get(self.cleaned_data["owner_unit"])


class ProgressForm(Form):
    progress = forms.IntegerField(
        label="进度(%)",
        min_value=0,
        max_value=100,
        error_messages={
            "required": "请填写进度",
            "min_value": "进度不能小于 0",
            "max_value": "进度不能超过 100",
            "invalid": "请填写 0–100 的整数",
        },
    )
    note = forms.CharField(
        label="进展",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写进展"},
    )


class BookingForm(Form):
    booker_kind = forms.ChoiceField(label="预约方", choices=BookerKind.choices)
    booker_name = forms.CharField(
        label="单位或团体名称", max_length=100, initial="玉龙湖社区居委会", error_messages={"required": "请填写名称"}
    )
    purpose = forms.CharField(label="用途", max_length=200, error_messages={"required": "请填写用途"})
    starts_at = forms.DateTimeField(
        label="开始时间",
        widget=DateTimeInput,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": "请填写开始时间", "invalid": "请填写正确的时间"},
    )
    ends_at = forms.DateTimeField(
        label="结束时间",
        widget=DateTimeInput,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": "请填写结束时间", "invalid": "请填写正确的时间"},
    )
