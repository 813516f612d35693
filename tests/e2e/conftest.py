"""Playwright browser journeys against pytest-django's live server, using Debian's Chromium.

Run explicitly: `.venv/bin/pytest tests/e2e -m e2e -p no:xdist`.
"""

import os
import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

# Playwright's sync API keeps an event loop running in the main thread; the ORM calls made by the tests
# (fixtures, checks of the database after a journey) run there too and are synchronous on purpose.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PASSWORD = "pass-1234-word"  # set by UserFactory
LAYOUT_RESOURCES = {"stylesheet", "script", "font"}  # a failed load of these makes layout measurements wrong
SHOTS = Path(tempfile.gettempdir()) / "e2e-shots"  # screenshots for people to look at; never committed
E2E_DIR = Path(__file__).parent
# Phone-sized for the resident site; the back office gets a desktop window.
PHONE = {"width": 412, "height": 915}
DESKTOP = {"width": 1366, "height": 900}


def pytest_collection_modifyitems(config, items):
    # A laptop without Chromium skips the journeys; CI must have the browser, so there they fail instead.
    if CHROMIUM.exists() or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} 不存在:apt-get install -y chromium fonts-noto-cjk")
    for item in items:
        if E2E_DIR in Path(item.path).parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing; CI must install Debian's chromium for the e2e journeys")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, request):
    """Open a page in a fresh browser context (its own cookies): call again for a second person."""
    contexts = []

    def _new_page(viewport=DESKTOP):
        context = browser.new_context(locale="zh-CN", viewport=viewport)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        # No page may pop up alert/confirm/prompt (适老化: no pop-ups); record any, dismiss it, report it.
        page.dialogs_seen = []
        page.on("dialog", lambda dialog: (page.dialogs_seen.append(dialog.message), dialog.dismiss()))
        # A stylesheet that failed to load makes every measurement wrong: keep the failures to say so. A request the
        # browser aborted itself (net::ERR_ABORTED: the page navigated away, e.g. 长辈模式 reloading it) is asked
        # again by the next page, and the favicon never affects layout.
        page.failed_requests = []
        page.on("requestfailed", lambda r: _keep_layout_failure(page, r))
        return page

    yield _new_page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        SHOTS.mkdir(parents=True, exist_ok=True)
        for index, context in enumerate(contexts):
            for number, page in enumerate(context.pages):
                page.screenshot(path=str(SHOTS / f"{request.node.name}-{index}-{number}-failed.png"), full_page=True)
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if call.when == "call":
        item.rep_call = report
    return report


def log_in(page, live_server, phone: str, password: str = PASSWORD):
    """Sign in through the login form as a person would; leaves the page on wherever login lands."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("手机号").fill(phone)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"login failed for {phone}: {page.locator('main').inner_text()}"


# Journeys that meet a fault whose fix belongs in a shared template or stylesheet run to their end and are then
# reported as xfail with the list, so the fault stays visible without hiding what the journey proves.
_known_findings: dict[str, set[str]] = {}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    _known_findings.clear()
    result = yield
    if _known_findings:
        findings = "; ".join(f"{where} [seen: {', '.join(sorted(seen))}]" for where, seen in _known_findings.items())
        pytest.xfail(f"journey passed, but known faults in shared templates/CSS remain: {findings}")
    return result


def known_shared_fault(where: str, seen_on: str):
    """Record a fault whose fix belongs in a shared template or stylesheet: the test goes on, then reports xfail."""
    _known_findings.setdefault(where, set()).add(seen_on)


def check_axe(page):
    """Fail on serious or critical axe-core violations, listing each rule, its help text and the offending nodes.

    In 长辈模式 axe also runs color-contrast-enhanced (7:1, and 4.5:1 for large text), so every text, however large,
    keeps the 4.5:1 that MIIT's 适老化 rules ask for."""
    elder = bool(ELDER.search(page.locator("body").get_attribute("class") or ""))
    options = {"rules": {"color-contrast-enhanced": {"enabled": True}}} if elder else None
    results = Axe().run(page, options=options)
    lines = []
    for v in results.response["violations"]:
        if v.get("impact") not in ("serious", "critical"):
            continue
        for node in v["nodes"]:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
            lines.append(f"    {' '.join(map(str, node['target']))}: {node.get('failureSummary', '').strip()}")
            lines.append(f"      {node['html'][:200]}")
    if lines:
        message = "\n".join([f"axe: serious/critical violations on {page.url}", *lines])
        print(message)
        pytest.fail(message, pytrace=False)
    return results


# ---- 长辈模式 and tap-target measurements ----------------------------------------------------------------------

