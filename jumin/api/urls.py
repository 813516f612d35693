import json

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from pydantic.json_schema import models_json_schema

from jumin.core.api_errors import (
    HTTP_MESSAGES,
    ConflictOut,
    ErrorOut,
    ValidationErrorOut,
    http_message,
    validation_body,
)
from jumin.core.errors import DomainError
from jumin.core.registry import registry

from .auth import AUTH
from .docs import LocalSwagger

WRITE_METHODS = {"post", "put", "patch", "delete"}

ERROR_DESCRIPTIONS = {
    "400": "业务规则不允许(如内容为空、状态不允许此操作),detail 说明原因,field 指出字段",
    "401": "缺少、无效或已注销的令牌;令牌接口:手机号或密码不正确",
    "403": "已登录,但您的身份不能做这件事",
    "404": "没有找到,或不在您的查看范围内(不区分两者,以免泄露是否存在)",
    "409": "数据已被别人改动(事项已不在预期状态、版本不符),请刷新后再操作",
    "422": "请求参数有误:缺少字段、类型不对、超出长度或取值范围;errors 逐项列出",
    "429": "密码错误次数过多,已暂时锁定",
}


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 Chinese as is, not \\u escapes: readable in logs and debuggers, and smaller."""

    def render(self, request, data, *, response_status):
        return json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False)


class JuminAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        _, defs = models_json_schema(
            [(m, "validation") for m in (ErrorOut, ValidationErrorOut, ConflictOut)],
            ref_template="#/components/schemas/{model}",
        )
        schema.setdefault("components", {}).setdefault("schemas", {}).update(defs["$defs"])
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                responses = operation["responses"]
                for code in _error_codes(path, method, operation):
                    model = {"409": "ConflictOut", "422": "ValidationErrorOut"}.get(code, "ErrorOut")
                    for key in [k for k in responses if str(k) == code]:  # ninja keys codes by int
                        del responses[key]
                    responses[int(code)] = {
                        "description": ERROR_DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model}"}}},
                    }
        return schema


def _error_codes(path: str, method: str, operation: dict) -> list[str]:
    """The errors an operation can answer, from what it takes: who may call it, what it reads, whether it writes."""
    codes = set()
    secured = bool(operation.get("security"))
    has_path = "{" in path
    has_body = "requestBody" in operation
    acts = method in WRITE_METHODS and (has_body or has_path)  # a business rule can refuse it
    if has_body or acts or operation.get("parameters"):
        codes.add("400")  # a body that is not JSON, or a rule that refuses (a write, or a filter it cannot take)
    if secured:
        codes.add("401")
    if secured:
        codes.add("403")  # logged in, but the role lacks the capability (a resident asking for a staff list)
    if has_path or (secured and (operation.get("parameters") or has_body)):  # an id (path, filter or body) out of scope
        codes.add("404")
    if secured and acts:
        codes.add("409")  # the row moved on first: a compare-and-set lost, a place already taken
    # Any other error an operation answers it declares itself (openapi_extra), and gets the shared body here.
    codes |= {str(k) for k in operation["responses"] if str(k) in ERROR_DESCRIPTIONS}
    if "409" in operation.get("summary", ""):
        codes.add("409")
    if operation.get("parameters") or has_body:
        codes.add("422")
    if path.endswith("/auth/token"):
        codes |= {"401", "429"}
    return sorted(codes)


api = JuminAPI(
    title="居民之家 API",
    version="1",
    description=(
        "居民之家的移动端与小程序接口。先用 POST /api/v1/auth/token 换取令牌,再以 Authorization: Bearer <令牌> 访问;"
        "退出时 POST /api/v1/auth/logout 注销令牌。\n\n"
        '出错时一律返回 JSON:`{"detail": "中文说明", "field": "出错字段(可选)"}`;'
        "参数校验失败(422)另有 `errors: [{field, location, message}]` 逐项说明。"
        "不在您查看范围内的数据一律返回 404。\n\n"
        "列表接口分页:`page`(从 1 开始)、`page_size`(1–100,默认 20),"
        "返回 `count`、`page`、`page_size`、`pages`、`next`(下一页页码,最后一页为 null)。"
    ),
    auth=AUTH,
    urls_namespace="api",
    docs=LocalSwagger(),
    renderer=ChineseJSONRenderer(),
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    body = {"detail": exc.message}
    if exc.field:
        body["field"] = exc.field
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": HTTP_MESSAGES[404]}, status=404)


@api.exception_handler(DjangoPermissionDenied)
def forbidden(request, exc):
    # A domain PermissionDenied carries the rule's own words; Django's bare one gets the generic sentence.
    detail = getattr(exc, "message", None) or HTTP_MESSAGES[403]
    return api.create_response(request, {"detail": detail}, status=403)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": HTTP_MESSAGES[401]}, status=401)


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    return api.create_response(request, validation_body(exc.errors), status=422)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": http_message(exc.status_code, str(exc))}, status=exc.status_code)


# Every app registers its routers from its own apps.py (register_api_router); mounted here in app order.
for mounted in registry.api_routers:
    api.add_router(mounted.prefix, mounted.router)
