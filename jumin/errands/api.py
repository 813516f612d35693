"""Errands in the API. Requesting one is POST /api/v1/cases with kind "errand" (see kind.py: create_from_api);
reading one is GET /api/v1/cases/{id}, whose "detail" is Errand.as_api()."""

import uuid

from django.http import Http404
from ninja import Router

from jumin.cases.api import CaseDetailOut, case_detail_out
from jumin.cases.selectors import case_get
from jumin.core.schemas import InputSchema

from . import selectors, services

router = Router(tags=["行政代办"])


class PickupIn(InputSchema):
    code: str
    picked_up_by_name: str = ""


@router.post(
    "/errands/{case_uuid}/pickup",
    response=CaseDetailOut,
    summary="核验取件码并确认领取(窗口工作人员);取件码不正确返回 400(同一代办当天输错 5 次后当天不再核验),已被领取返回 409",
    description="窗口工作人员核对居民出示的取件码后确认领取,记录领取人。",
)
def errand_pickup(request, case_uuid: str, payload: PickupIn):
    user = request.auth
    errand = selectors.errand_get(user, _uuid(case_uuid))
    services.errand_pickup(actor=user, errand=errand, code=payload.code, picked_up_by_name=payload.picked_up_by_name)
    return case_detail_out(case_get(user, errand.case.uuid), user)


def _uuid(value: str):
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise Http404 from exc
