"""How many of the GCIDE words a person would look up the lexicon keeps.

    .venv/bin/python scripts/lexicon_coverage.py              # the lexicon the current rules build
    .venv/bin/python scripts/lexicon_coverage.py --home DIR   # the lexicon a finished `wotd train` stored

Counts: (1) wordfreq's top 30,000 lowercase alphabetic words that are GCIDE headwords, and how many the
lexicon holds; (2) every GCIDE headword with zipf >= 3 and a definition, and how many it holds; (3) words
whose era is a default (label "era guessed") and modern spellings mapped to a 1913 entry; (4) definitions
shown that are only a pointer ("See X.", "Same as X.") or one word ("Slew."), `corpus/senses.py`. Names
dropped words so they can be read by eye.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wordfreq import top_n_list, zipf_frequency  # noqa: E402

from wotd_mlx.config import CorpusConfig  # noqa: E402
from wotd_mlx.corpus.gcide import by_headword, load_gcide  # noqa: E402
from wotd_mlx.corpus.lexicon import ERA_GUESSED  # noqa: E402
from wotd_mlx.corpus.senses import REFERS, pick_sense  # noqa: E402

# A pointer shown as it is (one that was followed reads "Same as x: <its definition>").
BARE_POINTER = re.compile(rf"^{REFERS}[^:]*$")
ONE_WORD = re.compile(r"^[A-Za-z][a-z-]*\.?$")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", help="a WOTD_HOME whose last `wotd train` stored the lexicon")
    args = ap.parse_args()
    if args.home:
        from wotd_mlx.store import Store

        lexicon = Store(Path(args.home) / "wotd.db").lexicon()
    else:
        from wotd_mlx.corpus import build_lexicon

        lexicon = build_lexicon(CorpusConfig())
    words = {e.word for e in lexicon}
    gcide = by_headword(load_gcide())
    top = [w for w in top_n_list("en", 30000) if w.isalpha() and w.islower() and w in gcide]
    defined = [
        w for w, e in gcide.items()
        if w.isalpha() and w.islower() and len(w) > 1 and zipf_frequency(w, "en") >= 3
        and pick_sense(e, gcide)[1]
    ]  # fmt: skip
    report = {
        "lexicon_words": len(lexicon),
        "top30k_gcide_words": len(top),
        "top30k_kept": sum(w in words for w in top),
        "top30k_kept_fraction": round(sum(w in words for w in top) / len(top), 4),
        "zipf3_defined_gcide_words": len(defined),
        "zipf3_kept": sum(w in words for w in defined),
        "era_guessed": sum(ERA_GUESSED in e.labels for e in lexicon),
        "definitions_bare_pointer": sum(bool(BARE_POINTER.match(e.definition)) for e in lexicon),
        "definitions_one_word": sum(bool(ONE_WORD.match(e.definition)) for e in lexicon),
        "modern_spellings": sorted(w for w in words if w not in gcide),
        "top30k_dropped_sample": [w for w in top if w not in words][:40],
        "zipf3_dropped_sample": [w for w in defined if w not in words][:40],
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
