import pytest

from jumin.cases.models import Case, CaseAttachment, Phase
from jumin.core.errors import DomainError, PermissionDenied
from jumin.core.models import AuditEvent, Role
from jumin.party.models import Category, Channel, Opinion
from jumin.party.services import opinion_submit
from jumin.people.tests.factories import UserFactory

from .conftest import fake_jpeg, png


def submit(actor, **extra):
    fields = {
        "title": "3号楼下水道堵塞",
        "text": "一楼下水道堵了三天,污水返到地面。",
        "category": Category.ENVIRONMENT,
        "allow_public": True,
    }
    fields.update(extra)
    return opinion_submit(actor=actor, **fields)


def test_resident_submits_own_opinion_with_a_photo(world):
    case = submit(world.users.resident, photos=[png()])
    assert case.kind == "opinion" and case.status == "submitted" and case.phase == Phase.NEW
    assert case.number.startswith("MY")
    assert case.resident == world.resident and case.grid == world.grid1
    opinion = Opinion.objects.get(case=case)
    assert opinion.community == world.a
    assert (opinion.category, opinion.channel, opinion.allow_public) == (Category.ENVIRONMENT, Channel.ONLINE, True)
    assert opinion.recorded_by == world.users.resident
    attachment = CaseAttachment.objects.get(case=case)
    assert attachment.content_type == "image/png" and attachment.public
    audit = AuditEvent.objects.get(action="opinion.submit")
    assert case.number in audit.summary and world.resident.phone not in audit.summary


def test_resident_cannot_pick_a_channel_or_someone_else(world):
    case = submit(world.users.resident, channel=Channel.WINDOW, resident=world.neighbour)
    assert case.resident == world.resident
    assert case.opinion.channel == Channel.ONLINE


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"title": "  "}, "title", "请填写标题"),
        ({"text": ""}, "text", "请填写内容"),
        ({"category": "weather"}, "category", "请选择类别"),
        ({"photos": [fake_jpeg()]}, "photos", "只能上传"),
        ({"photos": [png(f"p{i}.png") for i in range(7)]}, "photos", "最多上传 6 张照片"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(world, extra, field, message):
    with pytest.raises(DomainError) as caught:
        submit(world.users.resident, **extra)
    assert caught.value.field == field and message in caught.value.message
    assert not Case.objects.exists() and not Opinion.objects.exists() and not CaseAttachment.objects.exists()


def test_pdf_is_not_a_photo(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n...", content_type="application/pdf")
    with pytest.raises(DomainError, match="只能上传 JPG、PNG 或 WEBP 图片"):
        submit(world.users.resident, photos=[pdf])
    assert not Case.objects.exists()


def test_grid_worker_records_for_a_resident_in_their_grid(world):
    case = submit(world.users.grid_worker, resident=world.spouse, photos=[png()])
    assert case.resident == world.spouse and case.raised_by == world.users.grid_worker
    assert case.opinion.channel == Channel.GRID and case.opinion.recorded_by == world.users.grid_worker


def test_grid_worker_cannot_record_outside_their_grids(world):
    with pytest.raises(PermissionDenied, match="管辖范围"):
        submit(world.users.grid_worker, resident=world.far_resident)
    with pytest.raises(PermissionDenied):
        submit(world.users.grid_worker, resident=world.outsider_resident)
    assert not Opinion.objects.exists()


def test_window_staff_and_party_rep_record_with_their_own_channel(world):
    assert submit(world.users.window_staff, resident=world.far_resident).opinion.channel == Channel.WINDOW
    rep = UserFactory(role=Role.PARTY_REP, community=world.a)
    case = submit(rep, resident=world.neighbour)
    assert case.opinion.channel == Channel.RECEPTION_DAY
    secretary_case = submit(world.users.secretary, resident=world.neighbour, channel=Channel.RECEPTION_DAY)
    assert secretary_case.opinion.channel == Channel.RECEPTION_DAY


def test_staff_must_choose_a_resident_and_a_staff_channel(world):
    with pytest.raises(DomainError, match="请选择居民"):
        submit(world.users.window_staff)
    with pytest.raises(DomainError, match="登记渠道"):
        submit(world.users.window_staff, resident=world.neighbour, channel=Channel.ONLINE)
    assert not Case.objects.exists()


@pytest.mark.parametrize("persona", ["mediator", "street_leader"])
def test_other_staff_may_not_record(world, persona):
    with pytest.raises(PermissionDenied, match="没有权限代录"):
        submit(getattr(world.users, persona), resident=world.neighbour)
    assert not Case.objects.exists()


def test_other_communitys_secretary_cannot_record_for_our_resident(world):
    with pytest.raises(PermissionDenied):
        submit(world.users.other_secretary, resident=world.neighbour)
    assert not Case.objects.exists()


def test_moved_out_resident_cannot_be_recorded_for(world):
    world.spouse.status = "moved_out"
    world.spouse.save(update_fields=["status"])
    with pytest.raises(DomainError, match="不在册"):
        submit(world.users.grid_worker, resident=world.spouse)
