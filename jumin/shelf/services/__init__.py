"""Writes of the charity shelf: the catalogue and stock (stock.py) and residents' orders (orders.py)."""

from .orders import (
    OutOfStock,
    Short,
    order_assign,
    order_cancel,
    order_confirm,
    order_hand_over,
    order_pack,
    order_pay,
    order_place,
)
from .stock import (
    product_add,
    settings_for,
    settings_update,
    slot_assign,
    slots_ensure,
    stock_in,
    stock_take,
    supplier_get_or_add,
    write_off,
)

__all__ = [
    "OutOfStock",
    "Short",
    "order_assign",
    "order_cancel",
    "order_confirm",
    "order_hand_over",
    "order_pack",
    "order_pay",
    "order_place",
    "product_add",
    "settings_for",
    "settings_update",
    "slot_assign",
    "slots_ensure",
    "stock_in",
    "stock_take",
    "supplier_get_or_add",
    "write_off",
]
