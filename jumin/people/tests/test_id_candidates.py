"""A masked 身份证号 cannot be rebuilt (issue 6 §4): from everything a role without register.reveal_id receives
about a person, on every surface, at least 1,000 valid numbers remain. Counted from the responses themselves: page
HTML (and its HTMX partial), API JSON, downloaded ledgers."""

import datetime
import io
import re
from collections import Counter

import pytest
from openpyxl import load_workbook

from jumin.core.access import user_can
from jumin.core.models import ApiToken, Role
from jumin.people import idcard, services
from jumin.people.models import Relationship
from jumin.people.tests.factories import ResidentFactory, UserFactory

MINIMUM = 1000
AREA = "110105"  # nobody else in the test world has it, so every masked number with it is the target's
BIRTH = datetime.date(1961, 7, 23)  # nobody else was born that day
PHONE = "13900001111"


def birth_dates_for_age(age: int, today: datetime.date) -> list[datetime.date]:
    """Every date of birth that makes someone `age` today."""
    days = []
    day = datetime.date(today.year - age - 1, 1, 1)
    while day <= today:
        before_birthday = (today.month, today.day) < (day.month, day.day)
        if today.year - day.year - before_birthday == age:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def shown_characters(number: str, received: str) -> dict[int, str]:
    """Positions of `number` that some masked form of it in `received` shows."""
    shown = {}
    for match in re.finditer(re.escape(number[:6]) + r"[\dX*]{12}", received):
        masked = match.group()
        if all(c in ("*", n) for c, n in zip(masked, number, strict=True)):
            shown.update({i: c for i, c in enumerate(masked) if c != "*"})
    return shown


def birth_date_shown(birth: datetime.date, received: str) -> bool:
    forms = {
        f"{birth:%Y-%m-%d}",
        f"{birth:%Y/%m/%d}",
        f"{birth.year}/{birth.month}/{birth.day}",
        f"{birth.year}年{birth.month}月{birth.day}日",
        f"{birth:%Y年%m月%d日}",
        f"{birth:%Y%m%d}",
    }
    return any(form in received for form in forms)


def id_candidates(number: str, received: str, *, today: datetime.date | None = None) -> int:
    """How many valid ID numbers agree with what `received` says about the person holding `number`. Pessimistic:
    the area code, the age and the gender count as known whatever the surface shows."""
    if number in received:
        return 1
    today = today or datetime.date.today()
    _, birth, gender = idcard.parse(number)
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    dates = [birth] if birth_date_shown(birth, received) else birth_dates_for_age(age, today)
    shown = shown_characters(number, received)
    weights, codes = idcard.WEIGHTS, idcard.CHECK_CODES
    # The sequence digits (positions 15–17) the surface leaves open, by their weighted sum mod 11.
    sequences = Counter()
    for sequence in range(1000):
        digits = f"{sequence:03d}"
        if any(shown.get(14 + i, d) != d for i, d in enumerate(digits)):
            continue
        if (int(digits[2]) % 2 == 1) != (gender == "M"):
            continue
        sequences[sum(int(d) * w for d, w in zip(digits, weights[14:], strict=True)) % 11] += 1
    count = 0
    for day in dates:
        prefix = number[:6] + f"{day:%Y%m%d}"
        base = sum(int(d) * w for d, w in zip(prefix, weights[:14], strict=True))
        for residue, n in sequences.items():
            check = codes[(base + residue) % 11]
            if shown.get(17, check) == check:
                count += n
    return count


def as_text(response) -> str:
    assert response.status_code == 200, response.content[:300]
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(response.content))
        cells = (c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row)
        return "\n".join(str(c) for c in cells if c is not None)
    return response.content.decode()


