"""`wotd review`, `wotd fav`, `wotd list`, `wotd export`, `wotd import` and `wotd say` (hooked into
wotd_mlx/cli.py through `add_parser` and `COMMANDS`).

`wotd review` with nothing due prints why and when the next word is due and exits 0: having reviewed
everything is not a mistake. `--answer WORD CHOICE RATING` on a word that is not due is an error (exit 2)."""

from __future__ import annotations

import argparse
import functools
import sys
import textwrap
from pathlib import Path

from ..command import Command
from ..errors import WotdError
from ..store import Store
from ..taste.cli import add_profile_option


def add_parser(sub, bench, common: argparse.ArgumentParser) -> None:
    """Register this module's commands on the `wotd` parser."""
    r = sub.add_parser("review", parents=[common], help="review the words you were shown or kept (FSRS)")
    add_profile_option(r)
    r.add_argument(
        "--answer",
        nargs=3,
        metavar=("WORD", "CHOICE", "RATING"),
        help="answer WORD's item: option 1-4, again|hard|good|easy",
    )
    r.add_argument("--undo", action="store_true", help="take back the last review")
    r.add_argument("--due", action="store_true", help="only count what is due")
    r.add_argument("--known", action="store_true", help="list the words you know (Easy twice)")

    f = sub.add_parser("fav", parents=[common], help="your favourite words: add, remove, list, search, undo")
    add_profile_option(f)
    f.add_argument("action", choices=("add", "remove", "list", "search", "undo"))
    f.add_argument("word", nargs="?", metavar="WORD", help="the word (add, remove) or text (search)")

    lst = sub.add_parser(
        "list",
        parents=[common],
        help="named word lists: create, rename, add, remove, show, delete, search, undo",
    )
    add_profile_option(lst)
    lst.add_argument(
        "action", choices=("create", "rename", "add", "remove", "show", "delete", "search", "undo")
    )
    lst.add_argument(
        "args", nargs="*", metavar="ARG", help="NAME [NEW_NAME | WORD... | TEXT] (see the action)"
    )

    e = sub.add_parser(
        "export", parents=[common], help="export favourites, a list or the history to Anki or CSV"
    )
    add_profile_option(e)
    e.add_argument("format", choices=("anki", "csv"))
    which = e.add_mutually_exclusive_group(required=True)
    which.add_argument("--list", dest="list_name", metavar="NAME", help="a named list")
    which.add_argument("--favourites", action="store_true", help="the favourites")
    which.add_argument("--history", action="store_true", help="the words shown as word of the day")
    e.add_argument("--out", required=True, type=Path, metavar="FILE", help="the .apkg or .csv file to write")
    e.add_argument("--audio", action="store_true", help="anki: make missing pronunciations first")

    i = sub.add_parser("import", parents=[common], help="import a CSV list (a header with a 'word' column)")
    add_profile_option(i)
    i.add_argument("format", choices=("csv",))
    i.add_argument("file", type=Path, metavar="FILE")
    i.add_argument(
        "--list", dest="list_name", required=True, metavar="NAME", help="the list to add to (made if missing)"
    )

    s = sub.add_parser("say", parents=[common], help="pronounce a word: write (and --play) its audio file")
    add_profile_option(s)  # accepted and checked like everywhere; the audio cache is shared by profiles
    s.add_argument("word", metavar="WORD")
    s.add_argument("--play", action="store_true", help="also play it")


def _need(args: list, n: int, usage: str) -> list:
    if len(args) != n if n >= 0 else len(args) < -n:
        raise WotdError(f"usage: {usage}")
    return args


def _open(args, store: Store):
    from ..session import Wotd

    return Wotd.open(store, args.backend)


def cmd_fav(args, store: Store, home: Path) -> dict:
    from . import lists

    a, word = args.action, args.word
    if a in ("add", "remove", "search") and not word:
        raise WotdError(f"usage: wotd fav {a} {'TEXT' if a == 'search' else 'WORD'}")
    if a in ("list", "undo") and word:
        raise WotdError(f"wotd fav {a} takes no word")
    out = {
        "add": lambda: lists.add_favourite(store, args.profile, word),
        "remove": lambda: lists.remove_favourite(store, args.profile, word),
        "list": lambda: lists.favourites(store, args.profile),
        "search": lambda: lists.search(store, args.profile, word, favourites_only=True),
        "undo": lambda: lists.undo(store, args.profile, "fav"),
    }[a]()
    return {"action": a, **out}


