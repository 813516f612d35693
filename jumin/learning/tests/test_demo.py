import random
import time

from django.utils import timezone

from jumin.core.models import Role
from jumin.learning.demo import TUTOR_PHONE, demo_learning
from jumin.learning.models import Assignment, Course, StudyRecord, StudySession
from jumin.learning.selectors import Status, member_dues
from jumin.party.tests.factories import build_tree
from jumin.people.tests.factories import UserFactory

from .factories import enrol, more_members


def test_demo_step_fills_courses_a_past_session_and_leaves_the_elder_things_due(world):
    tree = build_tree(world)
    elder = enrol(world, tree.group, world.resident)
    enrol(world, tree.grid2, world.far_resident)
    more_members(world, tree, 8)
    UserFactory(role=Role.TUTOR, community=world.a, phone=TUTOR_PHONE)
    world.users.resident.phone = "13900000010"
    world.users.resident.save()
    started = time.monotonic()
    line = demo_learning(world.a, random.Random(3), timezone.now())
    print(f"demo_learning: {line} in {time.monotonic() - started:.2f}s")  # a figure, not a timed assertion
    assert line.startswith("3 门课程")
    assert set(Course.objects.values_list("title", flat=True)) == {"党章学习", "二十大精神", "反诈知识"}
    assert Assignment.objects.filter(org=tree.a).count() == 2
    session = StudySession.objects.get()
    assert session.ended_at is not None and session.tutor.phone == TUTOR_PHONE
    assert StudyRecord.objects.filter(session=session).count() >= 8
    # The demo elder keeps every course due, so a tutor journey has something to record.
    assert {d.status for d in member_dues(elder)} <= {Status.TODO, Status.OVERDUE}
    assert len(member_dues(elder)) >= 2
