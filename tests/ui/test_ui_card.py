"""The Word-of-the-day card, the first-day slate and "more like this" in a real browser (headless chromium,
the same driver and helpers as test_ui_browser.py) on the launched, trained app: every rating made on the
page is read back from the app's SQLite store."""

from __future__ import annotations

import pytest
from test_ui_browser import browser, click, open_tab, pick, read_when, shot, text_of, waiter  # noqa: F401

from wotd_mlx.show import show
from wotd_mlx.store import Store
from wotd_mlx.taste import slate as taste_slate

By = pytest.importorskip("selenium.webdriver.common.by").By


def stored(app, profile: str) -> list[tuple[str, int]]:
    """The profile's ratings as (word, value), read on a connection of the test's own (the app's is busy)."""
    with Store(app.home / "wotd.db") as store:
        return [(r["word"], r["value"]) for r in store.feedback(profile)]


def type_into(driver, elem_id: str, text: str) -> None:
    """Type into a Gradio textbox until it holds the text (it may re-render while typed into)."""

    def typed(d) -> bool:
        box = d.find_element(By.CSS_SELECTOR, f"#{elem_id} textarea, #{elem_id} input")
        if box.get_attribute("value") != text:
            box.clear()
            box.send_keys(text)
        return box.get_attribute("value") == text

    waiter(driver).until(typed)


def add_profile(driver, name: str) -> None:
    """Create a profile from the page; the picker switches to it."""
    open_tab(driver, "Word of the day")
    type_into(driver, "new-profile", name)
    click(driver, "#add-profile")
    waiter(driver).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "#profile-picker input").get_attribute("value") == name
    )


def choose(driver, index: int, answer: str) -> None:
    """Answer one slate word: click its like / dislike / skip choice until it is checked."""

    def chosen(d) -> bool:
        labels = [x for x in d.find_elements(By.CSS_SELECTOR, f"#slate-{index} label") if x.text == answer]
        if not labels:
            return False
        box = labels[0].find_element(By.CSS_SELECTOR, "input")
        if not box.is_selected():
            labels[0].click()
        return box.is_selected()

    waiter(driver).until(chosen)


def slate_word(driver, index: int) -> str:
    return text_of(driver, f"#slate-{index} [data-testid=block-info]")


def test_rate_the_shown_word_from_the_card(app, browser):  # noqa: F811
    browser.get(app.url)
    add_profile(browser, "cardreader")
    word = app.state.session().today(None, "cardreader")["word"]
    card = read_when(browser, lambda d: d.find_element(By.ID, "word-card").text, lambda t: word in t)
    assert "Definition." in card and "Etymology." in card and "Why this word." in card
    assert "due for review" in text_of(browser, "#due-count")
    # The date and the rate-any-word box are tucked away until asked for.
    assert not any(e.is_displayed() for e in browser.find_elements(By.ID, "today-date"))
    click(browser, "#other-days .label-wrap")
    waiter(browser).until(lambda d: d.find_element(By.ID, "today-date").is_displayed())
    click(browser, "#dislike-button")
    waiter(browser).until(lambda d: f"You disliked {word}" in d.find_element(By.ID, "preference").text)
    shot(browser, "card.png")
    assert stored(app, "cardreader") == [(word, -1)]


def test_a_new_profile_answers_the_slate_and_undoes_one(app, browser):  # noqa: F811
    browser.get(app.url)
    add_profile(browser, "newcomer")
    expected = [x["word"] for x in taste_slate.slate(app.state.session(), "newcomer")["words"]]
    waiter(browser).until(lambda d: d.find_element(By.ID, "slate").is_displayed())
    shown = [slate_word(browser, i) for i in range(len(expected))]
    assert shown == expected
    # Nothing answered: a clear message and nothing written.
    click(browser, "#slate-save")
    toast = read_when(
        browser,
        lambda d: " ".join(e.text for e in d.find_elements(By.CSS_SELECTOR, "[data-testid=toast-body]")),
        str.strip,
    )
    assert "at least one word" in toast and stored(app, "newcomer") == []
    answers = {0: "like", 1: "dislike", 2: "skip", 3: "like"}
    for i, answer in answers.items():
        choose(browser, i, answer)
    shot(browser, "slate.png")
    click(browser, "#slate-save")
    waiter(browser).until(lambda d: "Saved 4 answers" in d.find_element(By.ID, "preference").text)
    value = {"like": 1, "dislike": -1, "skip": 0}
    got = stored(app, "newcomer")
    assert got == [(expected[i], value[a]) for i, a in answers.items()]
    waiter(browser).until(lambda d: not any(e.is_displayed() for e in d.find_elements(By.ID, "slate")))
    click(browser, "#undo-button")
    waiter(browser).until(
        lambda d: f"Took back your like of {expected[3]}" in d.find_element(By.ID, "preference").text
    )
    got = stored(app, "newcomer")
    assert got == [(expected[i], value[a]) for i, a in list(answers.items())[:3]]


def test_like_a_search_result_in_one_click(app, browser):  # noqa: F811
    browser.get(app.url)
    add_profile(browser, "searcher")
    open_tab(browser, "Search")
    query = "a person who studies insects"
    expected = [r["word"] for r in app.state.session().search(query, 10)]
    type_into(browser, "search-text", query)
    click(browser, "#search-button")
    waiter(browser).until(
        lambda d: (
            d.find_element(By.CSS_SELECTOR, "#search-like-word input").get_attribute("value") == expected[0]
        )
    )
    pick(browser, "search-like-word", expected[1])  # any result, not only the best one
    click(browser, "#search-like-button")
    done = read_when(
        browser, lambda d: d.find_element(By.ID, "search-liked").text, lambda t: "You liked" in t
    )
    shot(browser, "search-like.png")
    assert f"You liked {expected[1]}" in done and "searcher" in done
    assert stored(app, "searcher") == [(expected[1], 1)]


def test_look_up_any_word_shows_its_whole_entry(app, browser):  # noqa: F811
    """Search's look-up shows every Webster sense of a word, not only the shown one; an unknown word is a
    readable message."""

    def plain(e: dict) -> bool:  # two senses whose text Markdown shows as written
        senses = e["webster"][0]["senses"] if e["webster"] else []
        return len(senses) > 1 and not any(c in s["text"][:40] for s in senses[:2] for c in "*_`[]<>&\\")

    with Store(app.home / "wotd.db") as store:
        entry = next(e for e in map(lambda x: show(store, x), app.state.session().index.words) if plain(e))
    word = entry["word"]
    browser.get(app.url)
    open_tab(browser, "Search")
    click(browser, "#lookup .label-wrap")
    type_into(browser, "lookup-word", word)
    click(browser, "#lookup-button")
    page = read_when(
        browser, lambda d: d.find_element(By.ID, "lookup-entry").text, lambda t: "Webster 1913" in t
    )
    shot(browser, "lookup.png")
    assert page.startswith(word) and "Shown sense." in page
    first, second = entry["webster"][0]["senses"][:2]
    assert first["text"][:40] in page and second["text"][:40] in page  # every sense, not the shown one only
    type_into(browser, "lookup-word", "notawordzz")
    click(browser, "#lookup-button")
    toast = read_when(
        browser,
        lambda d: " ".join(e.text for e in d.find_elements(By.CSS_SELECTOR, "[data-testid=toast-body]")),
        lambda t: "notawordzz" in t,
    )
    assert "is not in the lexicon" in toast and "Traceback" not in browser.page_source
