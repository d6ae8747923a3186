"""The prompt language: what prompts and lines look like, and parsing completions back."""

from wotd_mlx.corpus import axis_names
from wotd_mlx.lm.dsl import PromptFormat, short_definition

NAMES = axis_names((8, 8, 8, 5))


def test_prompt_states_the_id_and_readable_names():
    assert PromptFormat().prompt((2, 1, 7, 0), NAMES) == (
        "<wotd> id=2,1,7,0 | life sciences & medicine / common / modern coinages\n"
    )
    assert PromptFormat(names_in_prompt=False).prompt((2, 1, 7, 0), NAMES) == "<wotd> id=2,1,7,0\n"


def test_short_definition_keeps_the_first_clause_and_caps_words():
    assert short_definition("To lessen; to diminish, in force.", 8) == "To lessen"
    assert short_definition("One two three four five six seven eight nine", 4) == "One two three four"
    assert short_definition("Spread  over\nlines. Then more", 8) == "Spread over lines"


def test_lines_round_trip_and_bad_lines_are_flagged():
    fmt = PromptFormat(definition_words=5)
    text = (
        fmt.line("abate", "To lessen; to diminish")
        + "Not A Line\n"
        + fmt.line("ice cream", "a frozen dessert")
    )
    assert fmt.parse(text) == [("abate", "To lessen"), None, ("ice cream", "a frozen dessert")]
    assert fmt.parse("word without colon\n:nothing\n") == [None, None]
