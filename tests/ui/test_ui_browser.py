"""The app in a real browser: Debian's chromium, headless, driven by selenium. Pick an ID with the level
pickers, generate, read the words back from the page; a bad ID shows a readable message; like today's word.

Skips (saying why) only where chromium or chromedriver is missing; `make test` installs them on Debian."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from app_harness import ARTIFACTS

from wotd_mlx.semantic.ids import format_id
from wotd_mlx.session import DEFAULT_METHOD

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (run `make setup`)")
from selenium.common.exceptions import (  # noqa: E402
    ElementClickInterceptedException,
    ElementNotInteractableException,
    NoSuchElementException,
    StaleElementReferenceException,
)
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="no chromium/chromedriver installed: `make test` installs Debian's chromium and "
    "chromium-driver where it runs as root with apt-get; elsewhere install them to run this test",
)
# Generous: on a loaded 2-core machine a page render or an LM call can take many times its idle time. Every
# wait below is for a condition, so an idle machine never waits this long.
WAIT_S = 300
# Gradio re-renders components while it updates them: an element found a moment ago can be gone (stale) or
# covered. Every read and click re-finds its element inside a wait that retries on these.
RETRY_ON = (
    StaleElementReferenceException,
    NoSuchElementException,
    ElementClickInterceptedException,
    ElementNotInteractableException,
)


@pytest.fixture(scope="module")
def browser():
    opts = Options()
    opts.binary_location = CHROMIUM
    # Headless and offline: no sandbox (containers), no GPU, no background traffic to Google services.
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1100",
    ):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})  # to see every request the page makes
    # An explicit driver path: selenium then never tries to download one.
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    yield driver
    driver.quit()


def shot(driver, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    driver.save_screenshot(str(path))
    print(f"screenshot: {path}")
    return path


def waiter(driver) -> WebDriverWait:
    return WebDriverWait(driver, WAIT_S, poll_frequency=0.2, ignored_exceptions=RETRY_ON)


def click(driver, css: str) -> None:
    """Click an element, re-finding it until the click lands (it may be re-rendered in between)."""
    waiter(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, css).click() or True)


def text_of(driver, css: str) -> str:
    """The element's visible text, read once it is there (re-found if it went stale)."""
    return waiter(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, css).text or " ").strip()


def read_when(driver, read, ready):
    """`read(driver)` once `ready` holds for what it read (read again while stale or not ready)."""
    box = []

    def done(d) -> bool:
        box[:] = [read(d)]
        return bool(ready(box[0]))

    waiter(driver).until(done)
    return box[0]


def open_tab(driver, name: str) -> None:
    def clicked(d) -> bool:
        tabs = [t for t in d.find_elements(By.CSS_SELECTOR, "button[role=tab]") if t.text == name]
        if not tabs:  # the page is still rendering
            return False
        tabs[0].click()
        return tabs[0].get_attribute("aria-selected") == "true"

    waiter(driver).until(clicked)


def pick(driver, elem_id: str, label: str) -> None:
    """Choose an option of a Gradio dropdown the way a person does: open it, click the option. The options
    re-render while the list opens, so each try re-finds them; it is done when the box shows the label."""

    def picked(d) -> bool:
        box = d.find_element(By.CSS_SELECTOR, f"#{elem_id} input")
        if box.get_attribute("value") == label:
            return True
        options = [o for o in d.find_elements(By.CSS_SELECTOR, "[role=option]") if o.is_displayed()]
        match = [o for o in options if o.get_attribute("aria-label") == label]
        if match:
            match[0].click()
        else:  # the list is closed (or shows another dropdown's options): open this one
            box.click()
        return False

    waiter(driver).until(picked)


def id_box(driver):
    return driver.find_element(By.CSS_SELECTOR, "#explore-id textarea, #explore-id input")


def requested_urls(driver) -> list[str]:
    """Every URL the page has requested since the last call (Chrome's performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def result_words(driver) -> list[str]:
    cells = driver.find_elements(By.CSS_SELECTOR, '#explore-results [role=gridcell][data-col="0"]')
    by_row = {int(c.get_attribute("data-row")): c.get_attribute("textContent").strip() for c in cells}
    return [by_row[i] for i in sorted(by_row)]


def test_pick_an_id_generate_and_read_the_words(app, browser):
    w = app.state.session()
    wait = waiter(browser)
    browser.get(app.url)
    open_tab(browser, "Explore")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#explore-style input"))
    want = (2, 1, 3, 0)  # picked by level name, as a person does
    for axis, level in zip(("style", "complexity", "era", "variation"), want, strict=True):
        pick(browser, f"explore-{axis}", w.axes[axis][level])
    wait.until(lambda d: id_box(d).get_attribute("value") == format_id(want))

    click(browser, "#generate-button")
    wait.until(lambda d: format_id(want) in d.find_element(By.ID, "explore-status").text)
    expected = [r["word"] for r in w.generate(want, 10)]  # the library's own answer (its default method)
    # Read until the table holds ten rows (it fills in as it renders); a stale cell means read again.
    got = read_when(browser, result_words, lambda words: len(words) == 10)
    shot(browser, "explore.png")
    assert got == expected
    method = "fine-tuned LM" if DEFAULT_METHOD == "lm" else "from retrieval"
    assert method in text_of(browser, "#explore-status")
    # Offline: everything the page loaded came from the app itself (no fonts or scripts from elsewhere).
    urls = requested_urls(browser)
    origin = app.url.rstrip("/")
    assert urls and all(u.startswith((origin, "data:", "blob:")) for u in urls), [
        u for u in urls if not u.startswith((origin, "data:", "blob:"))
    ]


def test_a_bad_id_shows_a_readable_message(app, browser):
    wait = waiter(browser)
    browser.get(app.url)
    open_tab(browser, "Explore")

    def typed(d) -> bool:
        box = id_box(d)
        if box.get_attribute("value") != "9,9,9,9":
            box.send_keys(Keys.CONTROL, "a")
            box.send_keys("9,9,9,9")
        return box.get_attribute("value") == "9,9,9,9"

    wait.until(typed)
    click(browser, "#generate-button")
    text = read_when(
        browser,
        lambda d: " ".join(e.text for e in d.find_elements(By.CSS_SELECTOR, "[data-testid=toast-body]")),
        str.strip,
    )
    shot(browser, "bad-id.png")
    assert "allowed range is 0..7" in text
    assert "Traceback" not in browser.page_source


def test_today_word_and_like(app, browser):
    wait = waiter(browser)
    browser.get(app.url)
    open_tab(browser, "Word of the day")
    word = app.state.session().today()["word"]
    card = read_when(browser, lambda d: d.find_element(By.ID, "today-card").text, lambda text: word in text)
    assert "Definition." in card
    click(browser, "#other-days .label-wrap")  # the rate-any-word box is in the collapsed section
    wait.until(
        lambda d: (
            d.find_element(By.CSS_SELECTOR, "#rate-word textarea, #rate-word input").get_attribute("value")
            == word
        )
    )
    click(browser, "#like-button")
    wait.until(lambda d: f"You liked {word}" in d.find_element(By.ID, "preference").text)
    shot(browser, "today.png")
    assert app.state.store.feedback()[-1]["word"] == word
