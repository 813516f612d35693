import pytest

from jumin.core.testing import WON, race
from jumin.learning import services
from jumin.learning.models import Attendance, StudySession

pytestmark = pytest.mark.django_db(transaction=True)


def test_signing_the_same_member_in_twice_at_once_gives_one_attendance(st):
    session = services.session_start(actor=st.tutor, place="学习室")
    phone = st.world.resident.phone
    outcomes = race(
        range(4),
        load=lambda _: StudySession.objects.get(pk=session.pk),
        act=lambda _, s: services.attendee_sign_in(actor=st.tutor, session=s, method="phone", phone=phone),
    )
    assert outcomes.count(WON) == 1
    assert all(o == WON or "已经签到" in o for o in outcomes)
    assert Attendance.objects.filter(session=session).count() == 1


def test_one_code_typed_at_two_desks_at_once_signs_in_once(st):
    first = services.session_start(actor=st.tutor, place="学习室")
    second = services.session_start(actor=st.tutor, place="学习室二")
    code = services.signin_code_issue(member=st.elder).code
    outcomes = race(
        [first.pk, second.pk],
        load=lambda pk: StudySession.objects.get(pk=pk),
        act=lambda _, s: services.attendee_sign_in(actor=st.tutor, session=s, method="code", code=code),
    )
    assert outcomes.count(WON) == 1
    assert Attendance.objects.count() == 1