def cmd_list(args, store: Store, home: Path) -> dict:
    from . import lists

    a, x, p = args.action, args.args, args.profile
    if a == "create":
        out = lists.create(store, p, *_need(x, 1, "wotd list create NAME"))
    elif a == "rename":
        out = lists.rename(store, p, *_need(x, 2, "wotd list rename NAME NEW_NAME"))
    elif a == "add":
        name, *words = _need(x, -2, "wotd list add NAME WORD...")
        out = lists.add(store, p, name, words)
    elif a == "remove":
        out = lists.remove(store, p, *_need(x, 2, "wotd list remove NAME WORD"))
    elif a == "delete":
        out = lists.delete(store, p, *_need(x, 1, "wotd list delete NAME"))
    elif a == "search":
        if len(x) not in (1, 2):
            raise WotdError("usage: wotd list search [NAME] TEXT")
        out = lists.search(store, p, x[-1], x[0] if len(x) == 2 else None)
    elif a == "undo":
        _need(x, 0, "wotd list undo")
        out = lists.undo(store, p, "list")
    else:  # show
        if len(x) > 1:
            raise WotdError("usage: wotd list show [NAME]")
        out = lists.show(store, p, x[0] if x else None)
    return {"action": a, **out}


def cmd_export(args, store: Store, home: Path) -> dict:
    from . import export

    source = {"list_name": args.list_name, "favourites": args.favourites, "history": args.history}
    if args.format == "csv":
        if args.audio:
            raise WotdError("--audio goes with `wotd export anki` only (CSV holds no audio)")
        return export.to_csv(store, args.profile, args.out, **source)
    return export.to_anki(store, args.profile, args.out, home, audio=args.audio, **source)


def cmd_import(args, store: Store, home: Path) -> dict:
    from . import export

    return export.import_csv(store, args.profile, args.file, args.list_name)


def cmd_say(args, store: Store, home: Path) -> dict:
    from . import speech
    from .store import check_profile, check_word

    check_profile(store, args.profile)
    out = speech.speak(home, check_word(store, args.word))
    if args.play:
        out["played_with"] = speech.play(Path(out["path"]))
    return out


def cmd_review(args, store: Store, home: Path) -> dict:
    from . import review

    flags = [
        n
        for n, on in (
            ("--answer", args.answer),
            ("--undo", args.undo),
            ("--due", args.due),
            ("--known", args.known),
        )
        if on
    ]
    if len(flags) > 1:
        raise WotdError(f"{' and '.join(flags)} do not go together")
    if args.undo:
        return review.undo(store, args.profile) | {"action": "undo"}
    if args.due:
        state = review.due(store, args.profile)
        return {
            "action": "due",
            **{k: v for k, v in state.items() if k != "words"},
            "words": state["words"][:20],
        }
    if args.known:
        return {
            "action": "known",
            "profile": args.profile or "default",
            "known": review.known_words(store, args.profile),
        }
    w = _open(args, store)
    if args.answer:
        word, choice, rating = args.answer
        if not choice.strip().isdigit():
            raise WotdError(f"CHOICE is an option's number 1-4, got {choice!r}")
        return {"action": "answer", **review.answer(w, args.profile, word, int(choice), rating)}
    nxt = {"action": "item", **review.item(w, args.profile)}
    if args.json or nxt["item"] is None:  # nothing due: say so and when, exit 0 (terminal or not)
        return nxt
    if not sys.stdin.isatty():
        raise WotdError(
            "`wotd review` asks questions in a terminal; in scripts use `wotd review --json` (the next item) "
            "and `wotd review --answer WORD CHOICE RATING`"
        )
    return _interactive(w, args.profile)


def _ask(prompt: str, allowed: set[str]) -> str | None:
    while True:
        print(prompt, end=" ", flush=True)
        line = sys.stdin.readline()
        if not line or line.strip().lower() in ("q", "quit"):
            return None
        if line.strip().lower() in allowed:
            return line.strip().lower()
        print(f"  type one of {', '.join(sorted(allowed))} (q to stop)")


def _interactive(w, profile: str | None) -> dict:
    from . import review

    done, right = 0, 0
    while True:
        nxt = review.item(w, profile)
        it = nxt["item"]
        if it is None:
            return {
                "action": "session",
                "reviewed": done,
                "correct": right,
                "message": nxt["message"],
                **{k: nxt[k] for k in ("profile", "due", "known")},
            }
        print(f"\n{it['question']}  ({it['pos']}; {nxt['due']} due)")
        for o in it["options"]:
            print(
                textwrap.fill(
                    o["definition"], 88, initial_indent=f"  {o['number']}. ", subsequent_indent="     "
                )
            )
        choice = _ask("your answer (1-4, q to stop):", {"1", "2", "3", "4"})
        if choice is None:
            break
        letters = {"a", "h", "g", "e", "1", "2", "3", "4", "again", "hard", "good", "easy"}
        verdict = "right" if choice == str(_right(w, profile, it)) else "not quite"
        print(f"  {verdict}: {it['word']} is option {_right(w, profile, it)}")
        rating = _ask("how well did you know it? again/hard/good/easy (a/h/g/e):", letters)
        if rating is None:
            break
        res = review.answer(w, profile, it["word"], int(choice), rating)
        done, right = done + 1, right + res["correct"]
        print(
            f"  {res['rating']}: next review in {res['interval_days']:.1f} days"
            + (" (known)" if res["known"] else "")
        )
    left = review.due(w.store, profile)
    return {
        "action": "session",
        "reviewed": done,
        "correct": right,
        "message": "stopped",
        "profile": left["profile"],
        "due": left["due"],
        "known": left["known"],
    }


