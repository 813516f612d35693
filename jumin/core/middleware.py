"""Requests refused before any view reads them, with a 4xx in Chinese instead of Django's 500 or English 400.

Django raises MultiPartParserError (a 500) when a multipart request has no usable boundary, and only finds out
that a body is too large when a view (or the CSRF check) first reads it. Both are decided here from the headers."""

import io
import json

from django.conf import settings
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParser, MultiPartParserError

TOO_LARGE = "请求内容过大:不能超过 {mb} MB。"
BAD_MULTIPART = "上传格式有误(multipart/form-data 缺少有效的 boundary),请重新选择文件上传。"


def _refusal(request, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        body = json.dumps({"detail": message}, ensure_ascii=False)
        return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self.refuse(request)
        return refusal if refusal is not None else self.get_response(request)

    def refuse(self, request) -> HttpResponse | None:
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("multipart/"):
            try:  # the constructor checks the content type, boundary and length without reading the body
                MultiPartParser(request.META, io.BytesIO(), [], request.encoding)
            except MultiPartParserError:
                return _refusal(request, 400, BAD_MULTIPART)
            return None
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _refusal(request, 400, "请求头 Content-Length 无效。")
        if limit is not None and length > limit:
            return _refusal(request, 413, TOO_LARGE.format(mb=limit // (1024 * 1024)))
        return None
