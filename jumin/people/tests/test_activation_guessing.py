"""The activation page must not confirm a guessed ID number (issue 6 §4): one answer for a wrong pair and for a
right pair whose account exists, and attempts throttled per phone and per client address."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jumin.core.models import User
from jumin.people import idcard, services
from jumin.people.models import Activation

PASSWORD = "Zq7!mountain-lake"


def activate(client, phone, id_number, ip="203.0.113.7"):
    data = {"phone": phone, "id_number": id_number, "password": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("people:activate"), data, REMOTE_ADDR=ip)


def wrong_number(resident, n=0) -> str:
    """A valid number with the resident's birth date and gender, but another sequence: what a guesser tries."""
    number = resident.id_number
    sequence = (int(number[14:17]) + 2 * (n + 1)) % 1000
    return idcard.make(number[:6], resident.birth_date, sequence)


def errors(response) -> str:
    html = response.content.decode()
    assert response.status_code == 200
    start = html.index('class="errorlist')
    return html[start : html.index("</ul>", start)]


def test_right_and_wrong_numbers_for_an_existing_account_get_the_same_answer(client, world):
    resident = world.resident  # has an account already
    accounts, requests = User.objects.count(), Activation.objects.count()
    right = errors(activate(client, resident.phone, resident.id_number))
    wrong = errors(activate(client, resident.phone, wrong_number(resident)))
    assert right == wrong
    assert services.NO_MATCH in right and "已注册" not in right
    assert (User.objects.count(), Activation.objects.count()) == (accounts, requests)


def test_a_phone_gets_five_attempts_a_day_whoever_sends_them(client, world):
    spouse = world.spouse  # registered, no account: the right pair would succeed
    for n in range(services.ATTEMPTS_PER_PHONE):
        assert services.NO_MATCH in errors(
            activate(client, spouse.phone, wrong_number(spouse, n), ip=f"198.51.100.{n}")
        )
    refused = activate(client, spouse.phone, spouse.id_number, ip="198.51.100.99")
    assert services.TOO_MANY in errors(refused)
    assert not User.objects.filter(phone=spouse.phone).exists() and not Activation.objects.exists()


def test_a_client_address_gets_twenty_attempts_a_day_across_phones(client, world):
    for n in range(services.ATTEMPTS_PER_CLIENT):
        activate(client, f"1370000{n:04d}", wrong_number(world.spouse, n))
    assert services.TOO_MANY in errors(activate(client, world.spouse.phone, world.spouse.id_number))
    assert not Activation.objects.exists()
    done = activate(client, world.spouse.phone, world.spouse.id_number, ip="192.0.2.1")
    assert "申请已提交" in done.content.decode()
    assert Activation.objects.get().resident == world.spouse


def test_the_count_starts_again_after_a_day(world):
    now = timezone.now()
    spouse = world.spouse
    for n in range(services.ATTEMPTS_PER_PHONE):
        with pytest.raises(services.DomainError):
            services.activation_request(
                phone=spouse.phone, id_number=wrong_number(spouse, n), password=PASSWORD, now=now
            )
    with pytest.raises(services.DomainError) as refused:
        services.activation_request(phone=spouse.phone, id_number=spouse.id_number, password=PASSWORD, now=now)
    assert refused.value.message == services.TOO_MANY
    later = now + datetime.timedelta(hours=24, minutes=1)
    activation = services.activation_request(
        phone=spouse.phone, id_number=spouse.id_number, password=PASSWORD, now=later
    )
    assert activation.resident == spouse
