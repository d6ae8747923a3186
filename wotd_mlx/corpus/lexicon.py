"""Build the labelled lexicon (list[LexEntry]) from GCIDE + wordfreq; deterministic for a given config.

GCIDE is the repository's Webster data (whole entries from dict-gcide, `gcide.load_gcide`). The style rules
read a word's current senses with their labels ("(Law) ...", "... [Colloq.]"); a word with only old
senses gives them its old ones, so its [Obs.] labels still say what it is. Where `modern.py`'s data is
installed, each entry carries a modern gloss (the OEWN gloss closest to the definition shown) and its IPA.

Which words: single lowercase alphabetic GCIDE headwords (2+ letters) with wordfreq zipf >= min_zipf,
at least one definition (see `labels` for every rule). A word no etymology dates keeps a default era by
its form and the label ERA_GUESSED. A modern spelling that GCIDE files under its 1913 form (hypotenuse ->
hypothenuse, `spelling.py`) is a lexicon word with that entry's definition.
"""

from __future__ import annotations

import difflib
import random
import re
from collections import defaultdict
from collections.abc import Callable, Sequence

from wordfreq import top_n_list, zipf_frequency

from wotd_mlx.config import AXES, DEFAULT_LEVELS, CorpusConfig
from wotd_mlx.corpus import era as era_rules
from wotd_mlx.corpus import labels as lab
from wotd_mlx.corpus.gcide import GcideEntry, by_headword, load_gcide
from wotd_mlx.corpus.senses import clean_text, gloss_score, pick_sense
from wotd_mlx.corpus.spelling import modern_aliases
from wotd_mlx.corpus.wiktionary_era import EtymRow, english_base, era_from_rows, load_etymologies
from wotd_mlx.errors import WotdError
from wotd_mlx.store.db import LexEntry

# In LexEntry.labels: no etymology dates the word, so its era is `era.guess_era`'s default by form.
ERA_GUESSED = "era guessed"
_WORD_OK = re.compile(r"[a-z]{2,}")
ALIAS_POOL = 100_000  # wordfreq's most frequent words tried for a 1913 spelling (`spelling.py`)
_REF_DEF = re.compile(
    r"^(?:imp\.|p\. ?p\.|pl\.|pret\.|superl\.|compar\.)?.*?\bof ([A-Z][a-z]+)\b"
    r"|^See ([A-Z][a-z]+)|^([A-Z][a-z]+)\.$"
)
_REF_STOP = set(
    [
        "See",
        "From",
        "So",
        "Named",
        "Cf",
        "Prob",
        "Probably",
        "Perh",
        "The",
        "A",
        "An",
        "Of",
        "Written",
        "Formerly",
        "Originally",
        "Said",
        "Native",
        "Shortened",
        "Corrupted",
        "Abbrev",
        "Aphetic",
        "Dim",
        "Freq",
        "Contr",
        "Pref",
        "Etymol",
        "Orig",
        "Prop",
        "Compar",
        "Equiv",
        "Corrupt",
        "Abbreviated",
        "It",
        "Abbreviation",
        "Also",
        "In",
        "This",
        "Etym",
        "Called",
        "Hence",
        "Fr",
    ]
)
_ROOT_SUFFIXES = (
    "ingly", "edly", "ness", "less", "ment", "ments", "ful", "ship", "hood", "ings", "ing", "ers", "er",
    "est", "ed", "ly", "ies", "es", "s", "ity", "ation", "ations", "al", "ally", "ish", "ism", "ist",
    "ists", "able", "ible", "ive", "ize", "ise", "ous", "y", "en", "ward", "dom",
)  # fmt: skip


def _own_etymologies(entries: Sequence[GcideEntry]) -> dict[str, str]:
    """Headword -> etymology, minus those the PyPI export copied from the next entry (a known bug of the
    export; the Webster data keeps each homograph's own and does not need this).

    The export fills an entry that has no etymology with the following entry's, so a run of consecutive
    headwords can share one string ("sick-brained, sicken, sickening, sicker: [AS. sicerian.]"); it belongs to
    the run's last entry (sicker). Measured over the 22,951 such runs: where one entry of a run cites the
    string's forms best, it is the last in 8,100 and another in 966; 15 of those read by eye belong to the
    last as well ("subtilizer, subtilty: Contr. fr. subtility"). The others lose it.
    """
    out = {}
    for i, e in enumerate(entries):
        following = entries[i + 1].etymology if i + 1 < len(entries) else ""
        own = "" if e.etymology and e.etymology == following else e.etymology
        if not out.get(e.headword):  # a headword filed twice (aeon, race, esthetics): the first that has one
            out[e.headword] = own
    return out


