"""Predicates of the charity shelf: services refuse with them, views build the offered actions from them."""

import datetime
from decimal import Decimal

from django.utils import timezone

from jumin.core.access import scope_for, user_can
from jumin.people.models import age_on

from .models import ELDERLY_AGE, OrderStatus


def today(now=None) -> datetime.date:
    return timezone.localdate(now or timezone.now())


def keeps_shelf_of(user, community_id) -> bool:
    """Runs the shelf of this community: products, stock, picking, delivery, payments, orders by phone."""
    return user_can(user, "shelf.keep") and community_id in scope_for(user).community_ids


def may_order(user) -> bool:
    return user_can(user, "shelf.order") and getattr(user, "resident_id", None) is not None


def is_elderly_on(resident, day: datetime.date) -> bool:
    """60 or over on `day` (the order's day in Asia/Shanghai), from the register's birth date: one who turns 60
    that day is; one who turns 60 tomorrow is not."""
    return age_on(resident.birth_date, day) >= ELDERLY_AGE


def delivery_terms(resident, *, delivery: bool, fee: Decimal, day: datetime.date) -> tuple[Decimal, bool]:
    """(fee to pay, free because 60+) for an order placed on `day`."""
    if not delivery:
        return Decimal("0.00"), False
    if is_elderly_on(resident, day):
        return Decimal("0.00"), True
    return fee, False


def is_own(order, user) -> bool:
    return getattr(user, "resident_id", None) is not None and order.resident_id == user.resident_id


def is_deliverer(order, user) -> bool:
    return getattr(user, "pk", None) is not None and order.deliverer_id == user.pk


def order_can_cancel(order, user) -> bool:
    """Until it is picked: by the resident or by the shelf keeper."""
    return order.status == OrderStatus.PLACED and (is_own(order, user) or keeps_shelf_of(user, order.community_id))


def order_can_pack(order, user) -> bool:
    return order.status == OrderStatus.PLACED and keeps_shelf_of(user, order.community_id)


def order_can_assign(order, user) -> bool:
    return (
        order.delivery
        and order.status in (OrderStatus.PACKED, OrderStatus.DELIVERING)
        and keeps_shelf_of(user, order.community_id)
    )


def order_can_hand_over(order, user) -> bool:
    """Record receipt with the pickup code: at the hall for a pickup order, or by the deliverer at the door."""
    if order.status == OrderStatus.PACKED and not order.delivery:
        return keeps_shelf_of(user, order.community_id)
    if order.status == OrderStatus.DELIVERING:
        return is_deliverer(order, user) or keeps_shelf_of(user, order.community_id)
    return False


def order_can_confirm(order, user) -> bool:
    """The resident confirms a delivery arrived."""
    return order.status == OrderStatus.DELIVERING and is_own(order, user)


def order_can_pay(order, user) -> bool:
    if order.paid_at is not None or order.status == OrderStatus.CANCELLED:
        return False
    return keeps_shelf_of(user, order.community_id) or (
        is_deliverer(order, user) and order.status in (OrderStatus.DELIVERING, OrderStatus.RECEIVED)
    )


ACTIONS = {
    "cancel": order_can_cancel,
    "pack": order_can_pack,
    "assign": order_can_assign,
    "hand_over": order_can_hand_over,
    "confirm": order_can_confirm,
    "pay": order_can_pay,
}


def order_actions(order, user) -> set[str]:
    return {name for name, check in ACTIONS.items() if check(order, user)}
