"""Headers and logs (issue 6 §4): a Content-Security-Policy without inline scripts, HSTS in production, and an
access log that never records the query string (a search may carry a phone or ID number)."""

import datetime
import re
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

ROOT = Path(settings.BASE_DIR)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def test_pages_send_a_policy_without_inline_script_or_style(client, world):
    client.force_login(world.users.secretary)
    response = client.get("/office/residents/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


def test_templates_hold_no_inline_script_handler_or_style():
    templates = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("jumin/*/templates/**/*.html")]
    assert templates
    for path in templates:
        html = path.read_text()
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
        for attrs, body in scripts:
            assert "src=" in attrs or 'type="application/json"' in attrs, path
            assert not body.strip() or 'type="application/json"' in attrs, path
        assert not INLINE_HANDLER.search(html), path
        assert " style=" not in html and "<style" not in html, path


def test_htmx_is_told_not_to_inject_its_indicator_style(client, world):
    client.force_login(world.users.secretary)
    html = client.get("/office/residents/").content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>""" in html
    assert finders.find("js/jumin.js") and "data-autosubmit" in Path(finders.find("js/jumin.js")).read_text()


def test_the_api_docs_page_allows_swagger_uis_inline_styles_only(client, db):
    policy = client.get("/api/v1/docs")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy and "script-src 'self';" in policy + ";"


def test_hsts_is_on_in_production_and_configurable(monkeypatch):
    import config.settings as module

    source = Path(module.__file__).read_text()
    for env, expected in [({"JUMIN_PRODUCTION": "1"}, 31536000), ({}, 0), ({"SECURE_HSTS_SECONDS": "600"}, 600)]:
        values = {"DJANGO_SECRET_KEY": "x" * 40, "JUMIN_FIELD_SALT": "s", "JUMIN_BLIND_INDEX_KEY": "k", **env}
        for name in ["JUMIN_PRODUCTION", "SECURE_HSTS_SECONDS", "DJANGO_DEBUG"]:
            monkeypatch.delenv(name, raising=False)
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        namespace = {"__file__": module.__file__}
        exec(compile(source, module.__file__, "exec"), namespace)  # noqa: S102 - our own settings file
        assert namespace["SECURE_HSTS_SECONDS"] == expected, env


@pytest.mark.parametrize("query", ["q=13812345678", "q=371602195803021234", "phone=13812345678"])
def test_the_access_log_records_the_path_without_the_query_string(query):
    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    config = Config()
    config.set("access_log_format", runpy.run_path(str(ROOT / "gunicorn.conf.py"))["access_log_format"])
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/office/residents/",
        "QUERY_STRING": query,
        "RAW_URI": f"/office/residents/?{query}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://jumin.example/office/households/?{query}",
        "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    response = SimpleNamespace(status="200 OK", status_code=200, response_length=10, sent=10, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = Logger(config).atoms(response, request, environ, datetime.timedelta(milliseconds=5))
    line = config.access_log_format % atoms
    assert '"GET /office/residents/ HTTP/1.1" 200' in line
    assert query.split("=")[1] not in line and "?" not in line