def _cites_word(word: str, ety: str, threshold: float = 0.5) -> bool:
    """Whether the etymology names a form like the word itself. About 18% of this export's etymologies
    belong to another entry ("fryer: acronym from File Transfer Protocol"); their best cited form is
    far from the headword (difflib ratio < 0.5), while true ones cite a near form ("church: OE. chirche")."""
    head = re.split(r"\bakin\b|\bcf\.", ety, maxsplit=1)[0].lower()
    forms = re.findall(r"[a-z\u00c0-\u024f]+", head)
    for f in forms:
        m = difflib.SequenceMatcher(None, word, f)
        # the quick upper bounds first: the same answer, without ratio()'s matching on most forms
        if m.real_quick_ratio() >= threshold and m.quick_ratio() >= threshold and m.ratio() >= threshold:
            return True
    return False


class _EraResolver:
    """Fine era per headword with the fallbacks of `labels` (references, roots, suffixes), memoised."""

    def __init__(
        self, index: dict[str, GcideEntry], etymologies: dict[str, str], wiktionary: dict[str, list[EtymRow]]
    ):
        self.index, self.ety, self.wikt, self.memo = index, etymologies, wiktionary, {}

    def __call__(self, word: str, depth: int = 0) -> int | None:
        if word in self.memo:
            return self.memo[word]
        self.memo[word] = None  # guards against reference cycles
        era = self._resolve(word, depth)
        self.memo[word] = era
        return era

    def _resolve(self, word: str, depth: int) -> int | None:
        if era_rules.modern_suffix(word):
            return 7
        rows = self.wikt.get(word, [])
        era = era_from_rows(rows)  # Wiktionary first: it is cleaner than this export's etymologies
        if era is not None:
            return era
        base = english_base(rows)
        if base and base != word and depth < 2:
            era = self(base, depth + 1)
            if era is not None:
                return era
        for root in _roots(word):  # a derived form (governing, curled) dates from its root's Wiktionary entry
            era = era_from_rows(self.wikt.get(root, []))
            if era is not None:
                return era
        if word.endswith(_ENGLISH_SUFFIXES) and depth < 2:
            # formed inside English (promptness, textually): the root's era, before an etymology that the
            # export may have copied from a neighbour (promptness: "L. promptuarium")
            era = self._root_era(word, depth)
            if era is not None:
                return era
        ety = self.ety.get(word, "")
        if era_rules.classical_compound(word, ety):
            return 7
        if ety and not _cites_word(word, ety):
            ety = ""  # another entry's etymology (a known export bug): its languages say nothing of this word
        era = era_rules.era_from_etymology(ety) if ety else None
        if era is not None or depth >= 2:
            return era
        for ref in self._references(word, ety):
            era = self(ref, depth + 1)
            if era is not None:
                return era
        era = self._root_era(word, depth)
        if era is not None:
            return era
        for cut in range(3, len(word) - 2):  # closed compounds: runaway -> run + away
            if word[:cut] in self.index and word[cut:] in self.index:
                era = self(word[:cut], depth + 1)
                if era is not None:
                    return era
        return 0 if era_rules.native_suffix(word) else None

    def _root_era(self, word: str, depth: int) -> int | None:
        """The era of the first root of a derived form (`_roots` order) that the index holds and dates."""
        for root in _roots(word):
            if root in self.index:
                era = self(root, depth + 1)
                if era is not None:
                    return era
        return None

    def _references(self, word: str, ety: str) -> list[str]:
        refs = [t.lower() for t in re.findall(r"\b([A-Z][a-z]{2,})\b", ety) if t not in _REF_STOP]
        refs += [m.lower() for m in re.findall(r"\b([A-Za-z]{3,}) \+", ety)]
        entry = self.index.get(word)
        for defs in [s.definitions for s in entry.senses] if entry else []:
            for d in defs[:1]:
                m = _REF_DEF.match(d)
                if m:
                    refs.append(next(g for g in m.groups() if g).lower())
        return [r for r in refs if r != word and r in self.index]


