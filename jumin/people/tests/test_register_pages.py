"""What the register list pages show in their cells."""

from django.urls import reverse

from jumin.people.models import Relationship
from jumin.people.tests.factories import ResidentFactory


def test_resident_list_shows_a_dash_for_a_member_without_phone(login, world):
    ResidentFactory(household=world.home, name="张小宝", relationship=Relationship.CHILD, age=6, phone="")
    body = login(world.users.secretary).get(reverse("people:resident-list"), {"q": "张小宝"}).content.decode()
    row = body[body.index("张小宝</a>") :].split("</tr>")[0]
    cells = [c.split("</td>")[0] for c in row.split("<td")[1:]]
    assert cells[3].endswith(">—")
