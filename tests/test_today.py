import json

import numpy as np
import pytest
from cli_harness import copy_home, home_env, run_cli

from wotd_mlx.errors import WotdError
from wotd_mlx.render import render
from wotd_mlx.store import LexEntry
from wotd_mlx.today import candidates, modern_fields, parse_date, pick_word


def pool(n: int) -> list[LexEntry]:
    return [LexEntry(f"w{i}", "n.", "d", "[L. x]", "", 2.0, [], 0, 1 + i % 7, 3) for i in range(n)]


def test_same_date_same_word_and_dates_differ():
    p = pool(200)
    assert pick_word("2026-11-22", p).word == pick_word("2026-11-22", p).word
    assert len({pick_word(f"2026-01-{d:02d}", p).word for d in range(1, 29)}) > 20


def test_preference_draws_near_the_preference():
    p = pool(300)
    rng = np.random.default_rng(0)
    V = rng.normal(size=(300, 16)).astype(np.float32)
    V /= np.linalg.norm(V, axis=1, keepdims=True)
    pref = V[42]
    sims = V @ pref
    for day in range(1, 15):
        w = pick_word(f"2026-02-{day:02d}", p, V, pref)
        assert sims[int(w.word[1:])] >= np.sort(sims)[-50]


def test_exclude_skips_shown_words():
    p = pool(3)
    assert pick_word("2026-11-22", p, exclude={"w0", "w1"}).word == "w2"


def test_candidates_drop_the_most_common_and_undefined():
    p = pool(14)
    p[3].etymology = ""
    kept = candidates(p, 8)
    assert all(e.complexity >= 2 and e.etymology for e in kept)
    assert "w3" not in {e.word for e in kept}


def test_parse_date():
    assert parse_date("2026-03-04") == "2026-03-04"
    with pytest.raises(WotdError, match="YYYY-MM-DD"):
        parse_date("04/03/2026")


def test_modern_fields_from_the_real_data():
    assert modern_fields("abate") == {"ipa": "əˈbeɪt", "modern_gloss": "make less active or intense"}
    assert modern_fields("pulchritude") == {
        "ipa": "",
        "modern_gloss": "physical beauty (especially of a woman)",
    }
    assert modern_fields("xyzzyq") == {"ipa": "", "modern_gloss": ""}


def test_today_shows_ipa_and_modern_gloss_beside_webster(trained_home, tmp_path):
    home = copy_home(trained_home, tmp_path / "home")  # today records the date's word: a private copy
    with home_env(home):
        code, out, err = run_cli(["today", "--date", "2026-03-04", "--json"])
        assert code == 0, err
        day = json.loads(out)
        code, text, err = run_cli(["today", "--date", "2026-03-04"])
    assert code == 0, err
    assert {k: day[k] for k in ("ipa", "modern_gloss")} == modern_fields(day["word"])
    head, definition = text.splitlines()[:2]
    assert head.startswith(f"2026-03-04: {day['word']}" + (f" /{day['ipa']}/" if day["ipa"] else ""))
    assert definition.strip() and day["definition"].startswith(definition.strip())
    if day["modern_gloss"]:
        assert f"  modern: {day['modern_gloss'][:40]}" in text
    assert render("today", day) == text.rstrip("\n")


def test_render_today_puts_the_modern_gloss_after_webster():
    day = {"date": "2026-03-04", "word": "abate", "pos": "v. t.", "definition": "To beat down; to overthrow.",
           "semantic_id": [1, 2, 3, 0], "etymology": "", "example": "", "why": "", "from_preference": False,
           **modern_fields("abate")}  # fmt: skip
    assert render("today", day).splitlines()[:3] == [
        "2026-03-04: abate /əˈbeɪt/ (v. t.)  [1,2,3,0]",
        "  To beat down; to overthrow.",
        "  modern: make less active or intense",
    ]
