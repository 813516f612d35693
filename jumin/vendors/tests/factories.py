import datetime

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jumin.core.models import Role
from jumin.people.tests.factories import UserFactory
from jumin.vendors import services
from jumin.vendors.models import Category, OfferKind, Vendor, VendorStatus

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def licence_file(name="licence.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor

    community = None
    user = factory.LazyAttribute(lambda o: UserFactory(role=Role.VENDOR, community=o.community))
    name = factory.Sequence(lambda n: f"测试维修部{n}")
    category = Category.REPAIR
    contact_name = "刘师傅"
    contact_phone = factory.Sequence(lambda n: f"137{n:08d}")
    service_area = "玉龙湖社区各小区"
    offer_kind = OfferKind.DISCOUNT
    discount_percent = 80
    status = VendorStatus.APPROVED


def tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


def place(world, vendor, actor=None, **extra):
    return services.order_place(
        actor=actor or world.users.resident,
        vendor=vendor,
        window_date=extra.pop("window_date", tomorrow()),
        window_slot=extra.pop("window_slot", "morning"),
        description=extra.pop("description", "厨房水龙头漏水"),
        **extra,
    )


def advance(order, to: str):
    """Walk an order forward as its vendor: accept → visit → complete."""
    user = order.vendor.user
    steps = ["accepted", "visiting", "done"]
    for status in steps[steps.index(order.case.status) + 1 if order.case.status in steps else 0 : steps.index(to) + 1]:
        if status == "accepted":
            services.order_accept(actor=user, order=order)
        elif status == "visiting":
            services.order_visit(actor=user, order=order)
        else:
            services.order_complete(actor=user, order=order, list_price="100", charged="80")
    return order
