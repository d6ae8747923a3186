"""One GCIDE entry in dictd format (Debian's `dict-gcide`) parsed into headwords, part of speech, etymology
and numbered senses with their labels, examples, quotations and source tag.

A dictd entry is one homograph block of Webster 1913 (plus later GCIDE and WordNet 1.5 additions):

    Avoid \\A*void"\\, v. t. [imp. & p. p. {Avoided}; ...] [OF. esvuidier, ...]
       1. To empty. [Obs.] --Wyclif.
          [1913 Webster]
       5. To keep away from; ... as, to avoid the company of gamesters.
          [1913 Webster]

                What need a man forestall his date of grief.
                And run to meet what he would most avoid ? --Milton.
          [1913 Webster]
       Syn: To escape; elude; evade; eschew.

Lines at three spaces open an item (a numbered sense, "Note:", "Syn:", "Usage:", a "{phrase}" entry or a
source tag); a sense's text sits at six spaces and its quotations at twelve, each followed by its source
tag. An entry with one sense writes it unnumbered after the head. Notes, synonyms and phrase entries are
not senses and are skipped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from wotd_mlx.corpus.gcide_text import to_unicode

# Usage labels that say a sense is no longer current (the lexicon shows a current sense when one exists).
OLD_LABELS = (
    "Obs.", "R.", "Archaic", "Obsoles.", "Obsolescent", "Obs. or R.", "Obs. or Archaic", "Poetic & Obs.",
)  # fmt: skip
# A source tag: names of GCIDE's sources only ("[1913 Webster + AS]"); "AS." inside an etymology is not one.
_SOURCE_NAME = (
    r"(?:1913 Webster|Webster 1913(?: Suppl\.)?|WordNet(?: 1\.[5-7]| sense \d+)?|PJC\.?|AS|RDH|"
    r"Century Dict\.(?: 1906)?|Century|MW10|RN=?\d*|Chambers)"
)
SOURCE = re.compile(rf"\[(\s*\+?\s*{_SOURCE_NAME}(?:\s*\+?\s*{_SOURCE_NAME})*\s*)\]")
# A bracket group that is a usage label: a few words starting with a letter, none of them a source tag.
_USAGE = re.compile(r"\[([A-Za-z][A-Za-z.,&' ]{0,38}|(?:Obs|Archaic|R)\.?,[^\[\]]{0,80})\]")
_FIELD = re.compile(r"^\(([A-Z][^()]{0,40})\)\s*")
_NUMBERED = re.compile(r"^(\d+)\.\s+")
_OTHER_ITEM = re.compile(r"^(?:Note|Syn|Usage|Note\s*\d*|Usage note)\s*:|^\{|^--")
_AUTHOR_TAIL = re.compile(r"\s*--(?=[A-Z0-9(])[^\"]*$")
_INLINE_QUOTE = re.compile(r"\"([^\"]{3,})\"\s*--\s*([^\"]*?)(?=\s*\"|$)")
_EXAMPLE = re.compile(r"\bas,\s+(.+?)(?=;|\.\s+[A-Z\"]|\.$|$)")
_GRAMMAR = re.compile(
    r"^(?:imp\.|p\. ?p\.|pl\.|sing\.|Compar\.|compar\.|superl\.|Superl\.|p\. ?pr\.|pres\.|pret\.|pr\.|"
    r"3d pers|2d pers|inf\.|Written also|Also written|Sometimes written|Formerly written|Written|Also|Spelt|"
    r"Obs\. imp|fem\.|masc\.|sing|pl )"
)
_POS = re.compile(r"[\s,]*((?:[a-z]{1,6}\.(?:\s*(?:&|or|and|,)\s*|\s+)?)+)")
_HEAD = re.compile(r"\s*(?:,|\bor\b|\band\b)?\s*([^\\,]+?)\s*\\[^\\]*\\\s*(?:\((?![A-Z])[^()]*\))?,?")
_QUOTE_AUTHOR = re.compile(r"(?:^|\s)--(?=[A-Z0-9(])")
WRAP = 63  # dictd's line width: a quotation line that ends earlier than the next word needs is verse


def is_old_label(label: str) -> bool:
    """Whether a usage label marks a sense obsolete, rare or archaic ("Obs.", "R.", "archaic", "Obs., except
    in a few phrases; as, sad bread.")."""
    return (
        label in OLD_LABELS or label.lower() in ("archaic", "obs.", "obsolete") or label.startswith("Obs.,")
    )


@dataclass
class Quote:
    """A quotation under a sense and its author ("Shak."); verse keeps its line breaks."""

    text: str
    author: str = ""


@dataclass
class WebsterSense:
    """One numbered (or the single unnumbered) sense of a homograph block."""

    number: int | None
    text: str  # the definition without labels, authorities and source tag, in UTF-8
    fields: list[str] = field(default_factory=list)  # "(Bot.)", "(Physics & Chem.)" -> "Bot.", ...
    usage: list[str] = field(default_factory=list)  # "[Obs.]", "[Colloq.]" -> "Obs.", "Colloq."
    examples: list[str] = field(default_factory=list)  # "as, to avoid the company of gamesters"
    quotes: list[Quote] = field(default_factory=list)
    source: str = ""  # "1913 Webster", "WordNet 1.5", "PJC" ...

    @property
    def old(self) -> bool:
        """Marked obsolete, rare or archaic."""
        return any(is_old_label(u) for u in self.usage)


@dataclass
class WebsterBlock:
    """One homograph: its spellings, part of speech, etymology and senses, in Webster's order."""

    headwords: list[str]
    pos: str
    etymology: str
    senses: list[WebsterSense]


def headword_key(headword: str) -> str:
    """The lexicon's spelling of a headword: lowercase, diacritics dropped (zoölogy -> zoology,
    Caf'e -> cafe), æ -> ae."""
    # an accent written before its vowel in a headword: "Caf'e" is café, "Clich'e" cliché
    text = re.sub(r"['`](?=[aeiouyAEIOUY])", "", headword)
    text = to_unicode(text).replace("æ", "ae").replace("Æ", "ae").replace("œ", "oe").replace("Œ", "oe")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().replace('"', "").replace("*", "")


def _items(lines: list[str]) -> list[list[str]]:
    """Lines grouped into items: each opens at indentation 0 or 3."""
    items: list[list[str]] = []
    for line in lines:
        if not line.strip():
            if items:
                items[-1].append("")
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent <= 3 or not items:
            items.append([line])
        else:
            items[-1].append(line)
    return items


# forms and their respellings between the part of speech and the etymology: "pl. {Libraries} (-r[i^]z)."
_FORMS = re.compile(r"(?:(?:pl|sing|imp|p\. ?p|pr)\.\s*)?\{[^}]*\}[.,;]?|\((?![A-Z])[^()]*\)[.,;]?")


def _groups(text: str, start: int) -> tuple[list[str], int]:
    """Top-level [bracket] groups from `start`, with the index where header text stops."""
    groups, i = [], start
    while True:
        while i < len(text) and text[i] in " ,;.":
            i += 1
        m = _FORMS.match(text, i)
        if m:
            i = m.end()
            continue
        if i >= len(text) or text[i] != "[":
            return groups, i
        depth, j = 0, i
        while j < len(text):
            depth += {"[": 1, "]": -1}.get(text[j], 0)
            if depth == 0:
                break
            j += 1
        groups.append(text[i + 1 : j])
        i = j + 1


def _head(paragraph: str) -> tuple[list[str], str, str, list[str], str]:
    """(headwords, pos, etymology, block-wide usage labels, text of an unnumbered sense) of the head."""
    heads, i = [], 0
    while m := _HEAD.match(paragraph, i):
        heads.append(m.group(1).strip())
        i = m.end()
    if not heads:
        word = paragraph.split(None, 1)[0] if paragraph.strip() else ""
        heads, i = [word.strip(",")], len(word)
    pos_m = _POS.match(paragraph, i)
    pos = pos_m.group(1).strip(" ,") if pos_m else ""
    i = pos_m.end() if pos_m else i
    groups, end = _groups(paragraph, i)
    etymology, usage = "", []
    for g in groups:
        if SOURCE.fullmatch(f"[{g}]"):
            continue
        if _USAGE.fullmatch(f"[{g}]") and _is_usage(g):
            usage.append(g)
        elif not etymology and not _GRAMMAR.match(g):
            etymology = g
    return heads, pos, etymology, usage, paragraph[end:].strip()


_USAGE_TEXT = (
    "obs r archaic obsolete obsoles obsolescent rare colloq colloquial colloquially slang cant vulgar "
    "vulgarly low prov eng scot scotland poetic poet poetical local dial dialect dialectal u s us humorous "
    "jocose "
    "jocular ironical ironically informal loosely southern northern western new england british brit "
    "india anglo indian american canada australia ireland irish often sometimes commonly chiefly usually "
    "contemptuous derog derogatory offensive euphemistic formal or and in the of except"
)
_USAGE_WORDS = frozenset(_USAGE_TEXT.split())


def _is_usage(label: str) -> bool:
    """Whether a short bracket group is a usage label ([Obs.], [Colloq.], [Prov. Eng.], [Loosely &
    Colloquially]): every word of it a usage word. "[OE. textuel, F. textuel.]" is an etymology."""
    words = re.findall(r"[a-z]+", label.lower())
    return label.startswith("Obs.,") or bool(words) and all(w in _USAGE_WORDS for w in words)


def inline_examples(text: str) -> list[str]:
    """The examples a definition gives after "as," ("as, to avoid the company of gamesters")."""
    return [e.strip().rstrip(".") for e in _EXAMPLE.findall(text)]


def _sense_text(raw: str) -> WebsterSense:
    """A sense's joined text split into definition, labels, examples, inline quotes and source tag."""
    text = raw.replace("{", "").replace("}", "")
    tags = SOURCE.findall(text)
    text = SOURCE.sub(" ", text)
    fields = []
    while m := _FIELD.match(text.strip()):
        fields += [f.strip() for f in re.split(r",|;", m.group(1)) if f.strip()]
        text = text.strip()[m.end() :]
    usage = [u for u in _USAGE.findall(text) if _is_usage(u)]
    text = _USAGE.sub(lambda m: " " if _is_usage(m.group(1)) else m.group(0), text)
    quotes = [Quote(q.strip(), a.strip()) for q, a in _INLINE_QUOTE.findall(text)]
    text = _INLINE_QUOTE.sub(" ", text)
    text = _AUTHOR_TAIL.sub("", re.sub(r"\s+", " ", text)).strip()
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    examples = inline_examples(text)
    source = tags[0].strip() if tags else ""
    return WebsterSense(None, to_unicode(text), fields, usage, [to_unicode(e) for e in examples],
                        [Quote(to_unicode(q.text), q.author) for q in quotes], source)  # fmt: skip


def _quote(lines: list[str]) -> Quote | None:
    """A quotation block (lines at indent 8+): its text, verse lines kept apart, and its author."""
    verse: list[tuple[int, str]] = []
    author = []
    for line in lines:
        indent = len(line) - len(line.lstrip())
        body, tail = line.strip(), ""
        if m := _QUOTE_AUTHOR.search(body):
            body, tail = body[: m.start()], body[m.end() :]
        if body and indent < 30:
            verse.append((indent, body.strip()))
        elif body:
            author.append(body.strip())
        if tail:
            author.append(tail.strip())
    if not verse:
        return None
    parts = [verse[0][1]]
    for (ind, prev), (_, cur) in zip(verse, verse[1:], strict=False):
        broke = ind + len(prev) + 1 + len(cur.split()[0]) <= WRAP
        parts.append(("\n" if broke else " ") + cur)
    return Quote(to_unicode("".join(parts).replace("{", "").replace("}", "")), " ".join(author).strip())


def _sense(number: int | None, lines: list[str]) -> WebsterSense:
    """One sense item: text lines at indent < 8, quotations at 8+, each closed by its source tag."""
    text, quotes, block = [], [], []
    for line in lines:
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if SOURCE.fullmatch(stripped) or not stripped:
            if block and (q := _quote(block)):
                quotes.append(q)
            block = []
            if stripped and not quotes and text[-1:] != [stripped]:
                text.append(stripped)  # the sense's own tag: kept for `source`
            continue
        (block if indent >= 8 else text).append(line)
    if block and (q := _quote(block)):
        quotes.append(q)
    sense = _sense_text(" ".join(t.strip() for t in text))
    sense.number, sense.quotes = number, sense.quotes + quotes
    return sense


def _open_brackets(lines: list[str]) -> bool:
    text = " ".join(lines)
    return text.count("[") > text.count("]")


def without_next_headwords(entry: str) -> str:
    """The entry without the next entries' headwords that dict-gcide leaves after its last source tag, on
    the tag's line and the lines below ("[1913 Webster] Aureola" ends `aurelian`; 4,206 of 126,240 entries):
    an entry's text ends with its tag, so text that follows the last one on its line is never the entry's."""
    tags = list(SOURCE.finditer(entry))
    if not tags or not entry[tags[-1].end() :].split("\n", 1)[0].strip():
        return entry
    return entry[: tags[-1].end()] + "\n"


def parse_entry(entry: str) -> WebsterBlock:
    """One dictd GCIDE entry (a homograph block) as a WebsterBlock."""
    items = _items(without_next_headwords(entry).rstrip("\n").split("\n"))
    if not items:
        return WebsterBlock([], "", "", [])
    # the head paragraph: the first line and the plain lines at indent 3 that continue it
    head_lines, rest = list(items[0]), items[1:]
    while rest and (
        _open_brackets(head_lines)  # an etymology runs on ("   {Avoiding}.] [OF. esvuidier ...")
        or not (
            _NUMBERED.match(rest[0][0].strip())
            or _OTHER_ITEM.match(rest[0][0].strip())
            or SOURCE.fullmatch(rest[0][0].strip())
        )
    ):
        head_lines += rest.pop(0)
    paragraph = " ".join(ln.strip() for ln in head_lines if ln.strip())
    heads, pos, etymology, block_usage, first = _head(paragraph)
    body = []  # an unnumbered sense's source tag and the quotations under it
    while rest and SOURCE.fullmatch(rest[0][0].strip()):
        body += rest.pop(0)
    senses = [_sense(None, ["   " + first, *body])] if first else []
    for item in rest:
        m = _NUMBERED.match(item[0].strip())
        if m:
            senses.append(_sense(int(m.group(1)), ["      " + item[0].strip()[m.end() :], *item[1:]]))
    for s in senses:
        s.usage = list(dict.fromkeys(s.usage + block_usage))
    senses = [s for s in senses if s.text]
    ety = to_unicode(re.sub(r"\s+", " ", etymology.replace("{", "").replace("}", ""))).strip()
    return WebsterBlock([h for h in heads if h], pos, ety, senses)
