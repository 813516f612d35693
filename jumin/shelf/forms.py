from django import forms

from jumin.core.forms import Form

from .models import Category, OrderStatus, PaymentMethod, WriteOffReason


class DateInput(forms.DateInput):
    input_type = "date"


class ProductFilterForm(Form):
    q = forms.CharField(required=False, max_length=50)
    category = forms.ChoiceField(label="类别", required=False, choices=[("", "全部类别"), *Category.choices])
    low = forms.BooleanField(label="只看低库存", required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {"q": "", "category": None, "low": False}
        data = self.cleaned_data
        return {"q": data["q"], "category": data["category"] or None, "low": data["low"]}


class OrderFilterForm(Form):
    q = forms.CharField(required=False, max_length=50)
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), ("open", "未完成"), *OrderStatus.choices]
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {"q": "", "status": None}
        return {"q": self.cleaned_data["q"], "status": self.cleaned_data["status"] or None}


class ProductForm(Form):
    name = forms.CharField(label="商品名称", max_length=100, error_messages={"required": "请填写商品名称"})
    spec = forms.CharField(
        label="规格", max_length=50, help_text="如 500 g、1 L、10 卷", error_messages={"required": "请填写规格"}
    )
    category = forms.ChoiceField(label="类别", choices=Category.choices)
    supplier = forms.CharField(
        label="供货方", max_length=100, initial="渤海义工", error_messages={"required": "请填写供货方"}
    )
    factory_price = forms.DecimalField(
        label="出厂价(元)",
        min_value=0,
        max_value=9999.99,
        decimal_places=2,
        max_digits=6,
        error_messages={"required": "请填写出厂价", "invalid": "请填写金额,如 0.92"},
    )
    market_price = forms.DecimalField(
        label="市场价(元)",
        min_value=0,
        max_value=9999.99,
        decimal_places=2,
        max_digits=6,
        error_messages={"required": "请填写市场价", "invalid": "请填写金额,如 1.30"},
    )
    market_checked_where = forms.CharField(
        label="市场价调查地点", max_length=100, required=False, help_text="如 北镇大润发"
    )
    market_checked_on = forms.DateField(label="市场价调查日期", required=False, widget=DateInput)
    barcode = forms.CharField(label="条码", max_length=14, required=False)
    low_stock = forms.IntegerField(label="低库存提醒线", min_value=0, max_value=100000, initial=5)
    slots = forms.CharField(
        label="栏位号", required=False, max_length=200, help_text="空栏位的号码,多个用逗号隔开,如 12,13"
    )
    photo = forms.FileField(label="照片(可不传)", required=False)

    def clean_slots(self):
        parts = [p.strip() for p in self.cleaned_data["slots"].replace(",", ",").split(",") if p.strip()]
        if any(not (p.isascii() and p.isdigit()) or not 1 <= int(p) <= 9999 for p in parts):
            raise forms.ValidationError("栏位号应为数字,多个用逗号隔开")
        return [int(p) for p in parts]


class StockInForm(Form):
    quantity = forms.IntegerField(
        label="入库数量", min_value=1, max_value=100000, error_messages={"required": "请填写入库数量"}
    )
    expires_on = forms.DateField(label="保质期至(没有可不填)", required=False, widget=DateInput)


class StockTakeForm(Form):
    counted = forms.IntegerField(label="实盘数量", min_value=0, max_value=100000)
    expected = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=100000)
    reason = forms.CharField(label="差异原因", max_length=200, required=False)


class WriteOffForm(Form):
    quantity = forms.IntegerField(label="报损数量", min_value=1, max_value=100000)
    reason = forms.ChoiceField(label="原因", choices=WriteOffReason.choices)
    note = forms.CharField(label="说明", max_length=150, required=False)


class SlotForm(Form):
    number = forms.IntegerField(label="栏位号", min_value=1, max_value=9999)


class PaymentForm(Form):
    method = forms.ChoiceField(label="付款方式", choices=PaymentMethod.choices, widget=forms.RadioSelect)
    reference = forms.CharField(label="支付流水号(线上支付时填写)", max_length=64, required=False)


class PickupCodeForm(Form):
    pickup_code = forms.CharField(
        label="取件码(向居民要)", max_length=6, min_length=6, error_messages={"required": "请填写 6 位取件码"}
    )


class SettingsForm(Form):
    delivery_fee = forms.DecimalField(
        label="送货上门费(元,60 岁以上居民免费)", min_value=0, max_value=9999.99, decimal_places=2, max_digits=6
    )
    pickup_place = forms.CharField(label="取货地点", max_length=100)


class PeriodForm(Form):
    start = forms.DateField(label="从", widget=DateInput, required=False)
    end = forms.DateField(label="到", widget=DateInput, required=False)
