import datetime

from django import forms
from django.utils import timezone

from jumin.core.forms import Form

from .models import Category, OfferKind, Score, Slot
from .services import BOOK_AHEAD_DAYS, DESCRIPTION_MAX

TEL = {"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}


class VendorApplyForm(Form):
    name = forms.CharField(label="商家名称", max_length=100)
    category = forms.ChoiceField(label="服务类别", choices=Category.choices)
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(label="联系电话", max_length=11, widget=forms.TextInput(attrs=TEL))
    service_area = forms.CharField(label="服务范围", max_length=200, help_text="例如:玉龙湖社区各小区,上门服务")
    offer_kind = forms.ChoiceField(label="给居民的优惠", choices=OfferKind.choices, widget=forms.RadioSelect)
    discount_percent = forms.IntegerField(
        label="折扣(选“居民折扣”时填)",
        min_value=1,
        max_value=99,
        required=False,
        help_text="填 80 表示居民按原价的 8 折付费",
    )
    price_list = forms.CharField(
        label="价目表(选“固定价目”时填)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一项,例如:疏通下水道 60 元",
    )
    offer_note = forms.CharField(label="优惠说明(可不填)", max_length=200, required=False)
    licence = forms.FileField(label="营业执照(照片或 PDF,5 MB 以内)")


class OrderForm(Form):
    window_date = forms.DateField(label="上门日期", widget=forms.DateInput(attrs={"type": "date"}))
    window_slot = forms.ChoiceField(label="上门时段", choices=Slot.choices, widget=forms.RadioSelect)
    description = forms.CharField(
        label="需要什么服务",
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="例如:厨房水龙头漏水,需要换一个",
    )
    address = forms.CharField(label="服务地址", max_length=200)
    contact_phone = forms.CharField(label="联系电话", max_length=11, widget=forms.TextInput(attrs=TEL))
    photo = forms.FileField(label="照片(可不填)", required=False, help_text="拍一张问题的照片,师傅好准备工具")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        attrs = self.fields["window_date"].widget.attrs
        attrs["min"] = today.isoformat()
        attrs["max"] = (today + datetime.timedelta(days=BOOK_AHEAD_DAYS)).isoformat()


class CompleteForm(Form):
    list_price = forms.DecimalField(label="原价(元)", min_value=0, max_digits=10, decimal_places=2)
    charged = forms.DecimalField(label="实收(元)", min_value=0, max_digits=10, decimal_places=2)
    note = forms.CharField(label="服务说明(可不填)", max_length=500, required=False)


class RateForm(Form):
    price = forms.TypedChoiceField(label="价格实惠吗", choices=Score.choices, coerce=int, widget=forms.RadioSelect)
    punctuality = forms.TypedChoiceField(
        label="准时上门了吗", choices=Score.choices, coerce=int, widget=forms.RadioSelect
    )
    quality = forms.TypedChoiceField(label="活干得好吗", choices=Score.choices, coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(label="想说的话(可不填)", max_length=500, required=False)


class ReasonForm(Form):
    reason = forms.CharField(label="原因", max_length=200)


class OptionalReasonForm(Form):
    reason = forms.CharField(label="取消原因(可不填)", max_length=200, required=False)


class ComplainForm(Form):
    text = forms.CharField(label="投诉内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
