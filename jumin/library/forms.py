from django import forms

from jumin.core.forms import CleanTextMixin


class BookForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label="书名", max_length=200)
    author = forms.CharField(label="作者", max_length=100, required=False)
    isbn = forms.CharField(label="ISBN", max_length=20, required=False, help_text="扫描书背条码,或手工输入")
    copies = forms.IntegerField(label="册数", min_value=1, max_value=500, initial=1)
    shelf = forms.CharField(label="书架位置", max_length=50, required=False, help_text="如:A-3")
    donated_by = forms.CharField(label="捐赠人", max_length=100, required=False)


class BookFilterForm(CleanTextMixin, forms.Form):
    q = forms.CharField(label="搜索", max_length=50, required=False)
    sort = forms.ChoiceField(label="排序", required=False, choices=[("", "按书名"), ("popular", "最常借阅")])

    def filters(self) -> dict:
        if not self.is_valid():
            return {"q": None, "sort": None}
        return {key: self.cleaned_data.get(key) or None for key in ("q", "sort")}


class LoanFilterForm(CleanTextMixin, forms.Form):
    q = forms.CharField(label="搜索", max_length=50, required=False)
    state = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部"), ("open", "借阅中"), ("overdue", "已逾期"), ("returned", "已归还")],
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {"q": None, "state": None}
        return {key: self.cleaned_data.get(key) or None for key in ("q", "state")}
