"""Draw the held-out label set (tests/data/label_heldout.tsv): a seeded sample of the default lexicon for
hand labelling, printed with the sense the lexicon means and never with the rules' labels.

    .venv/bin/python scripts/sample_heldout.py                      # seed 23, 12 per level, 30 common
    .venv/bin/python scripts/sample_heldout.py --words-only         # the words alone, one a line

n_per_level words per level of each axis (style, era, complexity; 8 levels each) of the rules, then
n_common words of wordfreq's top 30,000 that the lexicon holds, leaving out every word that is already
labelled (the audit set, both dev lists, the style training list). The words are printed in alphabetical
order, so that a word's place in the list does not tell the labeller which level of the rules drew it.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wotd_mlx.config import CorpusConfig  # noqa: E402

LABELLED = (
    ROOT / "tests" / "data" / "label_audit.tsv",
    ROOT / "scripts" / "data" / "label_dev.tsv",
    ROOT / "scripts" / "data" / "label_dev2.tsv",
    ROOT / "wotd_mlx" / "corpus" / "style_train.tsv",
)
AXES = ("style", "era", "complexity")


@dataclass
class HeldoutConfig:
    """How the held-out sample is drawn; the defaults drew tests/data/label_heldout.tsv."""

    seed: int = 23
    n_per_level: int = 12
    n_common: int = 30
    common_pool: int = 30000  # wordfreq's top list that the common words come from


def labelled_words(paths: tuple[Path, ...] = LABELLED) -> set[str]:
    """Every word (first column) of the hand-labelled lists, which the held-out sample must not repeat."""
    words = set()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                words.add(line.split("\t")[0])
    words.discard("word")  # the header row
    return words


def draw(entries: list, cfg: HeldoutConfig, exclude: set[str]) -> list:
    """The seeded stratified sample of lexicon entries, in the order drawn (axis by axis, then common)."""
    from wordfreq import top_n_list

    rng = random.Random(cfg.seed)
    lex = sorted(entries, key=lambda e: e.word)
    taken: dict[str, None] = {}
    for axis in AXES:
        for level in range(8):
            skip = exclude | taken.keys()
            pool = [e.word for e in lex if getattr(e, axis) == level and e.word not in skip]
            taken.update(dict.fromkeys(rng.sample(pool, min(cfg.n_per_level, len(pool)))))
    held = {e.word for e in lex}
    skip = exclude | taken.keys()
    common = [w for w in top_n_list("en", cfg.common_pool) if w in held and w not in skip]
    taken.update(dict.fromkeys(rng.sample(common, min(cfg.n_common, len(common)))))
    by_word = {e.word: e for e in lex}
    return [by_word[w] for w in taken]


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def source_commit() -> str:
    """HEAD and whether the lexicon's source (wotd_mlx/) differs from it: the sample reproduces only there."""
    dirty = _git("status", "--porcelain", "--", "wotd_mlx")
    return _git("rev-parse", "--short", "HEAD") + (" (wotd_mlx/ has uncommitted changes)" if dirty else "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    d = HeldoutConfig()
    ap.add_argument("--seed", type=int, default=d.seed)
    ap.add_argument("--per-level", type=int, default=d.n_per_level, help="words per level of each axis")
    ap.add_argument("--common", type=int, default=d.n_common, help="common words (wordfreq's top list) added")
    ap.add_argument("--words-only", action="store_true", help="print the words alone, without definitions")
    args = ap.parse_args()
    cfg = HeldoutConfig(seed=args.seed, n_per_level=args.per_level, n_common=args.common)

    from wotd_mlx.corpus import build_lexicon

    entries = draw(build_lexicon(CorpusConfig()), cfg, labelled_words())
    print(f"# {len(entries)} words, seed {cfg.seed}, lexicon of {source_commit()}", file=sys.stderr)
    for e in sorted(entries, key=lambda e: e.word):  # never e.style/e.era/e.complexity: the set is held out
        print(e.word if args.words_only else f"{e.word}\t{e.pos}\t{e.definition}")


if __name__ == "__main__":
    main()
