"""Fixtures shared by every app's tests. Data is built with factories (see <app>/tests/factories.py)."""
import pytest

from minqing.accounts.models import Role
from minqing.accounts.tests.factories import user_with_role
from minqing.places.tests.factories import two_community_tree


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache (rate-limit counters, cached home-panel counts) and empty
    per-process caches (core/ttlcache.py: a rolled-back test leaves no signal behind to clear them), and
    no stored demand vectors (insight/similarity.py keys them by id, and SQLite gives a rolled-back id again)."""
    from django.core.cache import cache

    from minqing.core.ttlcache import caches_clear
    from minqing.insight import similarity

    cache.clear()
    caches_clear()
    similarity.stored_vectors = similarity.StoredVectors()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """A test client request with the English cookie leaves English active in the test thread; the next
    test that makes no request of its own (and compares a Chinese message) must not inherit it."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def tree(db):
    return two_community_tree()


@pytest.fixture
def actors(tree):
    """One user per role, placed in community A (grid A1 / building A1 for the smallest roles)."""
    return {
        "admin": user_with_role(Role.ADMIN, tree["district"], username="t_admin"),
        "street": user_with_role(Role.STREET_STAFF, tree["street"], username="t_street"),
        "secretary": user_with_role(Role.COMMUNITY_SECRETARY, tree["community_a"], username="t_secretary"),
        "worker": user_with_role(Role.COMMUNITY_WORKER, tree["community_a"], username="t_worker"),
        "grid": user_with_role(Role.GRID_WORKER, tree["grid_a1"], username="t_grid"),
        "building": user_with_role(Role.BUILDING_HEAD, tree["building_a1"], username="t_building"),
        "branch": user_with_role(Role.BRANCH_SECRETARY, tree["grid_a2"], username="t_branch"),
        "partner": user_with_role(Role.PARTNER_UNIT, tree["community_a"], username="t_partner"),
        "supervisor": user_with_role(Role.SUPERVISOR, tree["street"], username="t_supervisor"),
    }


# --- browser tests ------------------------------------------------------------------------------
# Playwright's sync API runs an event loop in the test thread; Django then refuses ORM calls
# there unless told this is deliberate.
import os  # noqa: E402
import shutil  # noqa: E402

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (executable_path: nothing downloads a browser)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is not installed: `make test` installs it (bin/test-system-deps)")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone_page(browser):
    """A 375-px-wide phone screen."""
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def browser_login(live_server):
    """browser_login(page, username) logs in through the real login form (factory password by default)."""
    def login(page, username: str, password: str = "correct-horse-battery") -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_selector("[data-testid=current-user]")
    return login
