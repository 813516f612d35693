from django.urls import reverse

from .conftest import agreed


def test_bypass(world, dispute, login):
    agreed(world, dispute)
    r = login(world.users.mediator).post(
        reverse("core:case-move", args=[dispute.case.uuid]),
        {"to": "closed", "expected_status": "agreed", "comment": ""},
    )
    dispute.case.refresh_from_db()
    print("STATUS AFTER GENERIC MOVE:", dispute.case.status, dispute.case.follow_ups.count())
