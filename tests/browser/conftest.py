"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server.

Every test in this folder gets the ``browser`` marker (run only these: ``pytest -m browser``,
leave them out: ``pytest -m "not browser"``). Without ``/usr/bin/chromium`` the tests are
skipped, unless ``REQUIRE_BROWSER_TESTS=1`` is set (CI): then a missing chromium fails them.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.axe import page_problems
from tests.login import device_for_login, fresh_code_for

# Playwright's sync API runs an event loop in the main thread; Django would then refuse ORM
# calls made by the test code itself (factories, refresh_from_db) as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
MISSING_CHROMIUM = "chromium not installed: apt-get install chromium"
HERE = Path(__file__).resolve().parent
PASSWORD = "demo"  # every persona's password (tests/factories.py, UserFactory)


def browser_tests_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER_TESTS", "").strip().lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config, items):
    # A conftest hook sees the items of the whole session: touch only those of this folder.
    skip = None
    if not CHROMIUM.exists() and not browser_tests_required():
        skip = pytest.mark.skip(reason=MISSING_CHROMIUM)
    for item in items:
        if not item.path.resolve().is_relative_to(HERE):
            continue
        item.add_marker(pytest.mark.browser)
        if skip is not None:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch the system chromium (no Playwright-downloaded browser on this machine)."""
    if not CHROMIUM.exists():
        # Only reached when REQUIRE_BROWSER_TESTS is set (otherwise the tests were skipped).
        pytest.fail(f"{MISSING_CHROMIUM} (REQUIRE_BROWSER_TESTS is set)", pytrace=False)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The personas' passwords are hashed when they are made and checked at every log-in;
    Django's default hasher takes a good part of a second each time. The live server runs in
    this process, so it hashes and checks with the same (fast) hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative URLs in ``page.goto("/...")`` go to the live server."""
    return live_server.url


@pytest.fixture
def log_in(page):
    """Log a persona in through the real login form (and the code step where the persona has
    two-step login); returns the page, now on the dashboard.

    ``log_in(user)`` uses the test's ``page``; pass ``page=`` for a second browser context
    (another person at another desk).
    """

    def _log_in(user, *, page=page):
        # Coordinators, finance and staff must use two-step login: they get an app device,
        # and the code the app would show is typed on the second page.
        device = device_for_login(user)
        page.goto("/accounts/login/")
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        if device is not None:
            expect(page).to_have_url(re.compile(r"/accounts/tweestaps/"))
            page.locator("#id_otp_token").fill(fresh_code_for(device))
            page.locator("main form:has(#id_otp_token) button[type=submit]").click()
        # Logged in: the header has the log-out form (a failed login stays on the login page;
        # on a phone the form is folded into the menu).
        expect(page.locator("header form[action$='/accounts/logout/']")).to_be_attached()
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
        return page

    return _log_in


@pytest.fixture
def assert_accessible():
    """``assert_accessible(page)``: axe-core finds no WCAG 2.1 A/AA violation on the page as it
    is now, and the page does not scroll sideways (``tests/browser/axe.py``). A failure lists
    each rule with its help text and the nodes it found."""

    def check(page, *, label: str = "") -> None:
        problems = page_problems(page)
        where = label or page.url
        assert not problems, f"{where}:\n" + "\n".join(problems)

    return check
