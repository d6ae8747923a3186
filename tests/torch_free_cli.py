"""`python tests/torch_free_cli.py ARGV...`: `wotd ARGV` in a fresh process, then a check that the process
never imported torch, sentence-transformers or peft. Exits with wotd's code, or 3 (naming them on stderr)."""

from __future__ import annotations

import sys

from backends import TORCH_MODULES

from wotd_mlx.cli import main

if __name__ == "__main__":
    code = main(sys.argv[1:])
    if loaded := [name for name in TORCH_MODULES if name in sys.modules]:
        print(f"torch-free check: this process imported {', '.join(loaded)}", file=sys.stderr)
        sys.exit(3)
    sys.exit(code)
