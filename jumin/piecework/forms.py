import datetime

from django import forms

from jumin.core.forms import Form
from jumin.people.models import Tag

from .models import PayMethod
from .selectors import month_period


class WorkOrderForm(Form):
    factory = forms.ModelChoiceField(label="工厂", queryset=None)
    item = forms.CharField(label="加工内容", max_length=100, help_text="例如:手工串珠手链")
    quantity = forms.IntegerField(label="总件数", min_value=1, max_value=10_000_000)
    unit_pay = forms.DecimalField(label="计件单价(元)", min_value=0.01, max_digits=8, decimal_places=2)
    deadline = forms.DateField(label="交货截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    max_per_resident = forms.IntegerField(label="每人最多认领(可不填)", min_value=1, required=False)
    eligible_tags = forms.ModelMultipleChoiceField(
        label="可认领人群(不选则本社区居民均可)",
        queryset=Tag.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_age = forms.IntegerField(label="最低年龄(可不填)", min_value=16, max_value=120, required=False)
    max_age = forms.IntegerField(label="最高年龄(可不填)", min_value=16, max_value=120, required=False)
    materials = forms.CharField(label="原材料", max_length=500, required=False)
    quality_standard = forms.CharField(
        label="质量标准", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    pickup_place = forms.CharField(label="领料交货地点", max_length=200, required=False)
    skills = forms.CharField(label="技能要求", max_length=200, required=False)

    def __init__(self, *args, factories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["factory"].queryset = factories


class FactoryForm(Form):
    name = forms.CharField(label="工厂名称", max_length=100)
    products = forms.CharField(label="主要产品", max_length=200)
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(label="联系电话", max_length=11, widget=forms.TextInput(attrs={"type": "tel"}))
    address = forms.CharField(label="地址", max_length=200, required=False)


class ClaimForm(Form):
    quantity = forms.IntegerField(label="认领件数", min_value=1, max_value=10_000_000)


class HandInForm(Form):
    pieces = forms.IntegerField(label="本次交货件数", min_value=1, max_value=10_000_000)


class InspectForm(Form):
    accepted = forms.IntegerField(label="合格件数", min_value=0)
    rejected = forms.IntegerField(label="不合格件数", min_value=0)
    reason = forms.CharField(label="不合格原因", max_length=200, required=False)


class PayForm(Form):
    method = forms.ChoiceField(label="发放方式", choices=PayMethod.choices, widget=forms.RadioSelect)
    reference = forms.CharField(label="转账流水号(转账时填)", max_length=100, required=False)


class PeriodForm(Form):
    """The settlement statement's period, in local days (both included); empty fields default to this month."""

    start = forms.DateField(label="从", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="到", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_start, self.default_end = month_period(today)

    def clean(self):
        data = super().clean()
        start, end = data.get("start") or self.default_start, data.get("end") or self.default_end
        if not self.errors and end < start:
            raise forms.ValidationError("结束日期不能早于开始日期")
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The period asked for, or this month when the input was empty or wrong (the form shows why)."""
        if self.is_valid():
            return self.cleaned_data["start"] or self.default_start, self.cleaned_data["end"] or self.default_end
        return self.default_start, self.default_end
