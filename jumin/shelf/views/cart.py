"""The basket kept in the session until the order is placed: {product uuid: quantity}. A resident has one; a shelf
keeper taking a phone order has one per resident."""

import uuid
from decimal import Decimal

from .. import rules
from ..models import Product
from ..services.orders import MAX_LINES, MAX_PER_LINE

ZERO = Decimal("0.00")


class Cart:
    def __init__(self, request, resident=None):
        self.session = request.session
        self.key = f"shelf_cart:{resident.uuid}" if resident is not None else "shelf_cart"
        raw = self.session.get(self.key) or {}
        self.items: dict[str, int] = {
            k: v for k, v in raw.items() if isinstance(v, int) and 1 <= v <= MAX_PER_LINE and _is_uuid(k)
        }

    def save(self) -> None:
        self.session[self.key] = self.items
        self.session.modified = True

    def add(self, product: Product, quantity: int) -> int:
        key = str(product.uuid)
        if key not in self.items and len(self.items) >= MAX_LINES:
            return 0
        self.items[key] = min(self.items.get(key, 0) + quantity, MAX_PER_LINE)
        self.save()
        return self.items[key]

    def set(self, product_uuid: str, quantity: int) -> None:
        if quantity <= 0:
            self.items.pop(product_uuid, None)
        else:
            self.items[product_uuid] = min(quantity, MAX_PER_LINE)
        self.save()

    def clear(self) -> None:
        self.session.pop(self.key, None)

    def __len__(self):
        return len(self.items)

    def lines(self, community_id) -> list[dict]:
        products = Product.objects.filter(uuid__in=list(self.items), community_id=community_id, active=True)
        lines = [
            {
                "product": p,
                "quantity": self.items[str(p.uuid)],
                "amount": p.factory_price * self.items[str(p.uuid)],
                "market_amount": p.market_price * self.items[str(p.uuid)],
                "short": p.stock < self.items[str(p.uuid)],
            }
            for p in products.order_by("category", "name")
        ]
        for line in lines:
            line["saved"] = line["market_amount"] - line["amount"]
        return lines

    def as_items(self, lines) -> list[tuple[int, int]]:
        return [(line["product"].pk, line["quantity"]) for line in lines]


def summary(lines, resident, fee: Decimal, now=None) -> dict:
    total = sum((line["amount"] for line in lines), ZERO)
    market_total = sum((line["market_amount"] for line in lines), ZERO)
    delivery_fee, free = rules.delivery_terms(resident, delivery=True, fee=fee, day=rules.today(now))
    return {
        "total": total,
        "market_total": market_total,
        "saved": market_total - total,
        "delivery_fee": delivery_fee,
        "free_delivery": free,
        "with_delivery": total + delivery_fee,
    }


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def quantity_of(value, default: int = 1) -> int | None:
    text = str(value if value is not None else default).strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 <= number <= MAX_PER_LINE else None
