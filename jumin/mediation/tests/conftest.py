import datetime
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jumin.core.models import ApiToken
from jumin.mediation import services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 32


def upload(name="协议.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    # Uploaded agreements go to a throw-away folder, never the working tree.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def register(world, *, actor=None, parties=None, **extra):
    """A dispute between 张三丰 (requester) and his neighbour 王建国, registered by staff."""
    data = {
        "title": "楼上夜间噪音",
        "text": "102室夜里拖动桌椅,影响休息",
        "category": "noise",
        "resident": world.resident,
        "other_parties": parties if parties is not None else [world.neighbour],
    }
    data.update(extra)
    return services.dispute_register(actor=actor or world.users.secretary, **data)


def session(world, dispute, actor=None, **extra):
    data = {
        "held_at": timezone.now() - datetime.timedelta(hours=1),
        "place": "社区调解室",
        "notes": "分别听取双方意见",
        "attendees": [p.resident for p in dispute.case.parties.select_related("resident")],
    }
    data.update(extra)
    return services.session_add(actor=actor or world.users.mediator, dispute=dispute, **data)


def agreed(world, dispute, actor=None):
    session(world, dispute, actor=actor)
    return services.agreement_record(
        actor=actor or world.users.mediator, dispute=dispute, text="一、22点后不再拖动桌椅;二、加装脚垫"
    )


@pytest.fixture
def dispute(world):
    """Registered by the secretary and assigned to the mediator (已受理)."""
    d = register(world)
    services.dispute_assign_mediator(actor=world.users.secretary, dispute=d, mediator=world.users.mediator)
    d.case.refresh_from_db()
    return d


@pytest.fixture
def helpers():
    return SimpleNamespace(register=register, session=session, agreed=agreed, upload=upload, bearer=bearer)
