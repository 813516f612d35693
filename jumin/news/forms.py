from django import forms

from jumin.core.forms import CleanTextMixin

from .models import Category


class NoticeForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label="标题", max_length=100)
    body = forms.CharField(label="内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    category = forms.ChoiceField(label="类别", choices=Category.choices)
    urgent = forms.BooleanField(label="紧急(同时发短信,可查看谁还没读)", required=False)
    pinned = forms.BooleanField(label="置顶", required=False)
    compounds = forms.MultipleChoiceField(label="小区(不选为全部)", required=False, widget=forms.CheckboxSelectMultiple)
    grids = forms.MultipleChoiceField(label="网格(不选为全部)", required=False, widget=forms.CheckboxSelectMultiple)
    tags = forms.MultipleChoiceField(label="居民标签(不选为全部)", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, compounds, grids, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compounds"].choices = [(str(c.pk), c.name) for c in compounds]
        self.fields["grids"].choices = [(str(g.pk), g.name) for g in grids]
        self.fields["tags"].choices = tags


class BroadcastForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label="标题", max_length=100)
    aired_on = forms.DateField(label="播出日期", widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(label="简介", max_length=300, required=False)
    video_url = forms.URLField(label="视频链接", max_length=300, required=False, assume_scheme="https")
    transcript = forms.CharField(
        label="文字稿(供老人和听障居民阅读)", max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
