"""Before/after counts: the PyPI GCIDE export against the Webster data (dict-gcide, data/webster.jsonl.xz).

    .venv/bin/python scripts/lexicon_counts.py            # prints the table and the top-200 check
    .venv/bin/python scripts/lexicon_counts.py --json OUT # also writes the figures and lists as JSON

For each source, over single lowercase alphabetic headwords: headwords, senses, labelled senses (a usage
or field label; the export's labels are those left in its text), damaged texts (`corpus/damage.py`) among
definitions and etymologies, etymologies present. Then the definition the lexicon shows (`senses.pick_sense`;
the export has no labels, so it gets the rule it always had) for the 200 most frequent words of the lexicon:
how many are a sense Webster marks obsolete, rare or archaic while the word has a current one.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wordfreq import zipf_frequency  # noqa: E402

from wotd_mlx.corpus import labels as lab  # noqa: E402
from wotd_mlx.corpus.damage import damage  # noqa: E402
from wotd_mlx.corpus.gcide import GcideEntry, by_headword, load_export, load_gcide  # noqa: E402
from wotd_mlx.corpus.senses import clean_text, pick_sense  # noqa: E402

_WORD = re.compile(r"[a-z]+")
TOP = 200


def source_counts(index: dict[str, GcideEntry], webster: bool) -> dict[str, int]:
    """Headwords, senses, labelled senses, damaged definitions/etymologies, etymologies of one source."""
    c: Counter = Counter()
    for word, e in index.items():
        if not _WORD.fullmatch(word):
            continue
        c["headwords"] += 1
        for s in e.senses:
            c["etymologies"] += bool(s.etymology)
            c["damaged etymologies"] += bool(s.etymology and damage(s.etymology))
            for i, d in enumerate(s.definitions):
                c["senses"] += 1
                labelled = (s.usage[i] or s.fields[i]) if webster else lab.find_labels(d)
                c["labelled senses"] += bool(labelled)
                c["damaged definitions"] += bool(damage(d))
    return dict(c)


def _key(text: str) -> str:
    return re.sub(r"[^a-z]", "", clean_text(text).lower())[:40]


def old_where_current(word: str, shown: str, webster: GcideEntry) -> bool:
    """Whether `shown` is one of Webster's old senses of a word that has a current one."""
    senses = [(s.definitions[i], s.is_old(i)) for s in webster.senses for i in range(len(s.definitions))]
    if all(old for _, old in senses):
        return False
    key = _key(shown.split(" [")[0])
    return any(old and key and _key(d).startswith(key[:30]) for d, old in senses)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", type=Path, help="write the figures and word lists here")
    args = ap.parse_args(argv)
    export = by_headword(load_export())
    webster = by_headword(load_gcide())
    same = {w: e for w, e in export.items() if w in webster}  # the headwords both have
    out = {
        "export": source_counts(export, False),
        "export, same headwords": source_counts(same, False),
        "webster": source_counts(webster, True),
    }
    print(f"{'':24}{'export':>10}{'export*':>10}{'webster':>10}   (* the headwords the Webster data has)")
    for k in out["webster"]:
        row = [out[name].get(k, 0) for name in out]
        print(f"{k:24}" + "".join(f"{n:>10}" for n in row))
    try:
        from wotd_mlx.corpus.modern import load_glosses

        glosses = load_glosses()
    except Exception:  # noqa: BLE001 - the modern data is optional here as in the lexicon
        glosses = {}
    words = [w for w in webster if w in export and _WORD.fullmatch(w) and len(w) > 1]
    top = sorted(words, key=lambda w: (-zipf_frequency(w, "en"), w))[:TOP]
    lists = {}
    for name, index, gl in (("before", export, {}), ("after", webster, glosses)):
        lists[name] = [
            (w, d)
            for w in top
            if (d := pick_sense(index[w], index, gl.get(w, []))[1]) and old_where_current(w, d, webster[w])
        ]
        print(
            f"\n{name}: {len(lists[name])} of the {TOP} most frequent words show an old sense"
            " where a current one exists"
        )
        for w, d in lists[name]:
            print(f"  {w}: {d[:100]}")
    if args.json:
        args.json.write_text(
            json.dumps({**out, "top": lists}, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
