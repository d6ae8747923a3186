import lzma

import pytest

from wotd_mlx.corpus.gcide_text import LOST_LETTER, greek, to_unicode
from wotd_mlx.corpus.webster import headword_key, parse_entry
from wotd_mlx.corpus.webster_data import DATA_FILE, b64_number, lexicon_rows, read_data, write_data
from wotd_mlx.errors import WotdError

# Entries as dict-gcide 0.48.5 writes them (shortened where marked).
AVOID = """Avoid \\A*void"\\, v. t. [imp. & p. p. {Avoided}; p. pr. & vb. n.
   {Avoiding}.] [OF. esvuidier, es (L. ex) + vuidier, voidier,
   to empty. See {Void}, a.]
   1. To empty. [Obs.] --Wyclif.
      [1913 Webster]

   2. (Law) To become void or vacant. [Obs.] --Ayliffe.
      [1913 Webster]

   5. To keep away from; to keep clear of; to endeavor no to
      meet; to shun; to abstain from; as, to avoid the company
      of gamesters.
      [1913 Webster]

            What need a man forestall his date of grief.
            And run to meet what he would most avoid ? --Milton.
      [1913 Webster]

            He carefully avoided every act which could goad them
            into open hostility.                  --Macaulay.
      [1913 Webster]

   Syn: To escape; elude; evade; eschew.
"""
PHILANTHROPY = """Philanthropy \\Phi*lan"thro*py\\, n. [L. philanthropia, Gr.
   filanqrwpi`a: cf. F. philanthropie.]
   Love to mankind; benevolence toward the whole human family;
   universal good will. --Jer. Taylor.
   [1913 Webster]

   2. An active effort to promote human welfare.
      [PJC]
"""
ELECTRON = """Electron \\E*lec"tron\\, n. [NL., fr. Gr. 'h`lektron. See
   {Electric}.]
   1. Amber; also, the alloy of gold and silver, called
      {electrum}. [archaic]
      [1913 Webster]

   2. (Physics & Chem.) one of the fundamental subatomic
      particles, having a negative charge.
      [Webster 1913 Suppl. +PJC]
"""
LEPTON = """lepton \\lepton\\ n. (Physics)
   an elementary particle that participates in weak interactions
   but does not participate in the strong interaction.
   [WordNet 1.5 +PJC]
"""


def test_avoid_senses_labels_examples_quotes():
    b = parse_entry(AVOID)
    assert b.headwords == ["Avoid"] and b.pos == "v. t."
    assert b.etymology == "OF. esvuidier, es (L. ex) + vuidier, voidier, to empty. See Void, a."
    assert [s.number for s in b.senses] == [1, 2, 5]
    one, two, five = b.senses
    assert one.text == "To empty." and one.usage == ["Obs."] and one.old and one.source == "1913 Webster"
    assert two.fields == ["Law"] and two.text == "To become void or vacant." and two.old
    assert not five.old and five.examples == ["to avoid the company of gamesters"]
    assert five.text.startswith("To keep away from;") and five.text.endswith("of gamesters.")
    assert [q.author for q in five.quotes] == ["Milton.", "Macaulay."]
    # verse keeps its line break, prose is joined
    assert (
        five.quotes[0].text
        == "What need a man forestall his date of grief.\nAnd run to meet what he would most avoid ?"
    )
    assert "\n" not in five.quotes[1].text


# dict-gcide ends this entry with the next ones' headwords: after the tag, and on the lines below it.
ALCHEMY_TAIL = """Alchemy \\Al"che*my\\, n.
   1. The more ancient form of chemistry. [Obs.]
      [1913 Webster]

   2. A mixed metal composed mainly of brass. [Obs.]
      [1913 Webster] Alchymistic
      Alchymist
      Alchymic
"""
AURELIAN_TAIL = """Aurelian \\Au*re"li*an\\, n.
   An amateur collector and breeder of insects, esp. of
   butterflies and moths; a lepidopterist.
   [1913 Webster] Aureola
"""


def test_the_next_entries_headwords_are_not_part_of_the_last_sense():
    (old, mixed) = parse_entry(ALCHEMY_TAIL).senses
    assert old.text == "The more ancient form of chemistry." and old.usage == ["Obs."]
    assert mixed.text == "A mixed metal composed mainly of brass." and mixed.source == "1913 Webster"
    (sense,) = parse_entry(AURELIAN_TAIL).senses
    assert sense.text.endswith("moths; a lepidopterist.") and sense.source == "1913 Webster"
    words = dict(read_data(DATA_FILE))  # and the shipped data file was built without them
    assert [s.text for s in words["aurelian"][1].senses] == [
        "An amateur collector and breeder of insects, esp. of butterflies and moths; a lepidopterist."
    ]


