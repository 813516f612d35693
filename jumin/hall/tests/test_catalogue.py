import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from jumin.hall.catalogue import ITEMS, WINDOWS
from jumin.hall.models import ServiceItem, Window
from jumin.hall.services import hall_ensure_catalogue

REPORT_ITEMS = {
    "高龄津贴申领",
    "低保申请",
    "临时救助申请",
    "残疾人证办理",
    "居住证明开具",
    "独生子女父母奖励",
    "生育登记",
    "城乡居民养老保险参保登记",
    "医保参保登记",
    "就业失业登记",
    "灵活就业人员社保补贴",
    "个体工商户登记咨询",
    "退役军人优待证申领",
    "老年人优待证办理",
    "党员组织关系转接",
}


def test_catalogue_has_12_windows_and_27_items_and_a_second_run_adds_nothing(world):
    assert hall_ensure_catalogue(world.a) == (12, 27)
    assert hall_ensure_catalogue(world.a) == (0, 0)
    assert Window.objects.filter(community=world.a).count() == 12
    assert ServiceItem.objects.filter(community=world.a).count() == 27
    names = [w.name for w in Window.objects.filter(community=world.a).order_by("number")]
    assert names[:4] == ["民政窗口", "计生窗口", "社保窗口", "工商税务窗口"]
    assert set(ServiceItem.objects.values_list("name", flat=True)) >= REPORT_ITEMS


def test_every_window_has_items_and_every_item_documents_and_a_time_limit(world):
    hall_ensure_catalogue(world.a)
    for window in Window.objects.filter(community=world.a):
        assert window.items.exists(), window
    for item in ServiceItem.objects.filter(community=world.a):
        assert item.required_documents and item.time_limit_working_days >= 1, item
        # Items that cannot be run by proxy say why the resident must come in person.
        assert item.proxy_allowed or item.in_person_required, item


def test_about_half_of_the_items_may_be_done_by_proxy(world):
    hall_ensure_catalogue(world.a)
    proxy = ServiceItem.objects.filter(community=world.a, proxy_allowed=True).count()
    assert 11 <= proxy <= 16
    assert len(ITEMS) == 27 and len(WINDOWS) == 12


def test_catalogues_are_per_community_and_a_second_run_keeps_local_edits(world):
    hall_ensure_catalogue(world.a)
    item = ServiceItem.objects.get(community=world.a, name="低保申请")
    item.time_limit_working_days = 20
    item.save()
    ServiceItem.objects.filter(community=world.a, name="居住证明开具").delete()
    assert hall_ensure_catalogue(world.a) == (0, 1)
    assert ServiceItem.objects.get(community=world.a, name="低保申请").time_limit_working_days == 20
    assert hall_ensure_catalogue(world.b) == (12, 27)
    assert ServiceItem.objects.count() == 54


def test_window_numbers_are_unique_per_community_and_within_1_to_12(world):
    hall_ensure_catalogue(world.a)
    with pytest.raises(IntegrityError):
        Window.objects.create(community=world.a, number=3, name="另一个社保窗口")


def test_window_number_out_of_range_is_refused(world):
    with pytest.raises(IntegrityError):
        Window.objects.create(community=world.a, number=13, name="第十三窗口")


def test_item_must_belong_to_a_window_of_its_community_and_list_documents_once(world):
    hall_ensure_catalogue(world.a)
    hall_ensure_catalogue(world.b)
    other_window = Window.objects.get(community=world.b, number=1)
    item = ServiceItem(community=world.a, window=other_window, name="测试事项", required_documents=["身份证"])
    with pytest.raises(ValidationError, match="同一社区"):
        item.full_clean()
    item.window = Window.objects.get(community=world.a, number=1)
    item.required_documents = ["身份证", "身份证"]
    with pytest.raises(ValidationError, match="重复"):
        item.full_clean()
    item.required_documents = "身份证"
    with pytest.raises(ValidationError, match="列表"):
        item.full_clean()
