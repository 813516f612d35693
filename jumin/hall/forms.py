from django import forms

from jumin.core.forms import Form, ModelForm
from jumin.core.models import Role, User
from jumin.people.models import Tag

from .models import Outcome, ServiceItem, Window, clean_documents

TEXT_MAX = 1000


class ServiceItemForm(ModelForm):
    documents = forms.CharField(
        label="材料清单",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="每行一项材料",
    )

    class Meta:
        model = ServiceItem
        fields = [
            "name",
            "window",
            "other_windows",
            "description",
            "time_limit_working_days",
            "proxy_allowed",
            "in_person_required",
            "min_age",
            "max_age",
            "eligible_tags",
            "fee",
            "bookable",
            "daily_cap",
            "active",
        ]
        widgets = {
            "other_windows": forms.CheckboxSelectMultiple,
            "eligible_tags": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "min_age": "例如高龄津贴填 80;不限年龄留空",
            "eligible_tags": "不勾选表示所有居民都可办理",
            "fee": "免费填 0",
        }

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        windows = Window.objects.filter(community=community).order_by("number")
        self.fields["window"].queryset = windows
        self.fields["window"].label = "主办窗口(决定号码字头)"
        self.fields["other_windows"].queryset = windows
        self.fields["eligible_tags"].queryset = Tag.objects.order_by("id")
        self.fields["min_age"].max_value = self.fields["max_age"].max_value = 150
        self.fields["daily_cap"].min_value, self.fields["daily_cap"].max_value = 1, 999
        self.fields["time_limit_working_days"].min_value, self.fields["time_limit_working_days"].max_value = 1, 60
        self.fields["fee"].min_value, self.fields["fee"].max_value = 0, 99999
        for name in ("min_age", "max_age"):
            self.fields[name].widget.attrs.update(min=0, max=150)
        if self.instance.pk:
            self.initial["documents"] = "\n".join(self.instance.required_documents)

    def clean_documents(self):
        lines = [line.strip() for line in self.cleaned_data["documents"].splitlines() if line.strip()]
        return clean_documents(lines)

    def clean(self):
        data = super().clean()
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and high < low:
            self.add_error("max_age", "最高年龄不能小于最低年龄")
        return data

    def _post_clean(self):
        # The service writes the row (and the database checks uniqueness); the form only cleans the input.
        pass

    def item_data(self) -> dict:
        data = {
            name: self.cleaned_data[name] for name in self.Meta.fields if name not in ("other_windows", "eligible_tags")
        }
        data["required_documents"] = self.cleaned_data["documents"]
        return data


class WindowForm(Form):
    name = forms.CharField(label="名称", max_length=30)
    prefix = forms.RegexField(
        label="号码字头", regex=r"^[A-Z]$", max_length=1, error_messages={"invalid": "字头应为一个大写英文字母"}
    )
    staff = forms.ModelMultipleChoiceField(
        label="窗口工作人员", queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = User.objects.filter(
            community=community, role=Role.WINDOW_STAFF, is_active=True
        ).order_by("name")


class KioskTakeForm(Form):
    phone = forms.CharField(
        label="手机号(选填,登记后手机上可查看排队)",
        required=False,
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    priority = forms.BooleanField(label="绿色通道(70 周岁以上、残疾人、孕妇)", required=False)


class PhoneForm(Form):
    phone = forms.RegexField(
        label="预约时登记的手机号",
        regex=r"^1\d{10}$",
        max_length=11,
        error_messages={"invalid": "手机号应为以 1 开头的 11 位数字"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class CheckInCodeForm(Form):
    code = forms.CharField(
        label="扫描手机上的预约二维码",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True, "autocapitalize": "off"}),
    )


class FinishForm(Form):
    outcome = forms.ChoiceField(label="办理结果", choices=Outcome.choices, widget=forms.RadioSelect)
    missing_documents = forms.MultipleChoiceField(
        label="缺少的材料", required=False, choices=(), widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missing_documents"].choices = [(d, d) for d in documents]


MARK_CHOICES = [(str(i), f"{i} 分") for i in range(5, 0, -1)]


class RatingForm(Form):
    attitude = forms.ChoiceField(label="服务态度", choices=MARK_CHOICES, widget=forms.RadioSelect)
    quality = forms.ChoiceField(label="服务质量", choices=MARK_CHOICES, widget=forms.RadioSelect)
    efficiency = forms.ChoiceField(label="办事效率", choices=MARK_CHOICES, widget=forms.RadioSelect)
    integrity = forms.ChoiceField(label="廉洁自律", choices=MARK_CHOICES, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="哪里不满意(打 2 分及以下时必填)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
