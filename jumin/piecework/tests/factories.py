import datetime

from django.utils import timezone

from jumin.core.models import Role
from jumin.people.tests.factories import UserFactory
from jumin.piecework import services


def make_factory(world, **extra):
    return services.factory_register(
        actor=world.users.secretary,
        name=extra.pop("name", "华兴手工艺品厂"),
        products="串珠手链",
        contact_name="马经理",
        contact_phone="13612345678",
        user=extra.pop("user", UserFactory(role=Role.FACTORY_CONTACT, community=world.a)),
        **extra,
    )


def post_order(world, factory, **extra):
    return services.workorder_post(
        actor=world.users.window_staff,
        factory=factory,
        item=extra.pop("item", "手工串珠手链"),
        quantity=extra.pop("quantity", 100),
        unit_pay=extra.pop("unit_pay", "0.50"),
        deadline=extra.pop("deadline", timezone.localdate() + datetime.timedelta(days=10)),
        eligible_tags=extra.pop("eligible_tags", ["laid_off"]),
        max_per_resident=extra.pop("max_per_resident", None),
        **extra,
    )
