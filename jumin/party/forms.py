from django import forms

from jumin.core.forms import Form

from .models import Category
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
