"""The crawler: one signed-in person follows every same-site link and submits every form, and nothing may answer 5xx.

Bounded so that it finishes in a minute or two whatever the site grows into: pages that differ only in an id share
a *shape* (`/office/cases/<uuid>/`), and only the first few pages of each shape are opened; forms are keyed the same
way by where they post and what they ask. Each form is sent twice: empty, and with hostile text in every text field.
Afterwards (`replay`, once all crawlers are done) one page of each shape is fetched again, so that what the forms
stored is rendered on lists and in exports.
"""

import json
import re
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import requests

# 20k characters that open like a formula and carry emoji and control characters; the short one fits the
# max_length of most fields, so it is stored and comes back on lists and in exports.
HOSTILE_LONG = '=HYPERLINK("http://example.invalid","点我")😀\x0b\x1f' + "长" * 20_000
HOSTILE_SHORT = "=1+1 😀👨‍👩‍👧\x0b\x07\x1b end"
TEXT_TYPES = {
    "",
    "text",
    "search",
    "tel",
    "email",
    "url",
    "number",
    "date",
    "datetime-local",
    "time",
    "month",
    "password",
}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
NUMBER = re.compile(r"(?<=/)\d+(?=/|$|\.)")
# Not followed: signing out ends the crawl; static files are not pages; the admin's delete views would remove the
# very rows the rest of the crawl looks at.
SKIP_PATHS = re.compile(r"logout|^/static/|/delete/")
# Django's admin is opened after the product's own pages, without its sort and filter variants, and its forms are
# not sent: it is Django's, and saving its change forms would rewrite the demo under the other crawlers.
ADMIN = re.compile(r"^/admin/")
# A GET form puts its fields in the address; beyond about 4 KB gunicorn refuses the request line (414).
GET_TEXT_LIMIT = 300


@dataclass
class Form:
    page: str
    method: str
    action: str
    htmx: bool
    fields: list[dict] = field(default_factory=list)

    def shape(self) -> str:
        names = sorted({f["name"] for f in self.fields if f["type"] not in {"hidden", "submit"}})
        return f"{self.method} {shape_of(self.action)} {','.join(names)}"

    def data(self, hostile: str | None) -> tuple[dict | list, dict]:
        """The fields as a browser sends them, with every text field empty or hostile; files only when hostile."""
        data, files, radios, button = [], {}, set(), None
        for f in self.fields:
            kind, name = f["type"], f["name"]
            if kind == "hidden":
                data.append((name, f["value"]))
            elif kind == "submit":
                button = button or (name, f["value"])
            elif kind == "checkbox":
                if hostile is not None:
                    data.append((name, f["value"] or "on"))
            elif kind == "radio":
                if hostile is not None and name not in radios:
                    radios.add(name)
                    data.append((name, f["value"]))
            elif kind == "select":
                options = [o for o in f["options"] if o]
                data.append((name, (options[0] if options else "") if hostile is not None else ""))
            elif kind == "file":  # an empty file part, as a browser sends a file input left empty
                files[name] = ("=😀文件.pdf", b"%PDF-1.4 not really", "application/pdf") if hostile else ("", b"")
            elif kind in TEXT_TYPES or kind == "textarea":
                data.append((name, hostile or ""))
        if button:
            data.append(button)
        return data, files


class PageParser(HTMLParser):
    """Links (a[href], any [hx-get]) and forms (action or hx-post/hx-get, with their fields) of one HTML page."""

    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        for attr in ("href", "hx-get"):
            if attr in a and (tag == "a" or attr == "hx-get") and tag != "form":
                self.links.append(urljoin(self.url, a[attr]))
        if tag == "form":
            target = a.get("hx-post") or a.get("hx-get") or a.get("action") or self.url
            method = "post" if "hx-post" in a else ("get" if "hx-get" in a else (a.get("method") or "get").lower())
            self._form = Form(
                page=self.url,
                method=method,
                action=urljoin(self.url, target),
                htmx=any(k.startswith("hx-") for k in a),
            )
            self.forms.append(self._form)
        elif tag != "form" and "hx-post" in a and self._form is None:
            # A button that posts by itself (with hx-vals), outside any form.
            form = Form(page=self.url, method="post", action=urljoin(self.url, a["hx-post"]), htmx=True)
            for name, value in _hx_vals(a.get("hx-vals", "")).items():
                form.fields.append({"type": "hidden", "name": name, "value": str(value)})
            self.forms.append(form)
        if self._form is None or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"button", "reset", "image"}:
                return
            self._form.fields.append({"type": kind, "name": a["name"], "value": a.get("value", "")})
        elif tag == "button" and a.get("type", "submit").lower() == "submit":
            self._form.fields.append({"type": "submit", "name": a["name"], "value": a.get("value", "")})
        elif tag == "select":
            self._select = {"type": "select", "name": a["name"], "options": []}
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
        elif tag == "textarea":
            self._form.fields.append({"type": "textarea", "name": a["name"], "value": ""})

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _hx_vals(text: str) -> dict:
    try:
        value = json.loads(text) if text.strip().startswith("{") else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def shape_of(url: str) -> str:
    """The page a URL is an instance of: ids become placeholders, query values that look like ids too."""
    parts = urlsplit(url)
    path = NUMBER.sub("<n>", UUID.sub("<uuid>", parts.path))
    query = sorted(
        (k, "<v>" if UUID.fullmatch(v) or v.isdigit() or len(v) > 20 else v) for k, v in parse_qsl(parts.query)
    )
    return path + ("?" + urlencode(query) if query else "")