def test_the_count_rebuilds_the_old_mask_beside_a_birth_date():
    number = idcard.make(AREA, BIRTH, 482)
    old_mask = number[:6] + "********" + number[-4:]
    assert id_candidates(number, f"{old_mask} {BIRTH:%Y-%m-%d}") == 1
    assert id_candidates(number, old_mask) < MINIMUM  # age and the last four: a few dozen
    assert id_candidates(number, f"{idcard.mask(number)} {BIRTH:%Y-%m-%d}") < MINIMUM
    assert id_candidates(number, idcard.mask(number)) >= MINIMUM


@pytest.fixture
def target(world):
    """A woman in the resident's household, whose number was corrected once by the secretary (so the audit list
    holds both masked numbers)."""
    first = idcard.make(AREA, datetime.date(1962, 3, 9), 481)
    person = ResidentFactory(
        household=world.home,
        name="欧阳明月",
        relationship=Relationship.SIBLING,
        gender="F",
        birth_date=datetime.date(1962, 3, 9),
        id_number=first,
        phone=PHONE,
    )
    secretary = world.users.secretary
    home = type(world.home).objects.get(pk=world.home.pk)
    services.resident_update(
        actor=secretary,
        scope=services.Scope(community_ids=(world.a.pk,)),
        resident=person,
        expected_version=home.version,
        data={"name": person.name, "relationship": person.relationship, "id_number": idcard.make(AREA, BIRTH, 482)},
    )
    person.refresh_from_db()
    assert person.birth_date == BIRTH
    person.first_number = first
    return person


def office_surfaces(world, target) -> dict[str, tuple[str, dict]]:
    file = f"/office/households/{world.home.uuid}/"
    return {
        "household file": (file, {}),
        "resident list": ("/office/residents/", {"q": "欧阳"}),
        "resident list (htmx)": ("/office/residents/", {"q": "欧阳", "HTTP_HX_REQUEST": "true"}),
        "resident list, ID-tail search": ("/office/residents/", {"q": target.id_tail}),
        "household list": ("/office/households/", {"q": "欧阳"}),
        "resident ledger": ("/office/residents/export.xlsx", {}),
        "household ledger": ("/office/households/export.xlsx", {}),
        "edit form": (f"/office/residents/{target.uuid}/edit/", {}),
        "errand for a resident": ("/office/errands/new/", {"resident": str(target.uuid)}),
        "errand resident search": ("/office/errands/new/", {"q": "欧阳"}),
        "opinion on behalf": ("/office/opinions/new/", {"q": "欧阳"}),
        "dispute register search": ("/office/disputes/new/", {"q": "欧阳"}),
        "audit list": ("/office/audit/", {}),
        "API household": (f"/api/v1/households/{world.home.uuid}", {"api": True}),
        "API household list": ("/api/v1/households", {"api": True, "q": "欧阳"}),
        "API household list, ID-tail search": ("/api/v1/households", {"api": True, "q": target.id_tail}),
    }


def fetch(client, user, url, options) -> str | None:
    """What `user` receives from `url`, as text; None when the role may not open it at all (403/404/redirect)."""
    options = dict(options)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"} if options.pop("api", False) else {}
    headers.update({k: options.pop(k) for k in list(options) if k.startswith("HTTP_")})
    client.force_login(user)
    response = client.get(url, options, **headers)
    if response.status_code in (302, 403, 404):
        return None
    return as_text(response)


OFFICE_ROLES_WITHOUT_REVEAL = ["grid_worker", "street_leader", "mediator", "party_rep"]


@pytest.mark.parametrize("role", OFFICE_ROLES_WITHOUT_REVEAL)
def test_office_roles_without_reveal_cannot_narrow_a_masked_number_below_1000(client, world, target, role):
    user = UserFactory(role=Role.PARTY_REP, community=world.a) if role == "party_rep" else getattr(world.users, role)
    assert not user_can(user, "register.reveal_id")
    counts, opened = {}, []
    for surface, (url, options) in office_surfaces(world, target).items():
        received = fetch(client, user, url, options)
        if received is None:
            continue
        opened.append(surface)
        for number in (target.id_number, target.first_number):
            counts[(surface, number[-2:])] = id_candidates(number, received)
    assert "household file" in opened and "API household" in opened
    assert all(n >= MINIMUM for n in counts.values()), {k: n for k, n in counts.items() if n < MINIMUM}


