"""The Review and Collect tabs in a real browser (headless chromium, the harness of test_ui_browser.py) on
the launched, trained app: review a due word end to end, keep and drop a favourite, export an Anki deck
and read it back, and import a malformed CSV. Every change made on the page is read back from the app's
SQLite store on a connection of the test's own."""

from __future__ import annotations

import io
import shutil
import sqlite3
import time
import urllib.request
import zipfile
from urllib.parse import urljoin

import pytest
from test_ui_browser import browser, click, open_tab, read_when, shot, text_of, waiter  # noqa: F401
from test_ui_card import add_profile, type_into

from wotd_mlx.keep import distractors, lists, review, speech
from wotd_mlx.store import Store

By = pytest.importorskip("selenium.webdriver.common.by").By
KEEP_TABLES = ("keep_lists", "keep_items", "keep_cards", "keep_reviews", "keep_undo")
NOT_A_WORD = "zzqxnotaword"
# The addresses the audio player holds (its <audio> element's source, its download link).
AUDIO_URLS = """
const box = document.querySelector('#review-audio');
if (!box) return '';
const urls = [...box.querySelectorAll('audio, source, a')].map(e => e.currentSrc || e.src || e.href);
return urls.filter(Boolean).join(' ');
"""


def keep_rows(app) -> dict[str, list[tuple]]:
    """Every row of the tables the Review and Collect tabs write, on the test's own connection."""
    conn = sqlite3.connect(app.home / "wotd.db")
    try:
        have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {t: sorted(conn.execute(f"SELECT * FROM {t}")) for t in KEEP_TABLES if t in have}
    finally:
        conn.close()


def toasts(driver) -> str:
    return " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, "[data-testid=toast-body]"))


def picked_profile(driver, prefix: str, name: str) -> None:
    """Wait until the tab's own profile picker shows the profile picked in the Word of the day tab."""
    css = f"#{prefix}-profile input"
    waiter(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, css).get_attribute("value") == name)


def choose_option(driver, text: str) -> None:
    """Click the review option whose label is `text` until its radio button is checked."""

    def chosen(d) -> bool:
        radios = d.find_elements(By.CSS_SELECTOR, "#review-options input[type=radio]")
        match = [r for r in radios if r.find_element(By.XPATH, "..").text == text]
        if match and not match[0].is_selected():
            match[0].click()
        return bool(match) and match[0].is_selected()

    waiter(driver).until(chosen)


def word_button(driver, word: str, button: str, expect: str) -> None:
    """Type a word into the Collect tab, press one of its buttons, and wait for the status to say `expect`."""
    type_into(driver, "collect-word", word)
    click(driver, f"#collect-{button}")
    read_when(driver, lambda d: d.find_element(By.ID, "collect-status").text, lambda t: expect in t)


def test_review_a_due_word_end_to_end(app, browser):  # noqa: F811
    browser.get(app.url)
    add_profile(browser, "reviewer")  # opening the card records today's word: the profile's first review
    w = app.state.session()
    word = w.today(None, "reviewer")["word"]
    definition, _, _ = review.options_for(w, word)
    waiter(browser).until(lambda d: word in d.find_element(By.ID, "today-card").text)
    open_tab(browser, "Review")
    picked_profile(browser, "review", "reviewer")
    read_when(browser, lambda d: d.find_element(By.ID, "review-due").text, lambda t: "1 word due" in t)

    click(browser, "#review-start")
    read_when(
        browser,
        lambda d: d.find_element(By.ID, "review-question").text,
        lambda t: f"What does {word} mean?" in t,
    )
    labels = read_when(
        browser,
        lambda d: [x.text for x in d.find_elements(By.CSS_SELECTOR, "#review-options label")],
        lambda got: got and all(got),
    )
    right = distractors.mask(definition, word)
    assert right in labels and len(set(labels)) == 4, labels
    choose_option(browser, right)

    click(browser, "#review-hear")
    if shutil.which("espeak-ng") or shutil.which("espeak"):
        heard = read_when(browser, lambda d: d.execute_script(AUDIO_URLS), lambda urls: ".wav" in urls)
        assert f"{speech.file_stem(word)}.wav" in heard  # the word's own cached file
    else:
        said = read_when(browser, lambda d: d.find_element(By.ID, "review-speech").text, str.strip)
        assert "no speech engine found" in said

    click(browser, "#review-check")
    read_when(browser, lambda d: d.find_element(By.ID, "review-verdict").text, lambda t: "Right." in t)
    entry = text_of(browser, "#review-entry")
    assert word in entry and "Definition." in entry and "Etymology." in entry
    shot(browser, "review.png")
    reviewed = [r for r in keep_rows(app).get("keep_reviews", []) if r[1] == "reviewer"]
    assert reviewed == []  # checking an answer records nothing; the grade does

    click(browser, "#review-good")
    read_when(browser, lambda d: d.find_element(By.ID, "review-result").text, lambda t: f"{word}: good" in t)
    read_when(browser, lambda d: d.find_element(By.ID, "review-due").text, lambda t: "Nothing is due" in t)
    shot(browser, "review-done.png")
    with Store(app.home / "wotd.db") as store:
        cards = list(store.db.query("SELECT * FROM keep_cards WHERE profile = 'reviewer'"))
        logs = list(store.db.query("SELECT * FROM keep_reviews WHERE profile = 'reviewer'"))
        assert review.due(store, "reviewer")["due"] == 0
    assert [c["word"] for c in cards] == [word] and cards[0]["due"] > time.time()
    assert [(r["word"], r["correct"], r["rating"]) for r in logs] == [(word, 1, 3)]  # 3: FSRS's Good


