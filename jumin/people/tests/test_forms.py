"""The register's forms as a browser sees them: what is filled in, and what a save sent back unchanged does."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from jumin.core.access import scope_for
from jumin.core.errors import DomainError
from jumin.core.models import AuditEvent
from jumin.people import services
from jumin.people.models import Household, Resident


def form_values(html: str) -> dict:
    """The values a browser would submit for the text, date and hidden inputs and the selected options."""
    values = {}
    for tag in re.findall(r"<input\b[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="checkbox"' in tag or 'type="submit"' in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        values[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        values[name] = selected.group(1) if selected else ""
    return values


def test_edit_form_fills_the_date_picker_with_the_birth_date_on_file(login, world):
    html = login(world.users.secretary).get(reverse("people:resident-edit", args=[world.spouse.uuid])).content.decode()
    # <input type="date"> only shows ISO dates; the zh-hans format (1963/01/15) would leave it blank.
    assert f'value="{world.spouse.birth_date:%Y-%m-%d}"' in html
    assert 'type="date"' in html


def test_move_out_form_offers_today_in_the_date_picker(login, world):
    html = login(world.users.secretary).get(reverse("people:resident-move-out", args=[world.spouse.uuid]))
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in html.content.decode()


def test_edit_form_sent_back_with_one_change_saves_it(login, world):
    """What a browser does: take the form as rendered, change the phone, submit."""
    client = login(world.users.secretary)
    url = reverse("people:resident-edit", args=[world.spouse.uuid])
    data = form_values(client.get(url).content.decode())
    version = Household.objects.get(pk=world.home.pk).version
    assert data["birth_date"] == f"{world.spouse.birth_date:%Y-%m-%d}"
    data.pop("csrfmiddlewaretoken", None)
    data["phone"] = "18800002222"

    response = client.post(url, data)

    assert response.status_code == 302
    spouse = Resident.objects.get(pk=world.spouse.pk)
    assert spouse.phone == "18800002222"
    assert spouse.birth_date == world.spouse.birth_date
    assert Household.objects.get(pk=world.home.pk).version == version + 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_date", datetime.date(1950, 1, 1), "出生日期与身份证号不一致"),
        ("gender", "M", "性别与身份证号不一致"),
    ],
)
def test_edit_without_a_new_id_number_keeps_birth_date_and_gender_in_line_with_it(world, field, value, message):
    actor = world.users.secretary
    spouse = world.spouse  # female, birth date taken from her ID number
    data = {"name": spouse.name, "relationship": "spouse", "gender": spouse.gender, "birth_date": spouse.birth_date}
    data[field] = value
    with pytest.raises(DomainError) as refused:
        services.resident_update(
            actor=actor, scope=scope_for(actor), resident=spouse, expected_version=world.home.version, data=data
        )
    assert refused.value.field == field
    assert refused.value.message == message
    stored = Resident.objects.get(pk=spouse.pk)
    assert (stored.birth_date, stored.gender) == (spouse.birth_date, spouse.gender)
    assert Household.objects.get(pk=world.home.pk).version == world.home.version
    assert not AuditEvent.objects.filter(action="resident.update").exists()


def test_edit_page_shows_the_mismatch_at_the_field(login, world):
    client = login(world.users.secretary)
    url = reverse("people:resident-edit", args=[world.spouse.uuid])
    data = form_values(client.get(url).content.decode())
    data.pop("csrfmiddlewaretoken", None)
    data["birth_date"] = "1950-01-01"
    html = client.post(url, data).content.decode()
    assert "出生日期与身份证号不一致" in html
    assert Resident.objects.get(pk=world.spouse.pk).birth_date == world.spouse.birth_date


def test_reveal_button_without_scripts_gets_a_whole_page(login, world):
    response = login(world.users.window_staff).post(reverse("people:resident-reveal-id", args=[world.spouse.uuid]))
    html = response.content.decode()
    assert "<html" in html and world.spouse.id_number in html
    assert "返回一户一档" in html
    assert "no-store" in response["Cache-Control"]


def test_reveal_button_with_htmx_gets_the_fragment_for_the_cell(login, world):
    url = reverse("people:resident-reveal-id", args=[world.spouse.uuid])
    response = login(world.users.window_staff).post(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and world.spouse.id_number in html
    assert AuditEvent.objects.filter(action="resident.reveal_id").count() == 1


def test_new_member_without_birth_date_or_gender_takes_them_from_the_id_number(login, world):
    from jumin.people.tests.factories import new_id_number

    birth = datetime.date(2001, 9, 30)
    number = new_id_number(birth, "F")
    client = login(world.users.secretary)
    url = reverse("people:resident-create", args=[world.home.uuid])
    data = form_values(client.get(url).content.decode())
    data.pop("csrfmiddlewaretoken", None)
    data.update({"name": "张小雨", "relationship": "grandchild", "id_number": number})
    assert data["gender"] == "" and data["birth_date"] == ""

    response = client.post(url, data)

    assert response.status_code == 302
    member = Resident.objects.get(name="张小雨")
    assert (member.birth_date, member.gender) == (birth, "F")
    assert Household.objects.get(pk=world.home.pk).member_count == 3


def test_new_household_head_without_birth_date_takes_it_from_the_id_number(login, world):
    from jumin.people.tests.factories import new_id_number

    birth = datetime.date(1975, 12, 1)
    response = login(world.users.secretary).post(
        reverse("people:household-create"),
        {
            "compound": world.compound.pk,
            "building": "1号楼",
            "unit": "1单元",
            "number": "808",
            "name": "钱多多",
            "id_number": new_id_number(birth, "M"),
            "gender": "",
            "birth_date": "",
        },
    )
    assert response.status_code == 302
    head = Resident.objects.get(name="钱多多")
    assert (head.birth_date, head.gender, head.relationship) == (birth, "M", "head")


def test_edit_with_birth_date_and_gender_cleared_keeps_them(login, world):
    client = login(world.users.secretary)
    url = reverse("people:resident-edit", args=[world.spouse.uuid])
    data = form_values(client.get(url).content.decode())
    data.pop("csrfmiddlewaretoken", None)
    data.update({"birth_date": "", "gender": "", "name": "李秀兰"})

    assert client.post(url, data).status_code == 302

    spouse = Resident.objects.get(pk=world.spouse.pk)
    assert (spouse.name, spouse.birth_date, spouse.gender) == ("李秀兰", world.spouse.birth_date, "F")
    event = AuditEvent.objects.get(action="resident.update")
    assert set(event.changes) == {"姓名"}


def test_add_member_form_makes_staff_choose_the_relationship(login, world):
    client = login(world.users.secretary)
    url = reverse("people:resident-create", args=[world.home.uuid])
    values = form_values(client.get(url).content.decode())
    assert values["relationship"] == ""
    values.pop("csrfmiddlewaretoken", None)
    values.update({"name": "张小雨", "id_number": "371602200109300026"})
    html = client.post(url, values).content.decode()
    assert "请填写此项" in html and "这个字段是必填项" not in html
    assert not Resident.objects.filter(name="张小雨").exists()


def _field_errors(html: str, field: str) -> list[str]:
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", match.group(1)) if match else []


@pytest.mark.parametrize("typed", ["3716021990", "37160219900101123"])
def test_short_id_number_on_a_new_member_says_it_needs_18_characters(login, world, typed):
    client = login(world.users.secretary)
    url = reverse("people:resident-create", args=[world.home.uuid])
    data = form_values(client.get(url).content.decode())
    data.update({"name": "张小雨", "relationship": "child", "id_number": typed})
    before = Resident.objects.count()

    html = client.post(url, data).content.decode()

    assert _field_errors(html, "id_number") == ["身份证号应为18位(最后一位可为X)"]
    assert "该变量" not in html
    assert Resident.objects.count() == before


def test_new_household_without_head_id_number_asks_for_it_by_name(login, world):
    client = login(world.users.secretary)
    url = reverse("people:household-create")
    data = form_values(client.get(url).content.decode())
    data.update(
        {"compound": str(world.compound.pk), "building": "1号楼", "unit": "1单元", "number": "909", "name": "刘一"}
    )
    before = Household.objects.count()

    html = client.post(url, data).content.decode()

    assert _field_errors(html, "id_number") == ["请填写户主身份证号"]
    assert Household.objects.count() == before


def test_activation_with_a_short_id_number_says_it_needs_18_characters(client, world):
    response = client.post(
        reverse("people:activate"),
        {"phone": "13912345678", "id_number": "zzz", "password": "Jumin-2026-ok", "password2": "Jumin-2026-ok"},
    )
    assert _field_errors(response.content.decode(), "id_number") == ["身份证号应为18位(最后一位可为X)"]
