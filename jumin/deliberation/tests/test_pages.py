"""Pages per role, from outside (HTTP): what each may see and do, 404 outside the community; results hidden until
the close on every page; the choice of a secret ballot on no page but the voter's own."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from jumin.deliberation import services
from jumin.deliberation.models import Channel, Proposal, Stage, Vote

from .conftest import upload
from .factories import open_ballot


def _proposal(world, **extra):
    data = {"title": "南门停车位重新划线", "text": "南门停车位划线模糊,车辆乱停", "category": "parking"}
    data.update(extra)
    return services.proposal_create(actor=world.users.resident, **data)


def test_resident_proposes_on_the_phone_and_sees_it(world, login):
    client = login(world.users.resident)
    response = client.post(
        reverse("deliberation:proposal-new"),
        {
            "title": "加装电梯",
            "text": "1号楼老人多,希望加装电梯",
            "category": "facility",
            "compound": world.compound.pk,
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and proposal.stage == Stage.DISCUSSING
    assert proposal.compound == world.compound
    page = client.get(response["Location"], follow=True)
    assert "议题已发起" in page.content.decode() and "加装电梯" in page.content.decode()


def test_similar_open_proposals_are_suggested_while_typing(world, login):
    _proposal(world)
    client = login(world.users.neighbour)
    response = client.get(reverse("deliberation:proposal-similar"), {"title": "停车位划线", "text": "南门"})
    assert "南门停车位重新划线" in response.content.decode()
    response = client.get(reverse("deliberation:proposal-similar"), {"title": "健身器材维修", "text": ""})
    assert "南门停车位" not in response.content.decode()


def test_neighbour_supports_once_and_a_second_tap_says_so(world, login):
    proposal = _proposal(world)
    client = login(world.users.neighbour)
    url = reverse("deliberation:proposal-support", args=[proposal.uuid])
    assert "已附议" in client.post(url, follow=True).content.decode()
    assert "已经附议过" in client.post(url, follow=True).content.decode()
    proposal.refresh_from_db()
    assert proposal.support_count == 1


def test_outsider_gets_404_on_proposal_and_ballot(world, login):
    proposal = _proposal(world)
    ballot = open_ballot(world.users.secretary)
    client = login(world.users.outsider)
    assert client.get(reverse("deliberation:proposal", args=[proposal.uuid])).status_code == 404
    assert client.get(reverse("deliberation:ballot", args=[ballot.uuid])).status_code == 404
    assert client.post(reverse("deliberation:ballot-vote", args=[ballot.uuid]), {"choices": "yes"}).status_code == 404
    other = login(world.users.other_secretary)
    assert other.get(reverse("deliberation:office-proposal", args=[proposal.uuid])).status_code == 404
    assert other.get(reverse("deliberation:office-ballot", args=[ballot.uuid])).status_code == 404


def test_secretary_moves_a_proposal_to_vote_and_the_resident_votes(world, login):
    proposal = _proposal(world)
    office = login(world.users.secretary)
    office.post(reverse("deliberation:proposal-coordinate", args=[proposal.uuid]), {"note": "请物业参会"})
    office.post(
        reverse("deliberation:proposal-meeting", args=[proposal.uuid]),
        {
            "held_at": "2026-11-20T19:00",
            "place": "议事厅",
            "parties": "物业公司、居民代表",
            "attendance": "到 9 人",
            "minutes": "同意重新划线",
        },
    )
    office.post(reverse("deliberation:proposal-plan", args=[proposal.uuid]), {"plan": "划 20 个车位"})
    closes = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = office.post(
        reverse("deliberation:office-ballot-new") + f"?proposal={proposal.uuid}",
        {
            "question": "是否同意划线",
            "electorate": "household",
            "rule": "majority",
            "quorum": "0.5",
            "closes_at": closes,
            "proposal": proposal.uuid,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal.refresh_from_db()
    assert proposal.stage == Stage.VOTING
    ballot = proposal.ballots.get()
    page = office.get(reverse("deliberation:office-ballot", args=[ballot.uuid])).content.decode()
    assert "投票截止前,任何人(包括工作人员)都看不到票数" in page
    client = login(world.users.resident)
    page = client.get(reverse("deliberation:ballot", args=[ballot.uuid])).content.decode()
    assert "确认投票" in page
    response = client.post(reverse("deliberation:ballot-vote", args=[ballot.uuid]), {"choices": "yes"}, follow=True)
    assert "投票成功" in response.content.decode() and "已投票" in response.content.decode()
    assert Vote.objects.get(ballot=ballot).choices == ["yes"]


def test_results_are_hidden_until_close_on_every_page(world, login):
    start = timezone.now()
    ballot = open_ballot(world.users.secretary, hours=1, now=start)
    services.vote_cast(actor=world.users.resident, ballot=ballot, choices=["yes"], now=start)
    pages = [
        (world.users.secretary, reverse("deliberation:office-ballot", args=[ballot.uuid])),
        (world.users.resident, reverse("deliberation:ballot", args=[ballot.uuid])),
        (None, reverse("deliberation:board", args=[world.a.uuid])),
    ]
    for user, url in pages:
        client = login(user) if user else __import__("django.test", fromlist=["Client"]).Client()
        body = client.get(url).content.decode()
        assert "✔ 通过" not in body and "结果生效" not in body and "1 票" not in body, url
    with time_machine.travel(start + datetime.timedelta(hours=2)):
        board = (
            __import__("django.test", fromlist=["Client"])
            .Client()
            .get(reverse("deliberation:board", args=[world.a.uuid]))
            .content.decode()
        )
        assert "公示中 · 未通过" in board or "公示中 · 通过" in board
        assert "实投 1" in board


def test_secret_ballot_choice_is_on_no_staff_surface(world, login):
    ballot = open_ballot(world.users.secretary, secret=True, options=["方案甲", "方案乙"], hours=1)
    services.vote_cast(actor=world.users.resident, ballot=ballot, choices=["2"])
    office = login(world.users.secretary)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        roll = office.get(reverse("deliberation:office-roll", args=[ballot.uuid])).content.decode()
        export = office.get(reverse("deliberation:office-roll-export", args=[ballot.uuid]))
        audit = office.get(reverse("dashboards:audit-list")).content.decode() if _has_audit() else ""
    assert "已投" in roll and "方案乙" not in roll
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(export.content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row]
    assert "选择" not in cells and "方案乙" not in cells
    assert "方案乙" not in audit


def _has_audit():
    from django.urls import NoReverseMatch

    try:
        reverse("dashboards:audit-list")
    except NoReverseMatch:
        return False
    return True


def test_paper_ballot_entered_from_the_reconciliation_list(world, login):
    ballot = open_ballot(world.users.secretary)
    office = login(world.users.window_staff)
    page = office.get(reverse("deliberation:office-roll", args=[ballot.uuid]) + "?missing=1").content.decode()
    assert world.home.dwelling.address in page
    elector = ballot.electors.get(household=world.home)
    response = office.post(
        reverse("deliberation:paper-vote", args=[ballot.uuid, elector.pk]),
        {
            f"e{elector.pk}-household": world.home.uuid,
            f"e{elector.pk}-choices": "no",
            f"e{elector.pk}-scan": upload("选票.pdf"),
        },
        follow=True,
    )
    assert "已录入" in response.content.decode()
    vote = Vote.objects.get(elector=elector)
    assert vote.channel == Channel.PAPER and vote.scan is not None
    page = office.get(reverse("deliberation:office-roll", args=[ballot.uuid]) + "?missing=1").content.decode()
    assert world.home.dwelling.address not in page
    resident = login(world.users.resident)
    body = resident.get(reverse("deliberation:ballot", args=[ballot.uuid])).content.decode()
    assert "已投票" in body and "纸质选票" in body and "确认投票" not in body


def test_grid_worker_may_not_create_ballots(world, login):
    client = login(world.users.grid_worker)
    assert client.get(reverse("deliberation:office-ballot-new")).status_code == 403


@pytest.mark.parametrize(
    "name",
    ["office-proposals", "office-ballots", "office-charters", "office-proposals-export", "office-ballots-export"],
)
def test_office_lists_open_for_staff(world, login, name):
    _proposal(world)
    open_ballot(world.users.secretary)
    assert login(world.users.secretary).get(reverse(f"deliberation:{name}")).status_code == 200


def test_resident_pages_open(world, login):
    proposal = _proposal(world)
    ballot = open_ballot(world.users.secretary)
    client = login(world.users.neighbour)
    for url in [
        reverse("deliberation:proposals"),
        reverse("deliberation:proposal", args=[proposal.uuid]),
        reverse("deliberation:ballots"),
        reverse("deliberation:ballot", args=[ballot.uuid]),
        reverse("deliberation:proposal-new"),
    ]:
        assert client.get(url).status_code == 200, url


def test_charter_drafted_voted_and_adopted_shows_on_the_public_page(world, login):
    start = timezone.now()
    version = services.charter_draft(
        actor=world.users.secretary,
        compound=world.compound,
        text="第一条 爱护公共设施。",
        powers="小区理事会:组织停车管理",
    )
    ballot = services.charter_put_to_vote(
        actor=world.users.secretary, version=version, closes_at=start + datetime.timedelta(hours=1), now=start
    )
    services.vote_cast(actor=world.users.resident, ballot=ballot, choices=["yes"], now=start)
    services.vote_cast(actor=world.users.neighbour, ballot=ballot, choices=["yes"], now=start)
    services.ballots_sync(now=start + datetime.timedelta(days=9))
    version.refresh_from_db()
    assert version.status == "adopted"
    client = __import__("django.test", fromlist=["Client"]).Client()
    page = client.get(reverse("deliberation:public-charter", args=[world.a.uuid, version.charter_id])).content.decode()
    assert "第一条 爱护公共设施。" in page and "现行版本:第1版" in page
    office = login(world.users.secretary)
    assert office.get(reverse("deliberation:office-charter", args=[world.compound.uuid])).status_code == 200


def test_household_file_and_inbox_show_the_proposal(world, login):
    from jumin.core.registry import household_timeline

    proposal = _proposal(world)
    services.proposal_support(actor=world.users.neighbour, proposal=proposal)
    services.proposal_start_coordination(actor=world.users.secretary, proposal=proposal)
    titles = [e.title for e in household_timeline(world.neighbour_home, world.users.neighbour)]
    assert any("南门停车位重新划线" in t and "协调" in t for t in titles)
    assert not household_timeline(world.far_home, world.users.secretary) or all(
        "南门停车位" not in e.title for e in household_timeline(world.far_home, world.users.secretary)
    )
    inbox = login(world.users.resident).get(reverse("cases:my-cases")).content.decode()
    assert "南门停车位重新划线" in inbox


def test_office_desk_counts_what_waits(world, login):
    _proposal(world)
    page = login(world.users.secretary).get(reverse("dashboards:office")).content.decode()
    assert "议事中的议题" in page


def test_household_names_its_voter_and_the_other_member_is_refused(world, login, spouse_user):
    client = login(world.users.resident)
    response = client.post(reverse("deliberation:delegate"), {"resident": str(world.spouse.uuid)}, follow=True)
    assert f"已指定 {world.spouse.name} 代表本户投票" in response.content.decode()
    ballot = open_ballot(world.users.secretary)
    from jumin.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.vote_cast(actor=world.users.resident, ballot=ballot, choices=["yes"])
    services.vote_cast(actor=spouse_user, ballot=ballot, choices=["yes"])
    assert Vote.objects.filter(ballot=ballot).count() == 1


def test_staff_register_and_verify_a_proxy_then_the_proxy_votes(world, login):
    ballot = open_ballot(world.users.secretary)
    office = login(world.users.window_staff)
    response = office.post(
        reverse("deliberation:proxy-register", args=[ballot.uuid]),
        {"grantor_phone": world.resident.phone, "holder_phone": world.neighbour.phone, "letter": upload()},
        follow=True,
    )
    assert "委托已登记" in response.content.decode()
    proxy = ballot.proxies.get()
    response = office.post(
        reverse("deliberation:proxy-verify", args=[ballot.uuid, proxy.pk]), {"approve": "1"}, follow=True
    )
    assert "委托已核实" in response.content.decode()
    holder = login(world.users.neighbour)
    page = holder.get(reverse("deliberation:ballot", args=[ballot.uuid])).content.decode()
    assert f"受 {world.resident.name} 委托" in page
    response = holder.post(
        reverse("deliberation:proxy-vote", args=[ballot.uuid, proxy.pk]), {f"p{proxy.pk}-choices": "no"}, follow=True
    )
    assert "已代" in response.content.decode()
    assert Vote.objects.get(elector=proxy.elector).channel == Channel.PROXY


def test_ids_beyond_64_bits_are_not_found_never_500(world, login):
    ballot = open_ballot(world.users.secretary)
    office = login(world.users.secretary)
    huge = "9" * 30
    for url in [
        f"/office/deliberation/ballots/{ballot.uuid}/paper/{huge}/",
        f"/office/deliberation/ballots/{ballot.uuid}/proxies/{huge}/",
        f"/public/{world.a.uuid}/charters/{huge}/",
        f"/office/deliberation/ballots/{ballot.uuid}/roll/?building={huge}&page={huge}",
    ]:
        response = office.post(url) if "roll" not in url and "public" not in url else office.get(url)
        assert response.status_code in (200, 404, 405), url


def test_similar_open_opinions_are_suggested_without_naming_other_residents(world, login):
    from jumin.party.services.opinions import opinion_submit

    mine = opinion_submit(
        actor=world.users.neighbour, title="南门停车位不够", text="晚上车停满了", category="parking", allow_public=False
    )
    theirs = opinion_submit(
        actor=world.users.resident,
        title="南门停车位乱停",
        text="私家车占消防通道",
        category="parking",
        allow_public=False,
    )
    draft = {"title": "南门停车位划线", "text": "停车位太少"}
    page = login(world.users.neighbour).get(reverse("deliberation:proposal-similar"), draft).content.decode()
    assert "南门停车位不够" in page and f"/me/cases/{mine.uuid}/" in page
    assert "南门停车位乱停" not in page and world.resident.name not in page
    assert "另有 1 条其他居民反映的相似意见" in page
    staff = login(world.users.secretary).get(reverse("deliberation:proposal-similar"), draft).content.decode()
    assert f"/office/cases/{theirs.uuid}/" in staff and f"/office/cases/{mine.uuid}/" in staff
    unrelated = login(world.users.neighbour).get(reverse("deliberation:proposal-similar"), {"title": "健身器材"})
    assert "社情民意" not in unrelated.content.decode()