@dataclass
class Finding:
    method: str
    url: str
    status: int
    via: str

    def __str__(self) -> str:
        return f"{self.status} {self.method.upper()} {self.url[:160]}  ← {self.via}"


@dataclass
class Report:
    who: str
    pages: int = 0
    replayed: int = 0
    form_shapes: int = 0
    submissions: int = 0
    statuses: Counter = field(default_factory=Counter)
    errors: list[Finding] = field(default_factory=list)
    stopped_early: bool = False
    seconds: float = 0.0


class Crawler:
    def __init__(self, base: str, who: str, session: requests.Session, *, per_shape=3, max_pages=400, deadline=None):
        self.base = base.rstrip("/")
        self.site = urlsplit(self.base).netloc
        self.session = session
        self.per_shape = per_shape
        self.max_pages = max_pages
        self.deadline = deadline or time.monotonic() + 600
        self.report = Report(who)
        self.opened: dict[str, str] = {}  # the first page of each shape

    def crawl(self, start: str = "/") -> Report:
        """Every same-site link (bounded by shape), every form sent empty and hostile; stops at the deadline."""
        began = time.monotonic()
        product, admin = deque([urljoin(self.base + "/", start.lstrip("/"))]), deque()
        seen_urls, shapes, form_shapes = set(product), Counter(), Counter()
        while (product or admin) and not self._out_of_time():
            url = (product or admin).popleft()
            response = self._request("get", url, via="link")
            if response is None:
                continue
            self.opened.setdefault(shape_of(url), url)
            if "text/html" not in response.headers.get("Content-Type", ""):
                continue
            parser = PageParser(response.url)
            parser.feed(response.text)
            for link in parser.links:
                link = self._same_site(link)
                if not link or link in seen_urls or len(seen_urls) >= self.max_pages:
                    continue
                in_admin = bool(ADMIN.search(urlsplit(link).path))
                shape = shape_of(link.split("?")[0] if in_admin else link)
                if shapes[shape] < (1 if in_admin else self.per_shape):
                    seen_urls.add(link)
                    shapes[shape] += 1
                    (admin if in_admin else product).append(link)
            if ADMIN.search(urlsplit(response.url).path):
                continue
            for form in parser.forms:
                if not self._same_site(form.action) or form_shapes[form.shape()] >= 2:
                    continue
                form_shapes[form.shape()] += 1
                for hostile in (None, HOSTILE_LONG, HOSTILE_SHORT):
                    self._submit(form, hostile)
        self.report.stopped_early = bool(product or admin)
        self.report.form_shapes = len(form_shapes)
        self.report.seconds += time.monotonic() - began
        return self.report

    def replay(self, deadline: float) -> Report:
        """One page of each shape again, once every crawler has stored its hostile text: lists and exports show it."""
        began = time.monotonic()
        self.deadline = deadline
        for url in self.opened.values():
            if self._out_of_time():
                self.report.stopped_early = True
                break
            self._request("get", url, via="replay")
            self.report.replayed += 1
        self.report.seconds += time.monotonic() - began
        return self.report

    def _submit(self, form: Form, hostile: str | None) -> None:
        if form.method == "get" and hostile:
            hostile = hostile[:GET_TEXT_LIMIT]
        data, files = form.data(hostile)
        headers = {"HX-Request": "true"} if form.htmx else {}
        label = "空表单" if hostile is None else f"{len(hostile)} 字的恶意文本"
        via = f"表单 {form.shape()}({label},来自 {urlsplit(form.page).path})"
        self.report.submissions += 1
        if form.method == "get":
            parts = urlsplit(form.action)
            query = urlencode([*parse_qsl(parts.query), *data])
            self._request("get", urlunsplit(parts._replace(query=query)), via=via, headers=headers, count=False)
        else:
            token = self.session.cookies.get("csrftoken", "")
            headers |= {"X-CSRFToken": token, "Referer": form.page}
            self._request("post", form.action, via=via, headers=headers, data=data, files=files or None, count=False)

    def _request(self, method: str, url: str, *, via: str, count: bool = True, **kwargs):
        try:
            response = self.session.request(method, url, timeout=60, allow_redirects=True, **kwargs)
        except requests.RequestException as exc:
            self.report.errors.append(Finding(method, url, 0, f"{via}: {exc.__class__.__name__}"))
            return None
        if count and via == "link":
            self.report.pages += 1
        self.report.statuses[response.status_code // 100 * 100] += 1
        if response.status_code >= 500:
            self.report.errors.append(Finding(method, url, response.status_code, via))
        return response

    def _same_site(self, url: str) -> str | None:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or parts.netloc != self.site or SKIP_PATHS.search(parts.path):
            return None
        return urlunsplit(parts._replace(fragment=""))

    def _out_of_time(self) -> bool:
        return time.monotonic() > self.deadline


def web_login(base: str, phone: str, password: str) -> requests.Session | None:
    """A session signed in through the login form, as a person would; None if the form does not let them in."""
    session = requests.Session()
    login_url = f"{base}/accounts/login/"
    page = session.get(login_url, timeout=30)
    parser = PageParser(page.url)
    parser.feed(page.text)
    form = next((f for f in parser.forms if any(x["name"] == "password" for x in f.fields)), None)
    if form is None:
        raise RuntimeError("登录页上没有找到带 password 字段的表单")
    data = {f["name"]: f["value"] for f in form.fields if f["type"] == "hidden"}
    data |= {"username": phone, "password": password}
    response = session.post(form.action, data=data, headers={"Referer": login_url}, timeout=30)
    if response.status_code != 200 or urlsplit(response.url).path == urlsplit(login_url).path:
        return None
    return session