# For every visible element with text of its own: computed font size and line height. For every control a person
# taps (links, buttons, inputs, selects, text areas): its box, or its label's box when the label wraps it (a
# checkbox is tapped through its label). A link inside a sentence is exempt, as in WCAG 2.5.8 (inline targets).
_MEASURE_JS = """() => {
  const visible = e => { const b = e.getBoundingClientRect(); return b.width > 0 && b.height > 0
    && getComputedStyle(e).visibility !== 'hidden' && !e.closest('.visually-hidden, .skip-link'); };
  const name = e => e.tagName.toLowerCase() + [...e.classList].map(c => '.' + c).join('')
    + (e.type && e.tagName !== 'BUTTON' ? `[${e.type}]` : '');
  const own = e => [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
  const texts = [], targets = [];
  for (const el of document.querySelectorAll('body *')) {
    if (!visible(el) || el.closest('[aria-hidden=true]')) continue;
    const text = own(el);
    if (!text) continue;
    const cs = getComputedStyle(el), size = parseFloat(cs.fontSize);
    const lh = cs.lineHeight === 'normal' ? 1.2 : parseFloat(cs.lineHeight) / size;
    texts.push({element: name(el), size, line_height: Math.round(lh * 100) / 100, text: text.slice(0, 24)});
  }
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  for (const el of document.querySelectorAll(controls)) {
    if (!visible(el)) continue;
    const parent = el.parentElement;
    if (el.matches('a') && parent && own(parent) && getComputedStyle(el).display === 'inline') continue;
    const label = el.matches('input') && el.closest('label');
    const box = (label || el).getBoundingClientRect();
    targets.push({element: name(el), width: Math.round(box.width), height: Math.round(box.height),
                  text: (el.innerText || el.value || el.name || '').trim().replace(/\\s+/g, ' ').slice(0, 24)});
  }
  const popups = [...document.querySelectorAll('dialog[open], [role=dialog], [role=alertdialog], a[target=_blank]')]
    .map(name);
  return {texts, targets, popups};
}"""

ELDER = re.compile(r"\belder\b")
ELDER_TEXT_PX = 20  # MIIT: main text ≥ 18 pt; we hold every text to 20 px
LINE_HEIGHT = 1.3
TAP_PX = {False: 44, True: 60}


def measure(page) -> dict:
    """texts (font size, line height), targets (width × height) and pop-ups on the page as rendered."""
    return page.evaluate(_MEASURE_JS)


def _keep_layout_failure(page, request) -> None:
    if "ERR_ABORTED" not in (request.failure or "") and request.resource_type in LAYOUT_RESOURCES:
        page.failed_requests.append(f"{request.url} ({request.failure})")


def resident_page_faults(page, elder: bool) -> list[str]:
    """What breaks the resident-site rules on this page: text under 20 px in 长辈模式, line height under 1.3,
    tap targets under 44 × 44 (60 × 60 in 长辈模式), pop-ups or new windows, a page in the wrong mode."""
    path = urlsplit(page.url).path
    failed = [r for r in getattr(page, "failed_requests", []) if "/static/" in r]
    if failed:
        return [f"{path}: static files failed to load, measurements meaningless: {failed}"]
    found = measure(page)
    faults = []
    in_elder = bool(ELDER.search(page.locator("body").get_attribute("class") or ""))
    if in_elder != elder:
        faults.append(f"{path}: 长辈模式 is {'on' if in_elder else 'off'}, expected {'on' if elder else 'off'}")
    for t in found["texts"]:
        if elder and t["size"] < ELDER_TEXT_PX:
            faults.append(f"{path}: {t['element']} “{t['text']}” is {t['size']:g}px in 长辈模式")
        if t["line_height"] < LINE_HEIGHT:
            faults.append(f"{path}: {t['element']} “{t['text']}” has line height {t['line_height']}")
    need = TAP_PX[elder]
    for b in found["targets"]:
        if b["width"] < need or b["height"] < need:
            faults.append(f"{path}: {b['element']} “{b['text']}” is {b['width']}×{b['height']}, under {need}×{need}")
    faults += [f"{path}: pop-up or new window {p}" for p in found["popups"]]
    faults += [f"{path}: browser dialog “{m}”" for m in getattr(page, "dialogs_seen", [])]
    return faults


def assert_resident_page(page, elder: bool):
    """The resident-site rules hold on this page in this mode, and axe finds nothing serious."""
    faults = resident_page_faults(page, elder)
    assert not faults, "\n".join(faults)
    check_axe(page)


def assert_elder_page(page):
    """长辈模式 is on and holds on this page: text ≥ 20 px, line height ≥ 1.3, every target ≥ 60 × 60 px."""
    faults = resident_page_faults(page, elder=True)
    assert not faults, "\n".join(faults)


def switch_elder_mode(page, on: bool):
    """Press the 长辈模式 switch at the top of a resident page and wait for the confirmation."""
    label, confirmation = ("开启长辈模式", "已开启长辈模式") if on else ("关闭长辈模式", "已关闭长辈模式")
    page.get_by_role("button", name=label).click()
    page.get_by_role("status").filter(has_text=confirmation).wait_for()


def shot(page, name: str):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
