"""Build the lexicon's Webster data file from Debian's dict-gcide (the whole GCIDE in dictd format).

    .venv/bin/python scripts/build_webster.py --dictd /path/to/usr/share/dictd
    .venv/bin/python scripts/build_webster.py      # downloads dict-gcide with apt-get (Debian/Ubuntu)

Writes wotd_mlx/corpus/data/webster.jsonl.xz (single lowercase alphabetic headwords that wordfreq knows,
or that their senses point to ("Same as X"), their homograph
blocks, parts of speech, etymologies in UTF-8 and numbered senses with labels, quotations and source
tag; see corpus/webster_data.py), GCIDE-COPYING (GCIDE's licence, GPL-2+, from the package) and README.
The same dict-gcide gives the same bytes. Where there is no apt (macOS, Windows), fetch the .deb from
https://packages.debian.org/dict-gcide on any machine, unpack it (`dpkg-deb -x` or `ar x` then
`tar xf data.tar.xz`) and pass its usr/share/dictd with --dictd.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wordfreq import zipf_frequency  # noqa: E402

from wotd_mlx.corpus.senses import pointer_target  # noqa: E402
from wotd_mlx.corpus.webster import headword_key  # noqa: E402
from wotd_mlx.corpus.webster_data import DATA_FILE, iter_dictd, lexicon_rows, write_data  # noqa: E402
from wotd_mlx.errors import WotdError  # noqa: E402

README = """webster.jsonl.xz: Webster's Revised Unabridged Dictionary (1913) with the later GCIDE and
WordNet 1.5 additions, as kept by GCIDE (the GNU Collaborative International Dictionary of English), read from
Debian's dict-gcide package (version {version}). One JSON line per single lowercase alphabetic headword:
[headword, [[pos, etymology, [[number, text, fields, usage labels, [[quote, author], ...], source], ...]],
...]] with GCIDE's character codes and Greek in UTF-8 (see wotd_mlx/corpus/webster.py and gcide_text.py).
{words} headwords (those wordfreq {wordfreq} knows, and the words their senses point to), {blocks}
homograph blocks, {senses} senses.

Licence: GCIDE is GPL-2 or later; GCIDE-COPYING beside this file is the package's copyright file, followed
by the GPL-2 text.

Rebuild (same input, same bytes):
    .venv/bin/python scripts/build_webster.py --dictd DIR   # DIR: dict-gcide's usr/share/dictd
    .venv/bin/python scripts/build_webster.py               # Debian/Ubuntu: apt-get download dict-gcide
"""


def fetch_dict_gcide(tmp: Path) -> Path:
    """Download and unpack dict-gcide into tmp with apt-get and dpkg-deb; its usr/share root."""
    if not shutil.which("apt-get") or not shutil.which("dpkg-deb"):
        raise WotdError(
            "no apt-get/dpkg-deb here: download dict-gcide_*.deb from "
            "https://packages.debian.org/dict-gcide, unpack it (dpkg-deb -x, or `ar x` then "
            "`tar xf data.tar.xz`) and pass --dictd DIR/usr/share/dictd"
        )
    subprocess.run(["apt-get", "download", "dict-gcide"], cwd=tmp, check=True)
    deb = next(tmp.glob("dict-gcide_*.deb"))
    subprocess.run(["dpkg-deb", "-x", str(deb), str(tmp / "root")], check=True)
    return tmp / "root" / "usr" / "share"


def keep_words(blocks) -> set[str]:
    """Headwords worth shipping: those wordfreq has seen, and the words their senses point to."""
    known = {k for b in blocks for h in b.headwords if zipf_frequency(k := headword_key(h), "en") > 0}
    targets = set()
    for b in blocks:
        if any(headword_key(h) in known for h in b.headwords):
            targets.update(t for s in b.senses if (t := pointer_target(s.text)))
    return known | targets


def licence_text(share: Path) -> str:
    """The package's copyright file, then the GPL-2 it points to when this system has it."""
    text = (share / "doc" / "dict-gcide" / "copyright").read_text(encoding="utf-8")
    gpl = Path("/usr/share/common-licenses/GPL-2")
    if gpl.is_file():
        text += "\n\n" + "=" * 72 + "\n" + gpl.read_text(encoding="utf-8")
    return text


def package_version(share: Path) -> str:
    log = share / "doc" / "dict-gcide" / "changelog.Debian.gz"
    try:
        with gzip.open(log, "rt", encoding="utf-8") as f:
            return f.readline().split("(", 1)[1].split(")", 1)[0]
    except (OSError, IndexError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dictd", type=Path, help="dict-gcide's usr/share/dictd (default: apt-get download it)")
    ap.add_argument("--out", type=Path, default=DATA_FILE, help=f"data file to write (default {DATA_FILE})")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            dictd = args.dictd or fetch_dict_gcide(Path(tmp)) / "dictd"
            share = dictd.resolve().parent
            blocks_all = list(iter_dictd(dictd))
            rows = lexicon_rows(blocks_all, keep_words(blocks_all).__contains__)
            write_data(rows, args.out)
            blocks = sum(len(b) for _, b in rows)
            senses = sum(len(b[2]) for _, bs in rows for b in bs)
            (args.out.parent / "GCIDE-COPYING").write_text(licence_text(share), encoding="utf-8")
            readme = README.format(
                version=package_version(share),
                wordfreq=metadata.version("wordfreq"),
                words=len(rows),
                blocks=blocks,
                senses=senses,
            )
            (args.out.parent / "README").write_text(readme, encoding="utf-8")
    except (WotdError, subprocess.CalledProcessError, StopIteration, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    size = args.out.stat().st_size
    print(
        f"{args.out}: {len(rows)} headwords, {blocks} blocks, {senses} senses, {size / 1e6:.1f} MB, "
        f"{time.perf_counter() - t0:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
