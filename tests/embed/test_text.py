import pytest

from wotd_mlx.embed import word_text
from wotd_mlx.errors import WotdError


def test_word_formats():
    assert word_text("entomologist", "one who studies insects.", "word") == "entomologist"
    got = word_text("entomologist", "one who studies insects.", "word_definition")
    assert got == "entomologist: one who studies insects."


def test_empty_definition_falls_back_to_word():
    assert word_text("cat", "  ", "word_definition") == "cat"


def test_unknown_format_lists_allowed():
    with pytest.raises(WotdError, match="word, word_definition"):
        word_text("cat", "a pet", "definition_only")
