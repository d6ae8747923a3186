"""`wotd profile`, `wotd feedback --undo`, `wotd start` and `wotd bench preference` (joined into
wotd_mlx/cli.py through `add_parser`, `COMMANDS` and `BENCHES`)."""

from __future__ import annotations

import argparse
import functools
import sys
import time
from pathlib import Path

from ..argtypes import positive_int
from ..command import Command
from ..errors import WotdError
from ..store import Store


def add_profile_option(p: argparse.ArgumentParser) -> None:
    """`--profile NAME` on commands that read or write one person's ratings."""
    p.add_argument("--profile", help='whose taste: a named profile (default "default"); see `wotd profile`')


def add_parser(sub, bench, common: argparse.ArgumentParser) -> None:
    """Register `profile`, `feedback`, `start` and `bench preference`."""
    p = sub.add_parser("profile", parents=[common], help="your learned taste; create, list or reset profiles")
    add_profile_option(p)
    p.add_argument("--create", metavar="NAME", help="add a named profile")
    p.add_argument("--reset", action="store_true", help="forget every rating of the profile (asks first)")
    p.add_argument("--yes", action="store_true", help="do not ask before --reset (non-interactive use)")
    f = sub.add_parser("feedback", parents=[common], help="manage your ratings: --undo takes back the last")
    add_profile_option(f)
    f.add_argument("--undo", action="store_true", required=True, help="take back the last like or dislike")
    st = sub.add_parser(
        "start", parents=[common], help="first day: rate ~12 words that cover every kind of word"
    )
    add_profile_option(st)
    st.add_argument(
        "--rate",
        metavar="WORD=ANSWER,...",
        help="answers to the slate: word=like, word=dislike or word=skip, comma-separated (undo with "
        "`wotd feedback --undo`); without it a terminal asks y/n/s for each word",
    )
    b = bench.add_parser(
        "preference",
        parents=[common],
        help="simulated people with hidden tastes use today/like/dislike for 60 days: learners compared",
    )
    b.add_argument("--days", type=positive_int, default=60, help="days per person (default 60)")
    b.add_argument("--reps", type=positive_int, default=3, help="lives per person, other dates (default 3)")
    b.add_argument("--learners", default="none,rocchio,thompson", help="comma-separated learners to compare")
    b.add_argument(
        "--tastes",
        choices=("all", "tuning", "held-out", "text", "none"),
        default="all",
        help="which simulated people: the tuning tastes, the held-out ones, the text-defined ones (topics "
        "by definition keywords), all (default), or none (with "
        "--known: only the people who know words)",
    )
    b.add_argument(
        "--slate",
        action="store_true",
        help="each person first rates the first-day slate (`wotd start`) on day 0",
    )
    b.add_argument(
        "--known",
        action="store_true",
        help="also simulate people who already know part of the lexicon, with and without the known-words "
        "rule (known words reviewed Easy twice)",
    )


