"""End to end in a real headless Chromium: sign in, filter, open, refuse, audit, export, ask; screenshots."""

from __future__ import annotations

import csv
import io
import os
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.core.models import Channel, Right

from .live import CHROMEDRIVER, CHROMIUM, LiveServer, chromium
from .rig import PASSWORD, STAFF_EMAIL, STAFF_NAME, file_ticket

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def _browser_or_fail() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not shutil.which(p)]
    if missing:
        message = f"{', '.join(missing)} missing: run scripts/system-packages (as root) to install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    _browser_or_fail()
    folder = tmp_path_factory.mktemp("live")
    server = LiveServer(f"sqlite:///{folder}/data/privacy-bot.sqlite3", folder / "data")
    server.start()
    server.call(server.backend.staff.add_staff(email=STAFF_EMAIL, name=STAFF_NAME, at=datetime.now(UTC),
                                               password_hash=__import__(
                                                   "bot.adapters.web.staff.passwords",
                                                   fromlist=["hash_password"]).hash_password(PASSWORD)))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(live: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    downloads = tmp_path_factory.mktemp("downloads")
    driver = chromium(tmp_path_factory.mktemp("profile"), downloads)
    driver.downloads = downloads
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def file(live: LiveServer, **kwargs: Any) -> str:
    result = live.call(file_ticket(live.filer, received_at=datetime.now(UTC), **kwargs))
    return result.ticket.reference


def shot(driver: Any, name: str, *, full: bool = False) -> None:
    """A screenshot; ``full`` grows the window to the page's height first (desktop width kept)."""
    if not full:
        driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
        return
    size = driver.get_window_size()
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(size["width"], min(int(height) + 140, 4000))
    try:
        driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
    finally:
        driver.set_window_size(size["width"], size["height"])


def click_and_wait(driver: Any, element: Any) -> None:
    """Click something that loads a new page, and wait until the new page has replaced the old one."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")

    def replaced(_driver: Any) -> bool:
        # Chrome sometimes answers the staleness probe, mid-navigation, with an inspector error about a node
        # that "does not belong to the document" instead of a stale reference: the same fact, put otherwise.
        try:
            old.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
        return False

    element.click()
    WebDriverWait(driver, 20).until(replaced)
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")


def sign_in(driver: Any, live: LiveServer) -> None:
    from selenium.webdriver.common.by import By

    driver.get(live.url + "/staff/")
    if "/staff/login" not in driver.current_url:
        return
    shot(driver, "01-sign-in")
    driver.find_element(By.ID, "email").send_keys(STAFF_EMAIL)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    assert driver.current_url.endswith("/staff/"), driver.current_url


def test_sign_in_filter_open_refuse_and_see_the_audit_entry(live: LiveServer, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    file(live, address="anna@example.se")
    target = file(live, org="centra", right=Right.ACCESS, address="bertil@example.se", name="Bertil Berg",
                  channel=Channel.SLACK, text="Can I get a copy of all the data you hold about me?")
    file(live, org="icentrex", address="cecilia@example.se", name="Cecilia")
    browser.get(live.url + "/staff/dashboard")
    assert "/staff/login" in browser.current_url  # signed out: sent to sign in
    sign_in(browser, live)
    assert "Alice Andersson" in browser.page_source
    shot(browser, "02-queue")
    Select(browser.find_element(By.NAME, "org")).select_by_value("centra")
    Select(browser.find_element(By.NAME, "right")).select_by_value("access")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#filters button[type=submit]"))
    assert "org=centra" in browser.current_url and "right=access" in browser.current_url
    rows = browser.find_elements(By.CSS_SELECTOR, "table.queue tbody tr")
    assert len(rows) == 1 and target in rows[0].text
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, target))
    assert browser.find_element(By.ID, "original").text == "Can I get a copy of all the data you hold about me?"
    shot(browser, "03-ticket", full=True)
    form = browser.find_element(By.ID, "action-refuse")
    form.find_element(By.NAME, "reason").send_keys("We could not confirm the requester's identity")
    click_and_wait(browser, form.find_element(By.CSS_SELECTOR, "button"))
    assert "cannot be undone" in browser.page_source
    shot(browser, "04-confirm-refusal")
    click_and_wait(browser, browser.find_element(By.ID, "confirm"))
    assert browser.find_element(By.ID, "status").text == "refused"
    timeline = browser.find_element(By.ID, "timeline").text
    assert "Alice Andersson" in timeline and "We could not confirm the requester's identity" in timeline
    assert "refused" in timeline


def test_export_csv_downloads_the_filtered_queue(live: LiveServer, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    ref = file(live, org="i-centrum", address="dora@example.se", name="Dora")
    sign_in(browser, live)
    browser.get(live.url + "/staff/tickets?org=i-centrum")
    browser.find_element(By.ID, "export").click()
    deadline = time.monotonic() + 20
    found: list[Path] = []
    while time.monotonic() < deadline:
        found = [p for p in browser.downloads.glob("tickets-*.csv")]
        if found:
            break
        time.sleep(0.2)
    assert found, "the CSV was not downloaded"
    rows = list(csv.DictReader(io.StringIO(found[0].read_text(encoding="utf-8"))))
    assert [r["reference"] for r in rows] == [ref] and rows[0]["org"] == "i-centrum"


def test_user_text_stays_text_in_the_browser(live: LiveServer, browser: Any) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    payload = "<script>alert('xss')</script><img src=x onerror=alert(2)>\" onmouseover=\"alert(3)"
    ref = file(live, address="eve@example.se", name=f"Eve {payload}", text=f"Delete me {payload}")
    sign_in(browser, live)
    browser.get(f"{live.url}/staff/tickets/{ref}")
    assert browser.find_element(By.ID, "original").text == f"Delete me {payload}"
    assert browser.find_elements(By.CSS_SELECTOR, "main img, main script") == []
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - raises when no alert is open
    browser.get(f"{live.url}/staff/tickets?q=eve")
    assert browser.find_elements(By.CSS_SELECTOR, "main img, main script") == []


def test_dashboard_shows_counts_and_a_chart(live: LiveServer, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    file(live, org="infentre", right=Right.OBJECTION, address="frank@example.se")
    sign_in(browser, live)
    browser.get(live.url + "/staff/dashboard")
    assert int(browser.find_element(By.ID, "overdue-count").text) == 0
    assert browser.find_elements(By.CSS_SELECTOR, "svg.chart rect")
    shot(browser, "05-dashboard", full=True)


def test_ask_the_bot_and_see_the_answer_with_citations(live: LiveServer, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(live.url + "/")
    assert browser.current_url.endswith("/ask")
    Select(browser.find_element(By.ID, "org")).select_by_visible_text("Infentre")
    browser.find_element(By.ID, "text").send_keys("How long do you keep my data?")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.ask button"))
    answer = browser.find_element(By.ID, "answer")
    assert "We keep this information no longer than 3 years." in answer.text
    quotes = [q.text for q in answer.find_elements(By.CSS_SELECTOR, "blockquote")]
    assert "We keep this information no longer than 3 years." in quotes
    shot(browser, "06-ask", full=True)
    browser.set_window_size(390, 844)  # a phone
    try:
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390, f"the ask page scrolls sideways on a phone ({width}px)"
        shot(browser, "07-ask-phone")
        sign_in(browser, live)
        browser.get(live.url + "/staff/")
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390, f"the queue scrolls sideways on a phone ({width}px)"
        shot(browser, "08-queue-phone")
        for page in ("/staff/dashboard", f"/staff/tickets/{file(live, address='gus@example.se')}"):
            browser.get(live.url + page)
            width = browser.execute_script("return document.documentElement.scrollWidth")
            assert width <= 390, f"{page} scrolls sideways on a phone ({width}px)"
        shot(browser, "09-ticket-phone", full=True)
    finally:
        browser.set_window_size(1280, 1000)
