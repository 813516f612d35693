"""台账 of the shelf: goods and stock, orders, stock movements, the savings report and a supplier statement.
Money as text with two places (never a float in Excel); residents by name only."""

from django.utils import timezone

from jumin.core.exports import append, workbook


def _when(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def products_workbook(rows):
    header = [
        "商品",
        "规格",
        "类别",
        "条码",
        "供货方",
        "出厂价",
        "市场价",
        "每件省",
        "调查地点",
        "调查日期",
        "可售库存",
        "提醒线",
        "栏位",
        "在售",
    ]
    data = (
        (
            p.name,
            p.spec,
            p.get_category_display(),
            p.barcode,
            p.supplier.name,
            str(p.factory_price),
            str(p.market_price),
            str(p.saving),
            p.market_checked_where,
            f"{p.market_checked_on:%Y-%m-%d}" if p.market_checked_on else "",
            p.stock,
            p.low_stock,
            "、".join(s.code for s in p.slots.all()),
            "在售" if p.active else "下架",
        )
        for p in rows
    )
    return workbook("直通车商品库存台账", header, data)


def orders_workbook(rows):
    header = [
        "订单号",
        "下单时间",
        "居民",
        "小区",
        "方式",
        "状态",
        "商品金额",
        "市场价合计",
        "节省",
        "送货费",
        "60岁以上免费",
        "送货人",
        "已收款",
        "付款方式",
    ]
    data = (
        (
            o.number,
            _when(o.placed_at),
            o.resident.name,
            o.compound.name if o.compound_id else "",
            "送货上门" if o.delivery else "到店自取",
            o.get_status_display(),
            str(o.total),
            str(o.market_total),
            str(o.saved),
            str(o.delivery_fee),
            "是" if o.free_delivery else "",
            o.deliverer.name if o.deliverer_id else "",
            "是" if o.paid_at else "否",
            o.get_payment_method_display() if o.payment_method else "",
        )
        for o in rows
    )
    return workbook("直通车订单台账", header, data)


def movements_workbook(rows):
    header = ["时间", "商品", "类型", "数量", "原因", "经办人"]
    data = ((_when(m.at), str(m.product), m.get_kind_display(), m.quantity, m.reason, m.actor.name) for m in rows)
    return workbook("直通车库存变动台账", header, data)


def report_workbook(report):
    header = ["分组", "名称", "订单数", "件数", "直通车价合计", "市场价合计", "节省"]
    book = workbook("直通车节省报表", header, [])
    sheet = book.worksheets[0]
    for group, rows in (("月份", report["months"]), ("商品", report["products"]), ("小区", report["compounds"])):
        for r in rows:
            append(
                sheet,
                [
                    group,
                    r["label"],
                    r["orders"],
                    r["quantity"],
                    str(r["total"]),
                    str(r["market_total"]),
                    str(r["saved"]),
                ],
            )
    t = report["total"]
    append(
        sheet,
        [
            "合计",
            f"{report['start']:%Y-%m-%d}至{report['end']:%Y-%m-%d}",
            t["orders"],
            t["quantity"],
            str(t["total"]),
            str(t["market_total"]),
            str(t["saved"]),
        ],
    )
    append(sheet, ["送货上门", "其中60岁以上免费", report["deliveries"], report["elderly_deliveries"], "", "", ""])
    return book


def statement_workbook(statement):
    header = ["商品", "出厂价", "数量", "金额"]
    rows = [(r["product"], str(r["unit_price"]), r["quantity"], str(r["amount"])) for r in statement["lines"]]
    rows.append(("合计", "", statement["quantity"], str(statement["amount"])))
    return workbook(f"{statement['supplier'].name}对账单"[:31], header, rows)
