"""Django's stock messages speak the product's own Chinese, whatever language the browser asks for."""

import pytest
from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse


def _messages(call) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.messages


def test_required_and_length_messages_are_ours():
    assert _messages(lambda: forms.CharField().clean("")) == ["请填写此项"]
    assert _messages(lambda: forms.CharField(max_length=5).clean("1234567")) == ["不能超过 5 个字(现在是 7 个)"]


def test_password_rules_are_in_chinese():
    messages = _messages(lambda: validate_password("123"))
    assert "密码太短,至少要 8 位" in messages
    assert not any(m.isascii() for m in messages)


@pytest.mark.django_db
def test_a_browser_asking_for_english_still_gets_chinese(client):
    page = client.get(reverse("core:login"), headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert "登录" in page and 'lang="zh-CN"' in page
    response = client.post(reverse("core:login"), {"username": "", "password": ""}, headers={"accept-language": "en"})
    body = response.content.decode()
    assert "This field is required" not in body and "请填写此项" in body
