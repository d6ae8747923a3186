"""The three labelled axes of a lexicon word: style, complexity and era.

Style (exactly 8 levels; the rules are tried in this order and the first that fires wins)

    0. zipf >= 4.0 -> everyday, unless the part of speech, the first definition (the shown sense) or the
       modern gloss carries a literary or colloquial label or cue (rules 1 and 2 for those alone).
    1. An explicit label in the first two definitions, e.g. "(Bot.)", "[Obs.]", "(Law)" -> its style.
    2. A usage cue in the first two definitions, the modern gloss or the part of speech: Obs./obsolete/
       archaic/Chaucer/Spenser or an old verb form ("3d pers. sing.") -> literary & archaic;
       Colloq./Slang/slang/colloquial/informal/vulgar/dialect/[Scot.]/[Prov. Eng.]/[U. S.]/[Local]/cant
       -> colloquial;
       poetic/poetical/literary -> literary & archaic.
    3. A Scot./Prov. etymology -> colloquial.
    4. Field keywords in the first two definitions, then the modern gloss (first text first; most hits
       wins, ties in level order): see the table.
    5. Otherwise everyday.

    The definitions come shown sense first (lexicon.py). A verse quotation is no sign of an old word:
    as a rule (verse and zipf < 3.5 -> literary) it was right 2 times in 14 on the development lists.

    level  name                           labels                          keywords (examples)
    -----  -----------------------------  ------------------------------  ---------------------------
    0      everyday                       -                               -
    1      literary & archaic             Obs., Archaic, Poetic, R.       (usage cues, rule 2)
    2      life sciences & medicine       Bot., Zool., Med., Anat., Biol. genus, species, plant, disease
    3      physical sciences & maths      Chem., Physics, Math., Astron.  acid, mineral, geometry, planet
    4      technical & trades             Naut., Mech., Arch., Mining     ship, sail, machine, cannon
    5      law, religion & government     Law, Eccl., Theol., Polit.      court, church, god, king, tax
    6      arts & humanities              Mus., Rhet., Her., Gram., Logic music, poem, noun, heraldry
    7      colloquial, dialect & slang    Colloq., Slang, Prov. Eng.      (usage cues, rule 2)

    Archaic and literary share a level because this GCIDE export stripped most usage labels (about
    1 word in 100 keeps one), leaving too few archaic words for a level of their own; science is
    split in two instead. Keywords are read only in the first two definitions, because late senses
    of common words wander into every field.

Complexity (L levels, default 8; fixed frequency bands)

    level = floor((5.0 - zipf) / (3.5 / L)), clipped to 0..L-1: with 8 levels each level is 0.44 of a zipf
    unit (about 2.7x rarer than the one before), level 0 is zipf >= 4.56 and level 7 zipf < 1.94. The band
    edges were chosen on the two dev lists (scripts/data/label_dev*.tsv; 279 words): the earlier bands
    (5.45, 4.0) put words a level or two harder than a reader does (chiefly, discreet, alarming), and
    left level 0 with 980 words against 7,392 at level 7; these give 2,056 against 7,097. Word
    length adds nothing once frequency is known (a least-squares fit on scripts/data/label_dev.tsv
    gave it a weight of -0.02), so it is not used. Names: "1 · very common" ... "8 · obscure/long".
    (Before issue 11 the score was -zipf + 0.35 * letters cut into equal-count quantile bins, which put
    long everyday words such as "management" with the obscure ones.)

Era (8 fine periods, re-binned to L <= 8 levels as fine * L // 8): the rules and their table are in
`era.py`; the level names are ERAS below.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from wotd_mlx.errors import WotdError

STYLES = (
    "everyday",
    "literary & archaic",
    "life sciences & medicine",
    "physical sciences & maths",
    "technical & trades",
    "law, religion & government",
    "arts & humanities",
    "colloquial, dialect & slang",
)
EVERYDAY, LITERARY, LIFE, PHYSICAL, TECHNICAL, LAW, ARTS, COLLOQUIAL = range(8)

ERAS = (
    "Old English",
    "Old Norse & early Germanic",
    "Norman & Old French",
    "medieval Latin",
    "Renaissance Latin",
    "Renaissance Greek",
    "early-modern borrowings",
    "modern coinages",
)
COMPLEXITY_NAMES = (
    "very common",
    "common",
    "familiar",
    "moderate",
    "uncommon",
    "rare",
    "very rare",
    "obscure/long",
)

# Explicit labels as GCIDE writes them, "(Bot.)" or "[Obs.]", keyed by their lowercased words.
_LABEL_STYLE = {
    **dict.fromkeys(
        ["obs", "archaic", "obsolete", "r", "poetic", "poet", "poetical", "poetically", "literary"], LITERARY
    ),
    **dict.fromkeys(
        ["colloq", "slang", "cant", "local", "prov eng", "dial", "dialect", "vulgar", "informal"]
        + ["scot", "u s", "us", "local u s", "southern u s", "southern appalachian", "fig and colloq"],
        COLLOQUIAL,
    ),
    **dict.fromkeys(
        [
            "bot",
            "zool",
            "med",
            "anat",
            "biol",
            "physiol",
            "pathol",
            "surg",
            "pharm",
            "biochem",
            "zoöl",
            "paleon",
            "vet",
        ],
        LIFE,
    ),
    **dict.fromkeys(
        [
            "chem",
            "physics",
            "phys",
            "math",
            "astron",
            "geol",
            "min",
            "mineral",
            "geom",
            "trigon",
            "arith",
            "alg",
            "crystallog",
            "meteor",
            "optics",
            "elec",
        ],
        PHYSICAL,
    ),
    **dict.fromkeys(
        [
            "naut",
            "mech",
            "arch",
            "mining",
            "mil",
            "engin",
            "eng",
            "metal",
            "carp",
            "masonry",
            "fort",
            "brewing",
            "weaving",
            "railroad",
            "teleg",
            "gun",
            "shipbuilding",
            "agric",
            "far",
            "founding",
            "manuf",
        ],
        TECHNICAL,
    ),
    **dict.fromkeys(["law", "eccl", "theol", "polit", "r c ch", "scots law", "canon law"], LAW),
    **dict.fromkeys(
        [
            "mus",
            "rhet",
            "her",
            "gram",
            "logic",
            "paint",
            "fine",
            "arts",
            "sculp",
            "pros",
            "print",
            "myth",
            "philos",
            "metaph",
        ],
        ARTS,
    ),
}
# Rule 0's threshold, chosen on the development lists (style exact 0.537/0.594 with no rule 0; 0.552/0.627 at
# 4.25, 0.612/0.679 at 4.0, 0.627/0.660 at 3.75): a word this common is everyday unless its sense is marked.
COMMON_ZIPF = 4.0
_LABEL_RE = re.compile(r"[\[(]([A-Z][A-Za-z. ,&]{0,28}?)[\])]")

_KEYWORDS = {
    LIFE: "genus genera species plant plants botany botanical zoology zoological mammal mammals insect "
    "insects larva shrub herb herbs flowers seeds fungus fungi bacteria bacterium mollusk reptile "
    "vertebrate vertebrates disease diseases medical medicine tissue tissues cell cells gland glands "
    "nerve nerves muscle muscles bone bones organ organs anatomy physiology inflammation fever drug "
    "chromosome enzyme protein pathology symptoms surgical",
    PHYSICAL: "chemical chemistry acid acids compound oxide carbon mineral minerals crystal crystalline "
    "physics astronomy planet star stars geology mathematics mathematical geometry algebra equation "
    "electricity electric hydrocarbon alkaloid salts metal metals atom atoms molecule gas quantity "
    "curve angle",
    TECHNICAL: "ship ships vessel vessels sail sails mast masts deck nautical navigation boat machine "
    "machines machinery engine engines mechanical mechanism tool tools carpentry architecture "
    "architectural masonry timber beam mining mine ore furnace railway railroad wheel lever printing "
    "weaving loom textile engineering fortification cannon gun guns artillery soldier soldiers "
    "manufacture manufacturing workman computer software",
    LAW: "law laws legal court courts statute crime criminal tenant lawsuit plaintiff defendant contract "
    "church ecclesiastical god gods deity religious religion christian christ bible scripture sacred "
    "priest priests clergy bishop worship sin theology theological holy prayer government political "
    "politics king sovereign monarch parliament congress tax council election judge jury",
    ARTS: "music musical melody song poem poems poetry verse verses rhetoric rhetorical grammar "
    "grammatical verb verbs noun nouns adjective pronoun syllable heraldry heraldic escutcheon painting "
    "painter sculpture dance dancing drama theater theatre literature logic logical philosophy "
    "philosophical metaphysics ethics prosody art arts",
}
_KEYWORD_STYLE = {w: s for s, words in _KEYWORDS.items() for w in words.split()}
_WORD_RE = re.compile(r"[a-z]+")
_ARCHAIC_RE = re.compile(
    r"\[Obs|\bObs\.|\bobsolete\b|\barchaic\b|\[Archaic|Chaucer|Spenser|Wyclif|\b[23]d pers\b|"
    r"\bold form of\b|\bpoetic(al|ally)?\b|\bPoetic|\bliterary\b"
)
_COLLOQUIAL_RE = re.compile(
    r"Colloq|\[Slang|\(Slang|\bslang\b|colloquial|\binformal\b|\bvulgar|\bdialect|\[Scot|"
    r"\[Prov\. Eng|\[U\. ?S\.|\[Local|\bcant\b|illiterate"
)


def find_labels(text: str) -> list[str]:
    """The usage/field labels written in a definition, e.g. ["Obs.", "Bot."], in order of appearance."""
    out = []
    for m in _LABEL_RE.finditer(text):
        for part in re.split(r",| or | and |&", m.group(1)):
            part = part.strip()
            if part and _label_key(part) in _LABEL_STYLE and part not in out:
                out.append(part)
    return out


def _label_key(label: str) -> str:
    return " ".join(_WORD_RE.findall(label.lower()))


def _cue(text: str) -> int | None:
    """LITERARY or COLLOQUIAL for an archaic or colloquial cue in the text (the earlier wins), else None."""
    a, c = _ARCHAIC_RE.search(text), _COLLOQUIAL_RE.search(text)
    if not (a or c):
        return None
    return LITERARY if a and (not c or a.start() < c.start()) else COLLOQUIAL


def classify_style(
    definitions: Sequence[str], zipf: float, pos: str = "", etymology: str = "", gloss: str = ""
) -> int:
    """Style level (index into STYLES) of a word from its GCIDE definitions; rules in the module docstring."""
    return style_evidence(definitions, zipf, pos, etymology, gloss)[0]


def style_evidence(
    definitions: Sequence[str],
    zipf: float,
    pos: str = "",
    etymology: str = "",
    gloss: str = "",
) -> tuple[int, str]:
    """(style, rule that fired): "label", "cue", "common", "keywords" (2+ hits), "keyword" or
    "default". "label", "cue", "common" and "keywords" are confident: the style classifier learns them.
    `gloss` is the word's commonest modern gloss (OEWN), read after Webster: its usage cue ("an archaic
    word", "informal") in rule 2 and its field words in rule 4, where Webster's own text says nothing."""
    if zipf >= COMMON_ZIPF:  # rule 0: a common word is everyday unless marked
        for text in [pos, *definitions[:1], gloss]:
            for label in find_labels(text):
                if _LABEL_STYLE[_label_key(label)] in (LITERARY, COLLOQUIAL):
                    return _LABEL_STYLE[_label_key(label)], "label"
            if (style := _cue(text)) is not None:
                return style, "cue"
        return EVERYDAY, "common"
    for text in definitions[:2]:  # rule 1: explicit labels
        for label in find_labels(text):
            return _LABEL_STYLE[_label_key(label)], "label"
    # rule 2: the first two definitions only; a late sense's "obsolete" says nothing of the main sense
    for text in [pos, *definitions[:2], gloss]:
        if (style := _cue(text)) is not None:
            return style, "cue"
    if re.match(r"\[\s*(Scot|Prov)\.", etymology):
        return COLLOQUIAL, "cue"
    for text in [*definitions[:2], gloss]:  # rule 4: field keywords
        hits: dict[int, int] = {}
        for w in _WORD_RE.findall(text.lower()):
            s = _KEYWORD_STYLE.get(w)
            if s is not None:
                hits[s] = hits.get(s, 0) + 1
        if hits:
            best = max(sorted(hits), key=lambda s: hits[s])
            return best, "keywords" if hits[best] >= 2 else "keyword"
    return EVERYDAY, "default"