def test_the_grid_worker_and_street_leader_opened_the_ledgers_and_the_audit_list(client, world, target):
    """The count above is only as good as the surfaces it saw: the roles that export and audit did open them."""
    surfaces = office_surfaces(world, target)
    for role, names in {
        "grid_worker": ["resident ledger", "household ledger", "edit form", "errand for a resident"],
        "street_leader": ["resident ledger", "audit list"],
        "mediator": ["dispute register search"],
    }.items():
        for name in names:
            url, options = surfaces[name]
            received = fetch(client, getattr(world.users, role), url, options)
            assert received is not None, (role, name)
            if name in ("resident ledger", "audit list", "errand for a resident", "dispute register search"):
                assert "欧阳明月" in received or target.id_masked in received, (role, name)


def test_residents_cannot_narrow_a_family_members_number_below_1000(client, world, target):
    user = world.users.resident
    for url, options in [
        ("/me/household/", {}),
        (f"/api/v1/households/{world.home.uuid}", {"api": True}),
        ("/api/v1/households", {"api": True}),
    ]:
        received = fetch(client, user, url, options)
        assert received is not None, url
        assert id_candidates(target.id_number, received) >= MINIMUM, url


def test_the_api_gives_birth_dates_only_to_roles_that_may_reveal(client, world, target):
    url = f"/api/v1/households/{world.home.uuid}"
    for role, expected in [("secretary", f"{BIRTH:%Y-%m-%d}"), ("grid_worker", None), ("resident", None)]:
        user = getattr(world.users, role)
        members = client.get(url, HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)}").json()["members"]
        mine = next(m for m in members if m["name"] == "欧阳明月")
        assert mine["birth_date"] == expected and mine["id_number"] == target.id_masked


def test_id_tail_search_finds_the_person_only_for_roles_that_may_reveal(client, world, target):
    for role, found in [("secretary", True), ("window_staff", True), ("grid_worker", False), ("street_leader", False)]:
        client.force_login(getattr(world.users, role))
        html = client.get("/office/residents/", {"q": target.id_tail}).content.decode()
        assert ("欧阳明月" in html) is found, role


def test_a_grid_worker_cannot_test_birth_dates_on_the_edit_form(client, world, target):
    client.force_login(world.users.grid_worker)
    url = f"/office/residents/{target.uuid}/edit/"
    html = client.get(url).content.decode()
    assert 'name="birth_date"' not in html
    data = {"name": target.name, "relationship": "sibling", "phone": PHONE}
    for guess in [BIRTH, datetime.date(1961, 7, 24)]:  # right and wrong: the same answer, nothing written
        version = type(world.home).objects.get(pk=world.home.pk).version
        response = client.post(url, {**data, "version": version, "birth_date": guess.isoformat()})
        assert response.status_code == 302  # the field is not on the form, so a posted date is ignored
    target.refresh_from_db()
    assert target.birth_date == BIRTH


def test_the_service_refuses_a_birth_date_from_a_role_that_may_not_see_it(world, target):
    actor = world.users.grid_worker
    home = type(world.home).objects.get(pk=world.home.pk)
    for guess in [BIRTH, datetime.date(1961, 7, 24)]:
        with pytest.raises(services.DomainError) as refused:
            services.resident_update(
                actor=actor,
                scope=services.Scope(community_ids=(world.a.pk,), grid_ids=(world.grid1.pk,)),
                resident=target,
                expected_version=home.version,
                data={"name": target.name, "relationship": "sibling", "birth_date": guess},
            )
        assert refused.value.message == "出生日期按身份证号登记,请同时填写新的身份证号"