def test_keep_a_favourite_export_it_to_anki_and_drop_it(app, browser):  # noqa: F811
    browser.get(app.url)
    add_profile(browser, "collector")
    word = app.state.session().index.words[0]
    open_tab(browser, "Collect")
    picked_profile(browser, "collect", "collector")

    word_button(browser, word, "add", f"{word} added to the favourites")
    read_when(browser, lambda d: d.find_element(By.ID, "collect-words").text, lambda t: word in t)
    with Store(app.home / "wotd.db") as store:
        assert [r["word"] for r in lists.favourites(store, "collector")["words"]] == [word]

    # An unknown word: a clear message, and nothing is written.
    before = keep_rows(app)
    type_into(browser, "collect-word", NOT_A_WORD)
    click(browser, "#collect-add")
    said = read_when(browser, toasts, lambda t: NOT_A_WORD in t)
    assert "unknown word" in said and "lexicon" in said
    assert keep_rows(app) == before

    click(browser, "#collect-export-anki")
    link = waiter(browser).until(
        lambda d: [
            a
            for a in d.find_elements(By.CSS_SELECTOR, "#collect-download a[data-testid=download-link]")
            if (a.get_attribute("href") or "").endswith(".apkg")
        ]
    )[0]
    assert "Exported 1 words of the favourites" in text_of(browser, "#collect-status")
    shot(browser, "collect.png")
    with urllib.request.urlopen(urljoin(app.url, link.get_attribute("href")), timeout=60) as r:
        deck = zipfile.ZipFile(io.BytesIO(r.read()))
    path = app.home.parent / "collector-deck.anki2"
    path.write_bytes(deck.read("collection.anki2"))
    conn = sqlite3.connect(path)
    try:
        notes = [row[0].split("\x1f") for row in conn.execute("SELECT flds FROM notes")]
    finally:
        conn.close()
    assert [n[0] for n in notes] == [word]

    word_button(browser, word, "remove", f"Removed {word} from the favourites")
    with Store(app.home / "wotd.db") as store:
        assert lists.favourites(store, "collector")["words"] == []


def test_import_a_malformed_csv_names_the_line_and_writes_nothing(app, browser, tmp_path):  # noqa: F811
    browser.get(app.url)
    add_profile(browser, "importer")
    good = app.state.session().index.words[1]
    csv_file = tmp_path / "words.csv"
    csv_file.write_text(f"word,definition\n{good},fine\n{NOT_A_WORD},no such word\n", encoding="utf-8")
    open_tab(browser, "Collect")
    picked_profile(browser, "collect", "importer")
    before = keep_rows(app)

    def uploaded(d) -> bool:
        d.find_element(By.CSS_SELECTOR, "#collect-upload input[type=file]").send_keys(str(csv_file))
        return True

    waiter(browser).until(uploaded)
    waiter(browser).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, '#collect-upload td.filename[aria-label="words.csv"]')
    )
    type_into(browser, "collect-into", "imported")
    click(browser, "#collect-import")
    said = read_when(browser, toasts, lambda t: "nothing imported" in t)
    shot(browser, "collect-import.png")
    assert f"line 3: unknown word '{NOT_A_WORD}'" in said
    assert keep_rows(app) == before
    with Store(app.home / "wotd.db") as store:
        assert lists.show(store, "importer")["lists"] == []
