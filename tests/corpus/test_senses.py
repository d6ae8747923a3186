"""The sense the lexicon shows: a pointer ("Same as X", "See X", one word) gives way to a real definition."""

import pytest

from wotd_mlx.corpus.gcide import GcideEntry, Sense
from wotd_mlx.corpus.senses import pick_sense, pointer_target


def entry(word: str, *senses: tuple[str, list[str]]) -> GcideEntry:
    return GcideEntry(word, [Sense(pos, "", defs, [[] for _ in defs]) for pos, defs in senses])


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Same as Templet.", "templet"),
        ("See Bacterium.", "bacterium"),
        ("Slew.", "slew"),
        ("Alt. of Color.", "color"),
        ("Same as Diaper, n., 2.", "diaper"),
        ("See Wax insect, under Wax.", ""),  # a pointer, but to no single word: not followed
        ("imp. of Blow.", None),  # a grammatical form says what the word is: a real definition
        ("A bullfinch.", None),
        ("Angered; enraged.", None),
    ],
)
def test_pointer_target(text, target):
    assert pointer_target(text) == target


def test_a_later_real_sense_beats_a_leading_pointer():
    slow = entry("slow", ("imp.", ["Slew."]), ("a.", ["Moving a short space in a relatively long time."]))
    assert pick_sense(slow, {})[:2] == ("a.", "Moving a short space in a relatively long time.")


def test_an_entry_of_pointers_only_takes_the_named_words_definition():
    templet = entry("templet", ("n.", ["See Template.", "A gauge, pattern, or mold, used as a guide."]))
    template = entry("template", ("n.", ["Same as Templet."]))
    index = {"templet": templet, "template": template}
    shown = "Same as templet: A gauge, pattern, or mold, used as a guide."
    assert pick_sense(template, index)[:2] == ("n.", shown)


def test_an_explicit_pointer_first_is_followed_unless_it_names_a_sense_number():
    phenix = entry("phenix", ("n.", ["A bird fabled to exist single, and to rise again from its ashes."]))
    phoenix = entry("phoenix", ("n.", ["Same as Phenix.", "A genus of palms including the date tree."]))
    starling = entry("starling", ("n.", ["A bird.", "A piling round the piers of a bridge."]))
    sterling = entry("sterling", ("n.", ["Same as Starling, 3.", "Any English coin of standard value."]))
    index = {"phenix": phenix, "phoenix": phoenix, "starling": starling, "sterling": sterling}
    assert pick_sense(phoenix, index)[1] == "Same as phenix: " + phenix.senses[0].definitions[0]
    assert pick_sense(sterling, index)[1] == "Any English coin of standard value."


def test_a_pointer_to_nothing_usable_is_kept_rather_than_dropping_the_word():
    loop = entry("aa", ("n.", ["See Bb."]))
    bb = entry("bb", ("n.", ["See Aa."]))
    assert pick_sense(loop, {"aa": loop, "bb": bb})[1] == "See Bb."
    hope = entry("hope", ("n.", ["A sloping plain between mountain ridges."]))  # another word's first entry
    esperance = entry("esperance", ("n.", ["Hope."]))
    assert pick_sense(esperance, {"hope": hope})[1] == "Hope."  # a one-word synonym is shown, not followed
    moo = entry("moo", ("n.", ["See Mo."]), ("v. i.", ["To make the noise of a cow."]))
    assert pick_sense(moo, {"mo": entry("mo", ("a.", ["More."]))})[1] == "To make the noise of a cow."
    assert pick_sense(entry("cc", ("n.", ["See Nowhere."])), {})[1] == "See Nowhere."
    wax = entry("wax", ("v. i.", ["To increase in size."]))
    pela = entry("pela", ("n.", ["See Wax insect, under Wax."]))
    assert pick_sense(pela, {"wax": wax, "pela": pela})[1] == "See Wax insect, under Wax."
    assert pick_sense(entry("dd", ("n.", ["x"])), {}) == ("", "", "")  # too short to be a definition


def test_the_main_homograph_goes_first_when_it_is_clearly_the_main_one():
    far = entry(
        "far",
        ("n.", ["A young pig, or a litter of pigs."]),
        ("a.", ["Distant in any direction; not near; remote.", "Contrary to purpose or design.", "Remote."]),
        ("adv.", ["To a great extent or distance.", "In great part."]),
    )
    assert pick_sense(far, {})[:2] == ("a.", "Distant in any direction; not near; remote.")
    dung = entry("dung", ("n.", ["The excrement of an animal."]), ("v. t.", ["To manure.", "To immerse."]))
    assert pick_sense(dung, {})[:2] == ("n.", "The excrement of an animal.")  # 2 senses: not clearly main
    speed = entry(
        "speed", ("n.", ["Prosperity; success.", "Swift motion.", "Aid."]), ("v. i.", ["To go."] * 5)
    )
    assert pick_sense(speed, {})[1] == "Prosperity; success."  # 5 is not 3 times 3