# ---- levels and names --------------------------------------------------------------------------


def validate_levels(levels: Sequence[int]) -> tuple[int, ...]:
    """Check a (style, complexity, era, variation) level tuple; raise WotdError saying what is allowed."""
    levels = tuple(int(x) for x in levels)
    if len(levels) != 4:
        raise WotdError(f"levels must have 4 entries (style, complexity, era, variation), got {levels}")
    style, complexity, era, variation = levels
    if style != len(STYLES):
        raise WotdError(f"style must have exactly {len(STYLES)} levels ({', '.join(STYLES)}), got {style}")
    if complexity < 2:
        raise WotdError(f"complexity needs at least 2 levels, got {complexity}")
    if not 2 <= era <= len(ERAS):
        raise WotdError(f"era needs 2..{len(ERAS)} levels (it re-bins {len(ERAS)} periods), got {era}")
    if variation < 1:
        raise WotdError(f"variation needs at least 1 level, got {variation}")
    return levels


def era_level(fine: int, n_levels: int) -> int:
    """Re-bin a fine era (0..7) into one of n_levels ordinal levels."""
    return fine * n_levels // len(ERAS)


COMPLEXITY_TOP_ZIPF, COMPLEXITY_SPAN = 5.0, 3.5  # zipf >= 4.56 is level 0; the levels span 3.5 zipf units


def complexity_levels(words: Sequence[str], zipfs: Sequence[float], n_levels: int) -> list[int]:
    """Complexity level per word from fixed frequency bands: with 8 levels each is 0.44 of a zipf unit, from
    zipf >= 4.56 (level 0) to zipf < 1.94 (level 7)."""
    width = COMPLEXITY_SPAN / n_levels
    return [min(n_levels - 1, max(0, int((COMPLEXITY_TOP_ZIPF - z) // width))) for z in zipfs[: len(words)]]


def axis_names(levels: Sequence[int]) -> dict[str, list[str]]:
    """Human-readable level names for each axis: style, complexity, era, variation."""
    _, n_c, n_e, n_v = validate_levels(levels)
    complexity = [
        f"{i + 1} · {COMPLEXITY_NAMES[round(i * (len(COMPLEXITY_NAMES) - 1) / (n_c - 1))]}"
        for i in range(n_c)
    ]
    era = [" / ".join(ERAS[f] for f in range(len(ERAS)) if era_level(f, n_e) == lvl) for lvl in range(n_e)]
    return {
        "style": list(STYLES),
        "complexity": complexity,
        "era": era,
        "variation": [f"v{i}" for i in range(n_v)],
    }
