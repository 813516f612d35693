"""Error bodies of the API: one shape for all of them, Chinese messages, and their OpenAPI schemas.

Every error answers {"detail": "<中文说明>"}; a refusal about one field adds "field"; a 422 adds "errors", one entry
per bad field, so a form on a phone can put each message next to its field."""

from ninja import Field, Schema


class ErrorOut(Schema):
    detail: str = Field(description="给用户看的中文说明")
    field: str | None = Field(None, description="出错的字段(若只涉及一个字段)")


class FieldErrorOut(Schema):
    field: str = Field(description="字段名,嵌套字段用 . 连接,如 documents.0")
    location: str = Field(description="字段所在位置:body、query、path、file、form")
    message: str = Field(description="中文说明")


class ValidationErrorOut(ErrorOut):
    errors: list[FieldErrorOut]


class ConflictOut(ErrorOut):
    status: str | None = Field(None, description="事项现在的状态(便于客户端刷新)")


_LOCATIONS = {"body", "query", "path", "file", "form", "header", "cookie"}

# Pydantic's error types, said in Chinese; ctx values fill the placeholders.
_MESSAGES = {
    "missing": "必填",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "string_too_short": "至少 {min_length} 个字",
    "string_too_long": "不能超过 {max_length} 个字",
    "too_short": "至少 {min_length} 项",
    "too_long": "不能超过 {max_length} 项",
    "literal_error": "取值无效,可选:{expected}",
    "enum": "取值无效,可选:{expected}",
    "uuid_type": "不是有效的编号(UUID)",
    "uuid_parsing": "不是有效的编号(UUID)",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "datetime_type": "时间格式应为 ISO 8601,如 2026-11-25T09:30:00+08:00",
    "datetime_parsing": "时间格式应为 ISO 8601,如 2026-11-25T09:30:00+08:00",
    "datetime_from_date_parsing": "时间格式应为 ISO 8601,如 2026-11-25T09:30:00+08:00",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": "不是有效的 JSON",
    "json_type": "不是有效的 JSON",
    "extra_forbidden": "不认识这个字段",
    "control_chars": "{field}不能包含控制字符",
}


def _field_and_location(loc) -> tuple[str, str]:
    parts = list(loc)
    location = parts.pop(0) if parts and parts[0] in _LOCATIONS else "body"
    # ninja puts the parameter name after the location ("body", "payload", "kind"); a single schema body or a
    # file parameter is not a field a client sends, so drop it.
    if len(parts) > 1 and location in {"body", "file", "form"}:
        parts.pop(0)
    return ".".join(str(p) for p in parts), location


def _message(error: dict) -> str:
    template = _MESSAGES.get(error.get("type", ""))
    if template is None:
        return "取值无效"
    ctx = {k: str(v).replace("'", "") for k, v in (error.get("ctx") or {}).items()}
    if "expected" in ctx:  # pydantic says "'a', 'b' or 'c'"
        ctx["expected"] = "、".join(part.strip() for part in ctx["expected"].replace(" or ", ", ").split(","))
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template.split(",")[0]


def validation_body(errors: list[dict]) -> dict:
    items = []
    for error in errors:
        field, location = _field_and_location(error.get("loc", ()))
        items.append({"field": field, "location": location, "message": _message(error)})
    first = items[0] if items else None
    body = {
        "detail": f"请求参数有误:{first['field']} {first['message']}" if first and first["field"] else "请求参数有误"
    }
    if first and first["field"]:
        body["field"] = first["field"]
    body["errors"] = items
    return body


# Ninja's own refusals (not parseable body, throttling…) come in English; say them in Chinese.
HTTP_MESSAGES = {
    400: "请求格式有误(请求体应为 JSON)",
    401: "请先登录(缺少或无效的令牌)",
    403: "您没有权限执行此操作",
    404: "没有找到,或不在您的查看范围内",
    405: "不支持此请求方法",
    429: "请求过于频繁,请稍后再试",
}


def http_message(status: int, message: str) -> str:
    if any("\u4e00" <= ch <= "\u9fff" for ch in message):
        return message
    return HTTP_MESSAGES.get(status, "请求有误")
