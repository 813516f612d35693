import pytest

from jumin.errands import services
from jumin.hall.models import ServiceItem
from jumin.hall.services import hall_ensure_catalogue

PHONE = "13812345678"


@pytest.fixture
def hall(world):
    hall_ensure_catalogue(world.a)
    hall_ensure_catalogue(world.b)
    world.item = ServiceItem.objects.get(community=world.a, name="老年人优待证办理")
    world.in_person_item = ServiceItem.objects.get(community=world.a, name="低保申请")
    world.item_b = ServiceItem.objects.get(community=world.b, name="老年人优待证办理")
    # These tests follow the errand flow for residents of any age; who may ask for an item is tested on its own
    # (test_services: test_a_resident_below_the_items_age_cannot_ask_for_it).
    ServiceItem.objects.filter(pk__in=[world.item.pk, world.item_b.pk]).update(min_age=None)
    world.item.min_age = world.item_b.min_age = None
    return world


def request_errand(world, actor=None, item=None, **extra):
    return services.errand_request(
        actor=actor or world.users.resident,
        service_item=item or world.item,
        contact_phone=extra.pop("contact_phone", PHONE),
        contact_note=extra.pop("contact_note", "工作日下午在家"),
        **extra,
    )


def advance(world, errand, to: str, worker=None):
    """Walk an errand forward with the window staff doing each step."""
    from jumin.cases import services as case_services

    worker = worker or world.users.window_staff
    order = ["accepted", "docs_received", "submitted", "result_back"]
    done = order.index(errand.case.status) + 1 if errand.case.status in order else 0
    for status in order[done : order.index(to) + 1]:
        if status == "accepted":
            case_services.case_take(actor=worker, case=errand.case)
        elif status == "docs_received":
            services.errand_receive_documents(
                actor=worker, errand=errand, received=errand.service_item.required_documents
            )
        elif status == "submitted":
            errand.case = case_services.case_transition(
                actor=worker, case=errand.case, to="submitted", comment="已递交区民政局"
            )
        else:
            services.errand_record_result(actor=worker, errand=errand, note="优待证已办好,请到9号窗口领取")
    return errand