def _right(w, profile: str | None, it: dict) -> int:
    """The right option's number of a shown item (the item hides it until the person has chosen)."""
    from . import review
    from .store import check_profile

    built = review._build(w, check_profile(w.store, profile), it["word"], review.ReviewConfig())
    return built["_words"].index(it["word"]) + 1


def _words(rows: list[dict]) -> list[str]:
    width = max((len(r["word"]) for r in rows), default=4)
    return [
        f"  {r['word']:<{width}}  {textwrap.shorten(r['definition'], 80, placeholder='...')}" for r in rows
    ]


def render(command: str, r: dict) -> str:
    """Human text for this module's commands."""
    if command == "say":
        return r["path"] + (f" (played with {r['played_with']})" if r.get("played_with") else "")
    if command == "export":
        extra = f", {r['audio']} with audio" if r["format"] == "anki" else ""
        return f"wrote {r['words']} words of the {r['source']} ({r['profile']}{extra}) to {r['path']}"
    if command == "import":
        return (
            f"imported {r['added']} new words into list {r['list']} ({r['already']} already there; "
            f"{r['words']} in all)"
        )
    if r.get("undone"):
        return f"took back: {r['undone']} (profile {r['profile']})"
    if command == "review":
        return _render_review(r)
    a = r["action"]
    if "lists" in r and a in ("show", "create"):
        head = f"list {r['list']} created; " if a == "create" else ""
        names = [f"{x['name']} ({x['words']})" for x in r["lists"]]
        return head + f"lists of {r['profile']}: " + (", ".join(names) or "none yet")
    if "words" in r and isinstance(r["words"], list):
        where = f"list {r['list']}" if r.get("list") else "favourites"
        if r.get("text"):
            where = f"matches for {r['text']!r} in " + (
                where if r.get("list") or r["favourites"] else "kept words"
            )
        return "\n".join([f"{where} of {r['profile']}: {len(r['words'])} words", *_words(r["words"])])
    if command == "fav":
        verb = ("added to" if r["added"] else "already in") if a == "add" else "removed from"
        return f"{r['word']} {verb} favourites ({r['favourites']} words)"
    if a == "rename":
        return f"list {r['renamed_from']} is now {r['list']}"
    if a == "delete":
        return f"deleted list {r['list']} ({r['words']} words; `wotd list undo` brings it back)"
    if a == "add":
        n_old = len(r["already"])
        return f"added {len(r['added'])} words to {r['list']} ({n_old} already there; {r['words']} in all)"
    return f"removed {r['word']} from {r['list']} ({r['words']} words left)"


def _render_review(r: dict) -> str:
    a = r["action"]
    if a == "due":
        nxt = f"; next due {r['next_due'][:16]}" if r["next_due"] else ""
        return f"{r['due']} due ({r['new']} new) of {r['reviewing']} words in review, {r['known']} known{nxt}"
    if a == "known":
        return f"{len(r['known'])} known: {', '.join(r['known']) or 'none yet'}"
    if a == "answer":
        mark = "right" if r["correct"] else f"not quite (it was {r['answer']})"
        return f"{r['word']}: {mark}; {r['rating']}, next review in {r['interval_days']:.1f} days" + (
            " (known)" if r["known"] else ""
        )
    if a == "item":
        if r["item"] is None:
            return r["message"]
        it = r["item"]
        lines = [f"{it['question']} ({r['due']} due)"]
        lines += [
            f"  {o['number']}. {textwrap.shorten(o['definition'], 84, placeholder='...')}"
            for o in it["options"]
        ]
        return "\n".join(lines)
    return (
        f"reviewed {r['reviewed']} ({r['correct']} right); {r['message']}; {r['due']} due, {r['known']} known"
    )


COMMANDS = {
    name: Command(run, functools.partial(render, name))
    for name, run in (
        ("review", cmd_review),
        ("fav", cmd_fav),
        ("list", cmd_list),
        ("export", cmd_export),
        ("import", cmd_import),
        ("say", cmd_say),
    )
}
BENCHES: dict[str, Command] = {}
