"""The preference benchmark (BENCHMARKS.md): simulated people with hidden tastes use today / like / dislike
for 60 days; the no-feedback anchor, Rocchio and the Thompson-sampling learner side by side.

    WOTD_HOME=<a copy of a trained home> python scripts/bench_preference.py [--reps 3] [--json]

The same as `wotd bench preference`; the home's database is only read (each learner works on a copy).
"""

from __future__ import annotations

import sys

from wotd_mlx.cli import main

if __name__ == "__main__":
    sys.exit(main(["bench", "preference", *sys.argv[1:]]))
