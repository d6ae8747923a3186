"""The `wotd` command line. Every command takes `--json` (one JSON document on stdout, nothing else);
bad input prints one line on stderr and exits with code 2, leaving the database as it was."""

from __future__ import annotations

import argparse
import functools
import json
import os
import sqlite3
import sys
import warnings
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from .argtypes import OneLineParser, count, positive_int
from .command import Command
from .config import TrainConfig, wotd_home
from .corpus import cli as corpus_cli
from .embed import cli as embed_cli
from .errors import WotdError, one_line, storage_problem
from .keep import cli as keep_cli
from .progress import Bars
from .quant import cli as quant_cli
from .render import render
from .search import cli as search_cli
from .store import Store
from .taste import cli as taste_cli

# The command modules: each has add_parser(sub, bench, common), COMMANDS and BENCHES (`wotd bench NAME`).
PARTS = (corpus_cli, embed_cli, keep_cli, quant_cli, search_cli, taste_cli)

EXIT_USAGE = 2


def _levels(text: str) -> tuple[int, ...]:
    try:
        levels = tuple(int(x) for x in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated integers like 8,8,8,5, got {text!r}"
        ) from None
    if len(levels) != 4 or any(not 2 <= x <= 64 for x in levels):
        raise argparse.ArgumentTypeError(f"expected 4 levels, each 2..64, like 8,8,8,5, got {text!r}")
    return levels


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    common.add_argument(
        "--backend",
        choices=["auto", "mlx", "torch"],
        default=None,
        help="array backend (default: $WOTD_BACKEND, else MLX on Apple Silicon, torch elsewhere)",
    )
    p = OneLineParser(prog="wotd", description="A local Word of the Day that learns what you like.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    t = sub.add_parser("train", parents=[common], help="build corpus, embeddings, semantic encoder, index")
    t.add_argument("--quick", action="store_true", help="a small lexicon and fewer epochs (about a minute)")
    t.add_argument("--embedder", help="default, a local model directory, or a hub repo id")
    t.add_argument("--levels", type=_levels, help="semantic ID levels (style,complexity,era,variation)")
    t.add_argument("--max-words", type=positive_int, help="cap the lexicon size")
    t.add_argument("--epochs", type=positive_int, help="semantic encoder epochs")
    t.add_argument("--text-format", choices=["word", "word_definition"], help="what text stands for a word")
    t.add_argument(
        "--finetune-pairs",
        type=count,
        help="fine-tune the default embedder for search on N pairs (default 2048, about 4 min; 0: do not)",
    )
    t.add_argument(
        "--corpus",
        choices=["lexicon", "synthetic"],
        help="what the LM learns: every lexicon entry (default) or the synthetic corpus",
    )
    t.add_argument(
        "--with-lm",
        action="store_true",
        help="also fine-tune the LM with LoRA (15-20 min on 2 cores; the default retrieval does not need it)",
    )
    t.add_argument("--lm", help="the LM to fine-tune (implies --with-lm): default, a directory, a hub id")
    t.add_argument("--lm-iters", type=positive_int, help="LoRA training steps (implies --with-lm)")
    t.add_argument(
        "--resume", action="store_true", help="go on with the newest interrupted run, with its own settings"
    )

    e = sub.add_parser("encode", parents=[common], help="semantic IDs of lexicon words, or of free text")
    e.add_argument("words", nargs="*", metavar="WORD")
    e.add_argument("--text", help='free text to encode instead, e.g. "a stormy sea" (with its nearest words)')
    for name, helptext in (
        ("decode", "words nearest an ID's codebook vector"),
        ("generate", "words for a semantic ID"),
    ):
        d = sub.add_parser(name, parents=[common], help=helptext)
        d.add_argument("semantic_id", metavar="S,C,E,V")
        d.add_argument("-n", type=int, default=10, help="how many words (1-100)")
    d.add_argument(
        "--method",
        choices=["lm", "retrieval"],
        help="retrieval from the lexicon (default: it measures better, BENCHMARKS.md) or the fine-tuned LM",
    )
    d.add_argument("--temperature", type=float, default=0.0, help="LM sampling temperature (0: greedy)")
    m = sub.add_parser("models", help="prepare the default LM")
    m_sub = m.add_subparsers(dest="models_command", required=True, metavar="ACTION")
    mp = m_sub.add_parser("prepare", parents=[common], help="convert the packaged Gemma-3-270M once (~1 min)")
    mp.add_argument("--force", action="store_true", help="convert again even if already prepared")
    s = sub.add_parser("search", parents=[common], help="search the lexicon by meaning")
    s.add_argument("text", metavar="TEXT")
    s.add_argument("-k", type=int, default=10, help="how many words (1-100)")
    d = sub.add_parser("today", parents=[common], help="the word of the day")
    d.add_argument("--date", help="YYYY-MM-DD (default: today)")
    taste_cli.add_profile_option(d)
    for name in ("like", "dislike", "skip"):
        f = sub.add_parser(name, parents=[common], help=f"{name} a word; moves your preference")
        f.add_argument("word", metavar="WORD")
        taste_cli.add_profile_option(f)
    sub.add_parser("info", parents=[common], help="backend, models, database, last run")
    sh = sub.add_parser("show", parents=[common], help="a word's whole entry: senses, IPA, glosses, ID")
    sh.add_argument("word", metavar="WORD")
    b = sub.add_parser("bench", help="benchmarks: " + ", ".join(f"`wotd bench {x}`" for x in sorted(BENCHES)))
    bench = b.add_subparsers(dest="bench", required=True, metavar="BENCH")
    for part in PARTS:
        part.add_parser(sub, bench, common)
    return p


# train flag -> (config section, field) it overrides
_OVERRIDES = {
    "embedder": ("embed", "model"),
    "text_format": ("embed", "text_format"),
    "finetune_pairs": ("embed", "finetune_pairs"),
    "levels": ("encoder", "levels"),
    "epochs": ("encoder", "epochs"),
    "max_words": ("corpus", "max_words"),
    "corpus": ("corpus", "source"),
    "lm": ("lm", "model"),
    "lm_iters": ("lm", "iters"),
}


def _train_config(args: argparse.Namespace) -> TrainConfig:
    given = [f"--{flag.replace('_', '-')}" for flag in _OVERRIDES if getattr(args, flag) is not None]
    given += [flag for flag, on in (("--quick", args.quick), ("--with-lm", args.with_lm)) if on]
    if args.resume and given:
        raise WotdError(f"--resume goes on with the interrupted run's own settings; drop {', '.join(given)}")
    cfg = TrainConfig.quick() if args.quick else TrainConfig()
    cfg.backend = args.backend
    for flag, (section, name) in _OVERRIDES.items():
        value = getattr(args, flag)
        if value is not None:
            setattr(cfg, section, replace(getattr(cfg, section), **{name: value}))
    if args.with_lm or args.lm is not None or args.lm_iters is not None:
        cfg.lm = replace(cfg.lm, enabled=True)
    return cfg


def cmd_train(args: argparse.Namespace, store: Store, home: Path) -> dict:
    from .pipeline import train

    with Bars(unit="") as bars:
        run = train(
            _train_config(args),
            store,
            home / "runs",
            progress=bars,
            on_lm_report=bars.lm_report,
            resume=args.resume,
        )
    return {
        "run_id": run.id,
        "status": run.status,
        "backend": run.backend,
        "embedder": run.embedder,
        "path": run.path,
        "metrics": run.metrics,
        "timings": run.timings,
    }


def _open(args: argparse.Namespace, store: Store):
    from .session import Wotd

    return Wotd.open(store, args.backend)


def cmd_encode(args, store, home):
    if (args.text is None) == (not args.words):
        raise WotdError('give lexicon words or --text "free text", not both and not neither')
    w = _open(args, store)
    return w.encode_text(args.text) if args.text is not None else w.encode(args.words)


def cmd_decode(args, store, home):
    w = _open(args, store)
    return w.decode(w.parse_id(args.semantic_id), args.n)


def cmd_generate(args, store, home):
    w = _open(args, store)
    return w.generate(w.parse_id(args.semantic_id), args.n, args.method, args.temperature)


def cmd_models(args, store, home):
    from .lm.models import prepare_default_lm

    path = prepare_default_lm(home, force=args.force, progress=lambda msg: print(msg, file=sys.stderr))
    return {"model": "gemma-3-270m", "path": str(path)}


def cmd_search(args, store, home):
    return _open(args, store).search(args.text, args.k)


def cmd_today(args, store, home):
    return _open(args, store).today(args.date, args.profile)


def cmd_like(args, store, home):
    return _open(args, store).feedback(args.word, +1, args.profile)


def cmd_dislike(args, store, home):
    return _open(args, store).feedback(args.word, -1, args.profile)


def cmd_skip(args, store, home):
    return _open(args, store).feedback(args.word, 0, args.profile)  # "not today": a weak dislike


def cmd_show(args, store, home):
    from .show import show

    return show(store, args.word)


def cmd_info(args, store, home):
    from .session import describe

    return describe(store, args.backend) | {"home": str(home)}


_OWN = (
    cmd_train,
    cmd_encode,
    cmd_decode,
    cmd_generate,
    cmd_search,
    cmd_today,
    cmd_like,
    cmd_dislike,
    cmd_skip,
    cmd_info,
    cmd_show,
    cmd_models,
)
# This module's commands (their text from render.py), then every command module's.
COMMANDS: dict[str, Command] = {
    **{(name := c.__name__.removeprefix("cmd_")): Command(c, functools.partial(render, name)) for c in _OWN},
    **{name: cmd for part in PARTS for name, cmd in part.COMMANDS.items()},
}
BENCHES: dict[str, Command] = {name: b for part in PARTS for name, b in part.BENCHES.items()}


def _quiet_libraries() -> None:
    """The CLI prints its own output only: no library warnings, advisories or weight-loading bars (set
    before transformers and huggingface-hub are imported, which read these at import)."""
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=UserWarning, module=r"(transformers|torch|peft|mlx_lm)\b")


def main(argv: Sequence[str] | None = None) -> int:
    _quiet_libraries()
    args = build_parser().parse_args(argv)
    home = wotd_home()
    try:
        command = BENCHES[args.bench] if args.command == "bench" else COMMANDS[args.command]
        with Store(home / "wotd.db") as store:
            result = command.run(args, store, home)
    except WotdError as exc:
        print(f"wotd: error: {one_line(exc, limit=2000)}", file=sys.stderr)
        return EXIT_USAGE
    except (sqlite3.Error, OSError) as exc:  # a damaged, read-only, full or busy home: say what to do
        problem = storage_problem(exc, home)
        if problem is None:
            raise
        print(f"wotd: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(
            "wotd: interrupted; nothing was half-written (run the command again to restart)", file=sys.stderr
        )
        return 130
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(command.render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
