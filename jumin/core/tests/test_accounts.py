import subprocess
import sys

import pytest
from django.urls import reverse

from jumin.core.models import Role, User
from jumin.people.models import Activation, ActivationStatus


def test_staff_log_in_with_phone_and_land_on_the_office(client, world):
    user = world.users.secretary
    response = client.post(reverse("core:login"), {"username": user.phone, "password": "pass-1234-word"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboards:office")
    html = response.content.decode()
    for pillar in ["党建引领", "居民自治", "精准服务", "共建共享", "数据"]:
        assert pillar in html
    assert "住户台账" in html


def test_wrong_password_message_is_chinese(client, world):
    response = client.post(reverse("core:login"), {"username": world.users.secretary.phone, "password": "wrong"})
    assert "手机号或密码不正确" in response.content.decode()


def test_resident_lands_on_tiles(login, world):
    response = login(world.users.resident).get(reverse("core:home"), follow=True)
    html = response.content.decode()
    assert "我的家庭" in html
    assert "长辈模式" in html


def test_elder_mode_is_remembered_per_user(login, world):
    client = login(world.users.resident)
    client.post(reverse("core:elder-mode"), {"on": "1", "next": reverse("core:me")})
    assert User.objects.get(pk=world.users.resident.pk).elder_mode is True
    html = client.get(reverse("core:me")).content.decode()
    assert 'class="elder' in html
    client.post(reverse("core:elder-mode"), {"on": "0"})
    assert User.objects.get(pk=world.users.resident.pk).elder_mode is False


def test_elder_mode_before_login_lives_in_the_session(client, db):
    client.post(reverse("core:elder-mode"), {"on": "1"})
    assert 'class="elder' in client.get(reverse("core:home")).content.decode()


def test_elder_mode_next_cannot_redirect_off_site(client, db):
    response = client.post(reverse("core:elder-mode"), {"on": "1", "next": "https://evil.example/"})
    assert response["Location"] == reverse("core:home")


def activate(client, resident, phone=None, password="长辈密码abc123"):
    return client.post(
        reverse("people:activate"),
        {
            "phone": phone or resident.phone,
            "id_number": resident.id_number,
            "password": password,
            "password2": password,
        },
    )


def test_resident_activation_needs_staff_approval(client, login, world):
    neighbour_spouse = world.spouse  # registered, no account yet
    response = activate(client, neighbour_spouse)
    assert "申请已提交" in response.content.decode()
    user = User.objects.get(phone=neighbour_spouse.phone)
    assert user.role == Role.RESIDENT and user.resident is None

    client.force_login(user)
    assert "等待社区工作人员审核" in client.get(reverse("core:me")).content.decode()
    assert client.get(reverse("people:my-household")).status_code == 404

    staff = login(world.users.window_staff)
    activation = Activation.objects.get(user=user)
    assert neighbour_spouse.name in staff.get(reverse("people:activation-list")).content.decode()
    staff.post(reverse("people:activation-decide", args=[activation.pk]), {"decision": "approve"})
    activation.refresh_from_db()
    assert activation.status == ActivationStatus.APPROVED

    client.force_login(user)
    html = client.get(reverse("people:my-household")).content.decode()
    assert world.resident.name in html


def test_activation_with_unmatched_phone_is_refused_without_leaking(client, world):
    response = activate(client, world.spouse, phone="13812345678")
    html = response.content.decode()
    assert "未能匹配到社区登记信息" in html
    assert not User.objects.filter(phone="13812345678").exists()


def test_activation_rejects_bad_id_checksum(client, world):
    response = client.post(
        reverse("people:activate"),
        {
            "phone": world.spouse.phone,
            "id_number": "110105194912310021",
            "password": "x9!longpass",
            "password2": "x9!longpass",
        },
    )
    assert "校验位" in response.content.decode()


def test_other_community_staff_cannot_decide_activation(login, client, world):
    activate(client, world.spouse)
    activation = Activation.objects.get()
    response = login(world.users.other_secretary).post(
        reverse("people:activation-decide", args=[activation.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404
    assert Activation.objects.get().status == ActivationStatus.PENDING


def test_rejecting_needs_a_reason(login, client, world):
    activate(client, world.spouse)
    activation = Activation.objects.get()
    staff = login(world.users.secretary)
    response = staff.post(
        reverse("people:activation-decide", args=[activation.pk]), {"decision": "reject"}, follow=True
    )
    assert "驳回时请填写原因" in response.content.decode()
    assert Activation.objects.get().status == ActivationStatus.PENDING


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"JUMIN_PRODUCTION": "1"}, "DJANGO_SECRET_KEY"),
        ({"JUMIN_PRODUCTION": "1", "DJANGO_SECRET_KEY": "x" * 40}, "JUMIN_FIELD_SALT"),
        ({"JUMIN_PRODUCTION": "1", "DJANGO_SECRET_KEY": "x" * 40, "DJANGO_DEBUG": "1"}, "DEBUG"),
    ],
)
def test_production_refuses_unsafe_settings(env, message):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup()",
        ],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_demo_password_never_logs_in_in_production(client, world, settings):
    user = world.users.secretary
    user.set_password(settings.DEMO_PASSWORD)
    user.save()
    settings.ALLOW_DEMO_PASSWORD = False
    response = client.post(reverse("core:login"), {"username": user.phone, "password": settings.DEMO_PASSWORD})
    assert "手机号或密码不正确" in response.content.decode()
    settings.ALLOW_DEMO_PASSWORD = True
    response = client.post(reverse("core:login"), {"username": user.phone, "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302


def test_elder_mode_chosen_before_login_is_kept_on_the_account(client, world):
    client.post(reverse("core:elder-mode"), {"on": "1"})
    user = world.users.resident
    client.post(reverse("core:login"), {"username": user.phone, "password": "pass-1234-word"})
    assert User.objects.get(pk=user.pk).elder_mode is True


def test_repeated_wrong_passwords_lock_the_account_for_a_while(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    phone = world.users.secretary.phone
    for _ in range(3):
        client.post(reverse("core:login"), {"username": phone, "password": "wrong-password"})
    response = client.post(reverse("core:login"), {"username": phone, "password": "pass-1234-word"})
    assert "暂时无法登录" in response.content.decode()