def test_unnumbered_first_sense_greek_etymology_and_sources():
    b = parse_entry(PHILANTHROPY)
    assert b.etymology == "L. philanthropia, Gr. φιλανθρωπία: cf. F. philanthropie."
    assert [s.number for s in b.senses] == [None, 2]
    assert b.senses[0].text.startswith("Love to mankind;") and b.senses[0].text.endswith("good will.")
    assert [s.source for s in b.senses] == ["1913 Webster", "PJC"]


def test_field_labels_and_lowercase_usage_labels():
    e = parse_entry(ELECTRON)
    assert e.etymology == "NL., fr. Gr. ἤλεκτρον. See Electric."
    assert e.senses[0].usage == ["archaic"] and e.senses[0].old
    assert e.senses[1].fields == ["Physics & Chem."] and not e.senses[1].old
    assert e.senses[1].source == "Webster 1913 Suppl. +PJC"
    w = parse_entry(LEPTON)  # a WordNet entry: no etymology, its field after the part of speech
    assert w.headwords == ["lepton"] and w.pos == "n." and w.senses[0].fields == ["Physics"]
    assert w.senses[0].text.startswith("an elementary particle")


@pytest.mark.parametrize(
    "latin, expected",
    [
        ("filanqrwpi`a", "φιλανθρωπία"),  # philanthropy
        ("'h`lektron", "ἤλεκτρον"),  # electron
        ("zw^,on", "ζῷον"),  # zoon, iota subscript
        ('a"i^ma', "αἷμα"),  # haema, rough breathing on the second vowel
        ("'ichqy`s", "ἰχθύς"),  # ichthys
        ("dolicho`s", "δολιχός"),  # ch is chi
        ("kefalh`", "κεφαλή"),
        ('"ippopo`tamos', "ἱπποπόταμος"),
        ("'a`nqrwpos", "ἄνθρωπος"),
        ("fy`sis", "φύσις"),  # y is upsilon, final sigma
        ("xy`lon", "ξύλον"),  # x is xi
        ("'o`psis", "ὄψις"),  # ps is psi
        ("le`xis", "λέξις"),
        ("ba`ros", "βάρος"),
    ],
)
def test_greek_transliteration(latin, expected):
    assert greek(latin) == expected


def test_character_codes_and_what_stays_latin():
    assert (
        to_unicode("AS. s[=o][eth], [thorn][ae]t; F. universit['e]; Sw. [*a]ker")
        == "AS. sōð, þæt; F. université; Sw. åker"
    )
    assert to_unicode('Skr. m[.r]ita; zo["o]logy; activation[1]') == "Skr. mṛita; zoölogy; activation"
    # English words with apostrophes and bracketed labels are not Greek or codes
    assert to_unicode("the king's men [Obs.] don't") == "the king's men [Obs.] don't"
    assert to_unicode("Gr. 'a not") == "Gr. ἀ not"
    assert LOST_LETTER.search("AS. h?sbonda") and not LOST_LETTER.search("Who? Not I.")
    assert headword_key('Zo["o]logy') == "zoology" and headword_key("AEon") == "aeon"
    assert headword_key("Caf'e") == "cafe" and headword_key("o'clock") == "o'clock"


def test_b64_numbers_and_bad_input():
    assert b64_number("A") == 0 and b64_number("Et") == 4 * 64 + 45 and b64_number("JrWF") == 2536837
    with pytest.raises(WotdError, match="allowed"):
        b64_number("J$")


def test_data_file_round_trip_is_deterministic(tmp_path):
    rows = lexicon_rows([parse_entry(AVOID), parse_entry(ELECTRON), parse_entry(LEPTON)])
    assert [r[0] for r in rows] == ["avoid", "electron", "lepton"]
    a, b = tmp_path / "a.jsonl.xz", tmp_path / "b.jsonl.xz"
    write_data(rows, a)
    write_data(rows, b)
    assert a.read_bytes() == b.read_bytes()
    back = dict(read_data(a))
    assert back["avoid"][0].senses[2].quotes[0].author == "Milton."
    assert back["electron"][0].senses[1].fields == ["Physics & Chem."]
    a.write_bytes(lzma.compress(b"not json\n"))
    with pytest.raises(WotdError, match="build_webster"):
        list(read_data(a))


def test_shipped_data_file_reads():
    words = dict(read_data(DATA_FILE))
    assert len(words) > 40_000
    assert [s.text for s in words["university"][0].senses][2].startswith("An institution organized")
    assert words["philanthropy"][0].etymology == "L. philanthropia, Gr. φιλανθρωπία: cf. F. philanthropie."