def _open(args, store: Store):
    from ..session import Wotd

    return Wotd.open(store, args.backend)


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        return False
    print(question + " [y/N] ", end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def cmd_profile(args: argparse.Namespace, store: Store, home: Path) -> dict:
    """Show a profile's learned taste; or --create a profile; or --reset one (after asking)."""
    from . import profile as prof
    from . import service

    w = _open(args, store)
    if args.create:
        if args.reset:
            raise WotdError("--create and --reset do not go together")
        return service.create_profile(w, args.create)
    if args.reset:
        name = service.check_profile(w, args.profile)
        n = len(store.feedback(name))
        if not args.yes and not _confirm(f"Forget all {n} ratings of profile {name!r}?"):
            raise WotdError(
                f"not reset: --reset forgets all {n} ratings of profile {name!r}; confirm at the prompt or "
                "add --yes"
            )
        return service.reset(w, name)
    return prof.summary(w, args.profile)


def cmd_feedback(args: argparse.Namespace, store: Store, home: Path) -> dict:
    from . import service

    return service.undo(_open(args, store), args.profile)


def cmd_start(args: argparse.Namespace, store: Store, home: Path) -> dict:
    """Show the first-day slate, or rate it (--rate, or y/n/s at a terminal)."""
    from . import slate

    w = _open(args, store)
    if args.rate:
        return slate.rate(w, args.profile, slate.parse_answers(args.rate))
    shown = slate.slate(w, args.profile)
    if getattr(args, "json", False) or not sys.stdin.isatty():
        return shown
    answers: dict[str, int] = {}
    for item in shown["words"]:
        print(f"{item['word']}: {item['definition']}  like? [y/n/s] ", end="", file=sys.stderr, flush=True)
        got = sys.stdin.readline().strip().lower() or "s"
        if got not in ("y", "n", "s"):
            raise WotdError(f"answer y (like), n (dislike) or s (skip), not {got!r}; nothing more recorded")
        answers[item["word"]] = slate.ANSWERS[got]
        slate.rate(w, shown["profile"], {item["word"]: answers[item["word"]]})
    return {"profile": shown["profile"], "rated": [{"word": k, "feedback": v} for k, v in answers.items()]}


def cmd_bench_preference(args: argparse.Namespace, store: Store, home: Path) -> dict:
    from ..progress import Bars
    from .bench import PEOPLE, BenchConfig, run_bench
    from .learner import LEARNERS

    learners = tuple(x.strip() for x in args.learners.split(",") if x.strip())
    bad = [x for x in learners if x not in LEARNERS]
    if bad or not learners:
        given = ", ".join(bad) or "(none given)"
        raise WotdError(f"unknown learner(s) {given}; allowed: {', '.join(LEARNERS)}")
    if args.tastes == "none" and not args.known:
        raise WotdError("--tastes none leaves nothing to run: add --known, or choose all, tuning or held-out")
    with Bars() as progress:
        people = tuple(p for p in PEOPLE if args.tastes in ("all", p.group))
        cfg = BenchConfig(days=args.days, reps=args.reps, learners=learners, people=people, slate=args.slate)
        w = _open(args, store)
        out = run_bench(w, cfg, progress) if people else {}
        if args.known:
            from .bench_known import run_known

            t0 = time.perf_counter()
            out["known"] = {"rows": run_known(w, cfg, progress=progress)}
            out["known"]["seconds"] = round(time.perf_counter() - t0, 1)
    return {"benchmark": "preference", **out}


def render(command: str, r) -> str:
    """Human text for `start`, `feedback` and `profile`."""
    from . import profile as prof

    if command == "start":
        if "rated" in r:
            said = ", ".join(f"{x['word']} {x['feedback']}" for x in r["rated"])
            return f"profile {r['profile']}: {said} (take one back with `wotd feedback --undo`)"
        lines = [f"{x['word']}: {x['definition']}" for x in r["words"]]
        return "\n".join(
            [f"Rate these to start profile {r['profile']} (`wotd start --rate word=like,word2=dislike`):"]
            + lines
        )
    if command == "feedback":
        return (
            f"took back your {r['undone']['feedback']} of {r['undone']['word']} (profile {r['profile']}; "
            f"{r['n_feedback']} ratings left)"
        )
    if command == "profile":
        if "forgotten" in r:
            return f"profile {r['profile']}: forgot {r['forgotten']} ratings"
        if "created" in r:
            state = "created" if r["created"] else "already exists"
            return f"profile {r['profile']} {state}; profiles: {', '.join(r['profiles'])}"
    return prof.render(r)


COLUMNS = (
    ("learner", "learner"),
    ("group", "group"),
    ("person", "taste"),
    ("lives", "lives"),
    ("base_rate", "base"),
    ("like_1_10", "1-10"),
    ("like_11_30", "11-30"),
    ("like_31_60", "31-60"),
    ("like_11_60", "11-60"),
    ("ci95_11_60", "95% interval"),
    ("lift_11_60", "lift"),
    ("days_to_1st_like", "1st like"),
    ("days_to_5th_like", "5th like"),
    ("minority_mode_share", "2nd mode"),
    ("distinct_ids_last_30", "IDs/30"),
    ("regret", "regret"),
    ("pick_ms_mean", "ms/pick"),
)


def render_bench(r: dict) -> str:
    """The benchmark's markdown tables: the tastes (when run), then the people who know words (--known)."""
    parts = [render_tastes(r)] if "rows" in r else []
    if "known" in r:
        from .bench_known import render_known

        parts.append(
            "People who know part of the lexicon, without -> with the known-words rule "
            f"({r['known']['seconds']} s):\n\n" + render_known(r["known"]["rows"])
        )
    return "\n\n".join(parts)


def render_tastes(r: dict) -> str:
    """The tastes' markdown table and per-learner summary."""
    lines = [
        "| " + " | ".join(h for _, h in COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    for row in sorted(r["rows"], key=lambda x: (x["group"] != "tuning", x["person"], x["learner"])):
        cells = ["-" if row[k] is None else str(row[k]) for k, _ in COLUMNS]
        cells[COLUMNS.index(("ci95_11_60", "95% interval"))] = "{}-{}".format(*row["ci95_11_60"])
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "| learner (tastes) | like 11-60 | lift | beats Rocchio | below base (95% sure) | ms/pick "
        "| peak MB/pick |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, s in r["summary"].items():
        lines.append(
            f"| {name} | {s['mean_like_11_60']} | {s['mean_lift_11_60']}x | {s['beats_rocchio_11_60']}"
            f"/{s['tastes']} | {s['below_base_11_60']} ({s['surely_below_base_11_60']}) | "
            f"{s['pick_ms_mean']} | {s['pick_peak_mb']} |"
        )
    lines.append(
        f"\n{r['candidates']} candidates of {r['lexicon_words']} words; features {r['feature_space_mb']} MB; "
        f"{r['config']['reps']} lives x {r['config']['days']} days per taste (noisy tastes x3)"
        f"{', each first rating the 12-word slate' if r['config'].get('slate') else ''}; "
        f"{r['seconds']} s"
    )
    return "\n".join(lines)


COMMANDS = {
    name: Command(run, functools.partial(render, name))
    for name, run in (("profile", cmd_profile), ("feedback", cmd_feedback), ("start", cmd_start))
}
BENCHES = {"preference": Command(cmd_bench_preference, render_bench)}
