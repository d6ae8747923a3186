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

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (run `make setup`)")
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
WAIT_S = 60


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


def open_tab(driver, wait, name: str) -> None:
    wait.until(lambda d: [t for t in d.find_elements(By.CSS_SELECTOR, "button[role=tab]") if t.text == name])
    next(t for t in driver.find_elements(By.CSS_SELECTOR, "button[role=tab]") if t.text == name).click()


def pick(driver, wait, elem_id: str, label: str) -> None:
    """Choose an option of a Gradio dropdown the way a person does: open it, click the option."""
    driver.find_element(By.CSS_SELECTOR, f"#{elem_id} input").click()
    option = wait.until(
        lambda d: next(
            (
                o
                for o in d.find_elements(By.CSS_SELECTOR, "[role=option]")
                if o.get_attribute("aria-label") == label
            ),
            None,
        )
    )
    option.click()


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
    wait = WebDriverWait(browser, WAIT_S)
    browser.get(app.url)
    open_tab(browser, wait, "Explore")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#explore-style input"))
    want = (2, 1, 3, 0)  # picked by level name, as a person does
    for axis, level in zip(("style", "complexity", "era", "variation"), want, strict=True):
        pick(browser, wait, f"explore-{axis}", w.axes[axis][level])
    wait.until(lambda d: id_box(d).get_attribute("value") == format_id(want))

    browser.find_element(By.ID, "generate-button").click()
    wait.until(lambda d: format_id(want) in d.find_element(By.ID, "explore-status").text)
    wait.until(lambda d: len(result_words(d)) == 10)
    got = result_words(browser)
    shot(browser, "explore.png")
    assert got == [r["word"] for r in w.generate(want, 10)]  # the library's own answer (LM, greedy)
    assert "fine-tuned LM" in browser.find_element(By.ID, "explore-status").text
    # Offline: everything the page loaded came from the app itself (no fonts or scripts from elsewhere).
    urls = requested_urls(browser)
    origin = app.url.rstrip("/")
    assert urls and all(u.startswith((origin, "data:", "blob:")) for u in urls), [
        u for u in urls if not u.startswith((origin, "data:", "blob:"))
    ]


def test_a_bad_id_shows_a_readable_message(app, browser):
    wait = WebDriverWait(browser, WAIT_S)
    browser.get(app.url)
    open_tab(browser, wait, "Explore")
    box = wait.until(lambda d: id_box(d))
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("9,9,9,9")
    browser.find_element(By.ID, "generate-button").click()
    toast = wait.until(lambda d: [e for e in d.find_elements(By.CSS_SELECTOR, "[data-testid=toast-body]")])
    text = toast[0].text
    shot(browser, "bad-id.png")
    assert "allowed range is 0..7" in text
    assert "Traceback" not in browser.page_source


def test_today_word_and_like(app, browser):
    wait = WebDriverWait(browser, WAIT_S)
    browser.get(app.url)
    open_tab(browser, wait, "Word of the day")
    card = wait.until(
        lambda d: d.find_element(By.ID, "today-card").text.strip() and d.find_element(By.ID, "today-card")
    )
    word = app.state.session().today()["word"]
    assert word in card.text and "Definition." in card.text
    wait.until(
        lambda d: (
            d.find_element(By.CSS_SELECTOR, "#rate-word textarea, #rate-word input").get_attribute("value")
            == word
        )
    )
    browser.find_element(By.ID, "like-button").click()
    wait.until(lambda d: f"You liked {word}" in d.find_element(By.ID, "preference").text)
    shot(browser, "today.png")
    assert app.state.store.feedback()[-1]["word"] == word
