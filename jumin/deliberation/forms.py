import datetime

from django import forms
from django.utils import timezone

from jumin.core.forms import Form
from jumin.places.models import Compound

from .models import Category, Electorate, Rule
from .services.common import SETTING_LIMITS

CATEGORY_CHOICES = [("", "请选择类别"), *Category.choices]


def local_datetime_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PhotoField(forms.FileField):
    widget = forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})


class ProposalForm(Form):
    title = forms.CharField(label="标题", max_length=100, help_text="一句话说清楚要解决的事,如:南门停车位重新划线")
    text = forms.CharField(label="具体情况和建议", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    category = forms.ChoiceField(label="类别", choices=CATEGORY_CHOICES)
    compound = forms.ModelChoiceField(
        label="范围", queryset=Compound.objects.none(), required=False, empty_label="全社区"
    )
    photo = PhotoField(label="照片(可不传)", required=False)

    def __init__(self, *args, compounds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compounds if compounds is not None else Compound.objects.none()


class CommentForm(Form):
    text = forms.CharField(label="我的意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(Form):
    note = forms.CharField(label="说明", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(Form):
    note = forms.CharField(label="理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class MeetingForm(Form):
    held_at = forms.DateTimeField(label="召开时间", widget=local_datetime_input())
    place = forms.CharField(label="地点", max_length=100, initial="社区居民议事厅")
    parties = forms.CharField(label="参会单位", max_length=300, help_text="如:物业公司、共建单位、居民代表")
    attendance = forms.CharField(label="出席情况", max_length=500, help_text="如:应到 12 人,实到 10 人")
    minutes = forms.CharField(label="会议纪要", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))


class PlanForm(Form):
    plan = forms.CharField(label="表决方案", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))


class ProgressForm(Form):
    text = forms.CharField(label="进展情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    amount = forms.DecimalField(
        label="本次支出(元)", min_value=0, max_value=9_999_999_999, decimal_places=2, initial=0, required=False
    )
    photo = PhotoField(label="现场照片(可不传)", required=False)


class CompleteForm(Form):
    final_report = forms.CharField(label="完成报告", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))


class MergeForm(Form):
    target = forms.UUIDField(label="并入的议题")


class BallotForm(Form):
    question = forms.CharField(label="表决事项", max_length=200)
    options = forms.CharField(
        label="选项(每行一个)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不填则为 同意 / 不同意 / 弃权",
        max_length=2100,
    )
    multiple = forms.BooleanField(label="可多选", required=False)
    electorate = forms.ChoiceField(label="投票权", choices=Electorate.choices)
    compound = forms.ModelChoiceField(
        label="范围", queryset=Compound.objects.none(), required=False, empty_label="全社区"
    )
    rule = forms.ChoiceField(label="通过规则", choices=Rule.choices)
    quorum = forms.DecimalField(
        label="法定参与比例(0–1)",
        min_value=0,
        max_value=1,
        decimal_places=3,
        initial="0.5",
        help_text="如 0.5 表示过半数选民参与才有效;民法典第278条另按面积和人数计算",
    )
    secret = forms.BooleanField(label="无记名投票(谁投了什么任何人都看不到)", required=False)
    opens_at = forms.DateTimeField(label="开始时间(不填则立即开始)", required=False, widget=local_datetime_input())
    closes_at = forms.DateTimeField(label="截止时间", widget=local_datetime_input())

    def __init__(self, *args, compounds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compounds if compounds is not None else Compound.objects.none()
        if not self.is_bound:
            self.initial.setdefault("closes_at", timezone.localtime() + datetime.timedelta(days=7))

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("options", "").splitlines() if line.strip()]


class VoteForm(Form):
    """One radio group (single choice) or check boxes (several); `choices` is always a list after cleaning."""

    def __init__(self, *args, options=(), multiple=False, **kwargs):
        super().__init__(*args, **kwargs)
        pairs = [(o.code, o.label) for o in options]
        if multiple:
            self.fields["choices"] = forms.MultipleChoiceField(
                label="我的选择(可多选)", choices=pairs, widget=forms.CheckboxSelectMultiple
            )
        else:
            self.fields["choices"] = forms.ChoiceField(label="我的选择", choices=pairs, widget=forms.RadioSelect)

    def clean_choices(self):
        value = self.cleaned_data["choices"]
        return list(value) if isinstance(value, (list, tuple)) else [value]


class PaperVoteForm(VoteForm):
    scan = forms.FileField(label="选票扫描件", required=False)


class ProxyForm(Form):
    holder_phone = forms.CharField(label="受托人手机号", max_length=11, help_text="须为本社区在册居民")
    letter = forms.FileField(label="签字的委托书(拍照或 PDF)")


class ObjectionForm(Form):
    text = forms.CharField(label="异议内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class ObjectionDecisionForm(Form):
    upheld = forms.TypedChoiceField(
        label="处理结果", choices=[("0", "异议不成立"), ("1", "异议成立")], coerce=lambda v: v == "1"
    )
    reply = forms.CharField(label="处理意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class CharterForm(Form):
    text = forms.CharField(label="公约正文", max_length=20000, widget=forms.Textarea(attrs={"rows": 14}))
    powers = forms.CharField(
        label="授权事项(每行一条)",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="如:小区理事会:组织停车管理;物业公司:执行公约约定的收费",
    )
    change_note = forms.CharField(label="修改说明", max_length=200, required=False)


class CharterVoteForm(Form):
    rule = forms.ChoiceField(label="通过规则", choices=Rule.choices)
    quorum = forms.DecimalField(label="法定参与比例(0–1)", min_value=0, max_value=1, decimal_places=3, initial="0.5")
    closes_at = forms.DateTimeField(label="截止时间", widget=local_datetime_input())


class StaffProxyForm(Form):
    grantor_phone = forms.CharField(label="委托人手机号", max_length=11)
    holder_phone = forms.CharField(label="受托人手机号", max_length=11)
    letter = forms.FileField(label="签字的委托书(拍照或 PDF)")


class DelegateForm(Form):
    resident = forms.UUIDField(label="代表本户投票的成员", widget=forms.RadioSelect)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"] = forms.TypedChoiceField(
            label="代表本户投票的成员", choices=[(str(m.uuid), m.name) for m in members], widget=forms.RadioSelect
        )


def _setting_field(name: str, label: str, help_text: str):
    low, high, _ = SETTING_LIMITS[name]
    return forms.IntegerField(label=label, min_value=low, max_value=high, help_text=help_text)


class SettingsForm(Form):
    support_threshold = _setting_field(
        "support_threshold", "提交书记的附议人数", "议题附议达到这个人数,提交社区书记处理"
    )
    publicity_days = _setting_field("publicity_days", "公示期(天)", "表决截止后公示、接受异议的天数")
    max_proxies = _setting_field("max_proxies", "每人最多接受委托数", "一位受托人在一次表决中最多代投几户(人)")