def _modern() -> tuple[dict[str, list[str]], dict[str, str]]:
    """(glosses, ipa) from `modern.py` where its data is installed, else two empty dicts."""
    try:
        from wotd_mlx.corpus import modern
    except ImportError:
        return {}, {}
    try:
        return modern.load_glosses(), modern.load_ipa()
    except (WotdError, OSError):
        return {}, {}


def _style_texts(entry: GcideEntry, shown: str = "") -> list[str]:
    """The definitions the style rules read, labels written in: the current senses when there are any (an
    old sense's [Obs.] says nothing of the word today), else all; the sense shown first where it is one of
    them (the rules read the first two, and the word's style is the style of the sense a reader sees)."""
    texts = [
        (s.labelled(i), s.is_old(i), clean_text(d)) for s in entry.senses for i, d in enumerate(s.definitions)
    ]
    pool = [t for t in texts if not t[1]] or texts
    first = [t for t in pool if t[2] and shown.startswith(t[2])][:1]
    pool = first + [t for t in pool if t not in first]
    return [t[0] for t in pool]


def _etymology(entry: GcideEntry, pos: str) -> str:
    """The etymology of the homograph shown (its part of speech), else the entry's first."""
    return next((s.etymology for s in entry.senses if s.pos == pos and s.etymology), entry.etymology)


SCIENCE_STYLES = (2, 3)  # life sciences & medicine, physical sciences & maths (labels.STYLES)
_ENGLISH_SUFFIXES = (
    "ness", "less", "ful", "ship", "hood", "ly", "ing", "ings", "ed", "er", "ers", "est", "ment", "ments",
)  # fmt: skip
_VOWEL_SUFFIXES = ("ingly", "edly", "ings", "ing", "ers", "er", "est", "ed", "en", "able")
_SILENT_E_STEM = re.compile(r"^[^aeiouy]*[aeiou][bcdgkmnprtvz]$")  # one syllable: tak(ing), hop(ing), car(ed)
_DOUBLED = re.compile(r"([bdgkmnprtz])\1$")  # runn(ing) -> run; kill, pass, stuff end in ll/ss/ff themselves


def _roots(word: str) -> list[str]:
    """Candidate roots of a derived form, likeliest first by English spelling: a doubled consonant drops one
    (running -> run), a single vowel and consonant before a vowel suffix lost a silent e (taking -> take)."""
    out = []
    for suf in _ROOT_SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            stem = word[: -len(suf)]
            if suf in _VOWEL_SUFFIXES and _DOUBLED.search(stem):
                out.append(stem[:-1])
            elif suf in _VOWEL_SUFFIXES and _SILENT_E_STEM.search(stem):
                out.append(stem + "e")
            out += [stem, stem + "e", stem[:-1] + "y" if stem.endswith("i") else stem]
            if len(stem) > 3 and stem[-1] == stem[-2]:
                out.append(stem[:-1])
    return list(dict.fromkeys(out))


def build_lexicon(
    cfg: CorpusConfig,
    levels: Sequence[int] = DEFAULT_LEVELS,
    progress: Callable[[int, int], None] | None = None,
) -> list[LexEntry]:
    """Every usable word labelled on style/complexity/era, sorted by word; subsampled if cfg.max_words."""
    return build_lexicon_with_evidence(cfg, levels, progress)[0]


