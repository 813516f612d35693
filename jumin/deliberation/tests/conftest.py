import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jumin.core.models import ApiToken, Role
from jumin.people.tests.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(name="委托书.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


@pytest.fixture
def spouse_user(world):
    return UserFactory(role=Role.RESIDENT, phone=world.spouse.phone, name=world.spouse.name, resident=world.spouse)


@pytest.fixture
def far_user(world):
    return UserFactory(
        role=Role.RESIDENT, phone=world.far_resident.phone, name=world.far_resident.name, resident=world.far_resident
    )
