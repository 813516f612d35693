from jumin.cases.services import case_take, case_transition
from jumin.party.models import Category
from jumin.party.selectors import opinion_detail, public_opinions
from jumin.party.services import opinion_submit


def raise_and_close(world, *, title, allow_public, answer="已处理", close=True, resident=None):
    case = opinion_submit(
        actor=world.users.secretary,
        resident=resident or world.resident,
        title=title,
        text=f"{title}。我是{world.resident.name},电话{world.resident.phone}",
        category=Category.FACILITIES,
        allow_public=allow_public,
    )
    worker = world.users.secretary
    case_take(actor=worker, case=case)
    case = case_transition(actor=worker, case=case, to="answered", comment=answer)
    if close:
        case = case_transition(actor=worker, case=case, to="closed")
    return case


def test_public_board_shows_only_closed_consenting_opinions_anonymised(world):
    shown = raise_and_close(world, title="东门路灯不亮", allow_public=True, answer="路灯已全部更换")
    raise_and_close(world, title="不愿公开的意见", allow_public=False)
    raise_and_close(world, title="还没办结的意见", allow_public=True, close=False)
    declined = opinion_submit(
        actor=world.users.resident, title="被拒的意见", text="…", category=Category.OTHER, allow_public=True
    )
    case_transition(actor=world.users.secretary, case=declined, to="declined", comment="不属于社区职责")

    rows = list(public_opinions(world.a))
    assert rows == [
        {
            "title": "东门路灯不亮",
            "category": "facilities",
            "category_label": "公共设施",
            "answer": "路灯已全部更换",
            "closed_at": shown.closed_at,
        }
    ]
    flat = repr(rows)
    for secret in (world.resident.name, world.resident.phone, shown.number, "电话", str(shown.uuid)):
        assert secret not in flat
    assert list(public_opinions(world.b)) == []


def test_public_board_shows_the_latest_answer_after_a_reopened_round(world):
    from jumin.cases.services import case_rate, case_reopen

    case = raise_and_close(world, title="垃圾桶满溢", allow_public=True, answer="已增加清运", resident=world.resident)
    case_rate(actor=world.users.resident, case=case, value="unsatisfied", comment="还是满")
    case = case_reopen(actor=world.users.resident, case=case, reason="下午又满了")
    assert list(public_opinions(world.a)) == []  # back in the works: off the board
    case = case_transition(actor=world.users.secretary, case=case, to="answered", comment="改为早晚两次清运")
    case_transition(actor=world.users.secretary, case=case, to="closed")
    assert [r["answer"] for r in public_opinions(world.a)] == ["改为早晚两次清运"]


def test_load_detail_is_one_query(world, django_assert_num_queries):
    case = raise_and_close(world, title="路面坑洼", allow_public=True, close=False)
    with django_assert_num_queries(1):
        detail = opinion_detail(case)
        data = detail.as_api(viewer=world.users.secretary, is_worker=True)
    assert data["category_label"] == "公共设施" and data["recorded_by"] == world.users.secretary.name
    resident_view = detail.as_api(viewer=world.users.resident, is_worker=False)
    assert "recorded_by" not in resident_view and resident_view["channel_label"] == "窗口登记"
