from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from jumin.core.api import router as core_router
from jumin.core.case_api import router as case_router
from jumin.core.errors import DomainError
from jumin.errands.api import router as errands_router
from jumin.hall.api import router as hall_router
from jumin.mediation.api import router as mediation_router
from jumin.party.api import router as party_router
from jumin.people.api import router as people_router

from .auth import AUTH

api = NinjaAPI(
    title="居民之家 API",
    version="1",
    description="居民之家的移动端与小程序接口。先用 POST /api/v1/auth/token 换取令牌,再以 Authorization: Bearer <令牌> 访问。",
    auth=AUTH,
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    body = {"detail": exc.message}
    if exc.field:
        body["field"] = exc.field
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "没有找到,或不在您的查看范围内"}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": "请先登录(缺少或无效的令牌)"}, status=401)


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    return api.create_response(request, {"detail": "请求参数有误", "errors": exc.errors}, status=422)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


api.add_router("/", core_router)
api.add_router("/", people_router)
api.add_router("/", case_router)
api.add_router("/", party_router)
api.add_router("/", hall_router)
api.add_router("/", errands_router)
api.add_router("/", mediation_router)
