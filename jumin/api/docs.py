"""The docs page at /api/v1/docs, with Swagger UI served from static/vendor (deployments are intranets: no CDN).

Ninja serves its bundled copy only when "ninja" is in INSTALLED_APPS and falls back to a CDN otherwise; this page
does not depend on either."""

import json
from pathlib import Path

from django.http import HttpResponse
from django.template import RequestContext, Template
from ninja.openapi.docs import Swagger, _csrf_needed

TEMPLATE = Path(__file__).parent / "templates" / "docs.html"


class LocalSwagger(Swagger):
    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": json.dumps(self.settings, ensure_ascii=False),
            "api": api,
            "add_csrf": _csrf_needed(api),
        }
        response = HttpResponse(Template(TEMPLATE.read_text()).render(RequestContext(request, context)))
        response._csp_update = {"style-src": ["'unsafe-inline'"]}  # Swagger UI styles its widgets inline
        return response