def build_lexicon_with_evidence(
    cfg: CorpusConfig,
    levels: Sequence[int] = DEFAULT_LEVELS,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[LexEntry], dict[str, str]]:
    """`build_lexicon` plus, per word, the style rule that fired (`labels.style_evidence`), which
    `style_model.refine_styles` needs to know which rule labels are confident."""
    levels = lab.validate_levels(levels)
    entries = load_gcide()
    index = by_headword(entries)
    common = [w for w in top_n_list("en", ALIAS_POOL) if _WORD_OK.fullmatch(w)]
    aliases = modern_aliases(common, set(index), lambda w: zipf_frequency(w, "en"))
    # the era reads every etymology that cites a form like the word, a copied one too: the copy comes from
    # the next headword, often the same family (audibility <- audible), so it still dates the word
    era_of = _EraResolver(index, {w: e.etymology for w, e in index.items()}, load_etymologies(None))
    glosses, ipa = _modern()
    rows, evidence = [], {}
    candidates = [(w, e) for w, e in index.items() if _WORD_OK.fullmatch(w)]
    candidates += [(new, index[old]) for new, old in aliases.items()]
    for done, (word, entry) in enumerate(candidates, 1):
        if progress and (done % 5000 == 0 or done == len(candidates)):
            progress(done, len(candidates))
        zipf = zipf_frequency(word, "en")
        if zipf < cfg.min_zipf:
            continue
        word_glosses = glosses.get(word, [])
        pos, definition, example = pick_sense(entry, index, word_glosses)
        if not definition:
            continue
        gloss = max(
            word_glosses, key=lambda g: gloss_score(g, [definition]), default=""
        )  # the first of equals
        era = era_of(word)
        if era is None and word != entry.headword:
            era = era_of(entry.headword)  # a modern spelling: its 1913 entry's era
        defs = _style_texts(entry, definition)
        first_gloss = word_glosses[0] if word_glosses else ""
        style, evidence[word] = lab.style_evidence(defs, zipf, pos, entry.etymology, first_gloss)
        every = [s.labelled(i) for s in entry.senses for i in range(len(s.definitions))]
        all_labels = list(dict.fromkeys(x for d in every for x in lab.find_labels(d)))
        if style in SCIENCE_STYLES and era_rules.scientific_prefixed(word, entry.etymology):
            era = 7  # a 19th-century coinage from a prefix and a science word (bipolar, trioxide, diatomic)
        if era is None:  # kept, with a default era by form, and marked so that nobody mistakes it for data
            era = era_rules.guess_era(word)
            all_labels.append(ERA_GUESSED)
        # whole entries: each homograph's own etymology (the PyPI export's copies from a neighbour are gone)
        ety = clean_text(_etymology(entry, pos).strip().lstrip("[").rstrip("]"), limit=300)
        row = (word, pos, definition, ety, example, round(zipf, 2), all_labels, style, era)
        rows.append((row, gloss, ipa.get(word, "")))
    words = [r[0][0] for r in rows]
    complexity = lab.complexity_levels(words, [r[0][5] for r in rows], levels[1])
    lexicon = [
        LexEntry(w, pos, d, ety, ex, z, labels, style, cx, lab.era_level(era, levels[2]), gloss, ipa_)
        for ((w, pos, d, ety, ex, z, labels, style, era), gloss, ipa_), cx in zip(
            rows, complexity, strict=True
        )
    ]
    lexicon.sort(key=lambda e: e.word)
    return capped(lexicon, evidence, cfg, levels)


def capped(
    lexicon: list[LexEntry], evidence: dict[str, str], cfg: CorpusConfig, levels: Sequence[int]
) -> tuple[list[LexEntry], dict[str, str]]:
    """The lexicon cut to cfg.max_words (stratified_subsample), with the style evidence of the words kept."""
    if cfg.max_words is not None and cfg.max_words < len(lexicon):
        lexicon = stratified_subsample(lexicon, cfg.max_words, levels, cfg.seed)
    return lexicon, {e.word: evidence[e.word] for e in lexicon}


def stratified_subsample(entries: list[LexEntry], n: int, levels: Sequence[int], seed: int) -> list[LexEntry]:
    """n entries such that every (axis, level) present keeps words; the rest follows the population."""
    rng = random.Random(seed)
    order = list(entries)
    rng.shuffle(order)
    chosen: dict[str, LexEntry] = {}
    # Floor per (axis, level): enough that each level can still seed a small corpus in quick runs.
    floor = max(1, n // (2 * sum(levels[:3])))
    for axis in AXES[:3]:
        by_level = defaultdict(list)
        for e in order:
            by_level[getattr(e, axis)].append(e)
        for level in sorted(by_level):
            have = sum(1 for e in chosen.values() if getattr(e, axis) == level)
            for e in by_level[level]:
                if have >= floor or len(chosen) >= n:
                    break
                if e.word not in chosen:
                    chosen[e.word] = e
                    have += 1
    for e in order:  # the rest in seeded random order, so big cells stay big
        if len(chosen) >= n:
            break
        chosen.setdefault(e.word, e)
    return sorted(chosen.values(), key=lambda e: e.word)


def label_counts(entries: Sequence[LexEntry], levels: Sequence[int] = DEFAULT_LEVELS) -> dict[str, list[int]]:
    """Number of entries per level for each labelled axis (style, complexity, era)."""
    levels = lab.validate_levels(levels)
    counts = {axis: [0] * n for axis, n in zip(AXES[:3], levels[:3], strict=True)}
    for e in entries:
        for axis in AXES[:3]:
            counts[axis][getattr(e, axis)] += 1
    return counts
