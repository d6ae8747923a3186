"""How library results look in the app: tables, cards and error handling. Display only, no logic."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import html
import inspect
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import gradio as gr
import pandas as pd

from wotd_mlx.errors import WotdError, storage_problem
from wotd_mlx.semantic.ids import format_id

log = logging.getLogger("wotd.app")

AXES = ("style", "complexity", "era", "variation")


def _bug(fn: Callable, exc: Exception) -> gr.Error:
    # The traceback goes to the terminal for whoever debugs it; the page gets one readable line.
    log.error("bug in %s", fn.__name__, exc_info=exc)
    return gr.Error(
        f"Something went wrong ({type(exc).__name__}); the details are in the app's terminal.",
        print_exception=False,
    )


@contextlib.contextmanager
def _shown_in_page(fn: Callable, home: Path):
    """A WotdError becomes its message in the page, a storage failure under `home` (full disk, read-only
    folder, damaged database) what to do about it, and any other exception a one-line bug report."""
    try:
        yield
    except WotdError as exc:
        raise gr.Error(str(exc), print_exception=False) from None
    except gr.Error:
        raise
    except Exception as exc:
        if (problem := storage_problem(exc, home)) is not None:
            log.warning("storage problem in %s: %s", fn.__name__, problem)
            raise gr.Error(problem[0].upper() + problem[1:], print_exception=False) from None
        raise _bug(fn, exc) from None


def friendly(home: Path) -> Callable[[Callable], Callable]:
    """Wrap an event handler of the app on `home` so that a WotdError or a storage failure shows a readable
    message and a bug shows no traceback."""

    def wrap(fn: Callable) -> Callable:
        if inspect.isgeneratorfunction(fn):

            @functools.wraps(fn)
            def gen_wrapper(*args, **kwargs):
                with _shown_in_page(fn, home):
                    yield from fn(*args, **kwargs)

            return gen_wrapper

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with _shown_in_page(fn, home):
                return fn(*args, **kwargs)

        return wrapper

    return wrap


def id_names(sid: Sequence[int] | None, axes: dict[str, list[str]]) -> str:
    """An ID as its level names, e.g. "everyday / 2 · common / Old English / v3"."""
    if sid is None:
        return "-"
    return " / ".join(axes[a][int(v)] for a, v in zip(AXES, sid, strict=False))


def id_label(sid: Sequence[int] | None, axes: dict[str, list[str]]) -> str:
    return "-" if sid is None else f"{format_id(sid)} ({id_names(sid, axes)})"


def fit(wanted: Sequence[int], got: Sequence[int]) -> str:
    """How a word's own ID compares with the one asked for."""
    same = [a for a, w, g in zip(AXES, wanted, got, strict=False) if int(w) == int(g)]
    if len(same) == len(wanted):
        return "exact"
    if same[:3] == list(AXES[:3]):
        return "same style, complexity, era"
    missing = [a for a in AXES[: len(wanted)] if a not in same]
    return "differs in " + ", ".join(missing)


def words_table(
    rows: list[dict], axes: dict[str, list[str]], wanted: Sequence[int] | None = None
) -> pd.DataFrame:
    """Words with their definitions and each word's own semantic ID (and how it fits the one asked for)."""
    lm = any("dictionary_definition" in r for r in rows)
    out = []
    for r in rows:
        row = {"word": r["word"]}
        if "score" in r:
            row["score"] = r["score"]
        row["definition"] = r["definition"]
        if lm:
            row["dictionary definition"] = r.get("dictionary_definition", "")
        row["semantic ID"] = format_id(r["semantic_id"])
        row["style / complexity / era / variation"] = id_names(r["semantic_id"], axes)
        if wanted is not None:
            row["fits the ID?"] = fit(wanted, r["semantic_id"])
        out.append(row)
    return pd.DataFrame(out)


def today_card(day: dict, axes: dict[str, list[str]]) -> str:
    """Today's word as a Markdown card: word, IPA, part of speech, the sense and its modern gloss, an
    example, the etymology and the semantic ID (the tab adds why it was chosen)."""
    ipa = f" <code>{html.escape(day['ipa'])}</code>" if day.get("ipa") else ""
    lines = [
        f"## {html.escape(day['word'])}{ipa} "
        f"<small>({html.escape(day['pos'] or '?')}) · {day['date']}</small>",
        "",
        f"**Definition.** {html.escape(day['definition'])}",
    ]
    if day.get("modern_gloss"):
        lines += ["", f"**In today's words.** {html.escape(day['modern_gloss'])}"]
    lines += [
        "",
        f"**Example.** {html.escape(day['example'] or 'none in the dictionary')}",
        "",
        f"**Etymology.** {html.escape(day['etymology'] or 'not recorded')}",
        "",
        f"**Semantic ID.** `{format_id(day['semantic_id'])}` ({id_names(day['semantic_id'], axes)})",
    ]
    if day["from_preference"]:
        lines += ["", "_Chosen among the words nearest your likes._"]
    return "\n".join(lines)


def entry_page(r: dict) -> str:
    """A word's whole entry (`wotd show`'s result) as Markdown: the shown sense and modern glosses, IPA,
    etymology, semantic ID, then every Webster sense with its number, labels and examples, old ones marked."""
    e = html.escape
    ipa = f" <code>{e(r['ipa'])}</code>" if r.get("ipa") else ""
    lines = [
        f"## {e(r['word'])}{ipa} <small>({e(r['pos'] or '?')})</small>",
        "",
        f"**Shown sense.** {e(r['definition'])}",
    ]
    if r["modern_glosses"]:
        lines += ["", "**In today's words.** " + "; ".join(e(g) for g in r["modern_glosses"])]
    if r["example"]:
        lines += ["", f"**Example.** {e(r['example'])}"]
    lines += ["", f"**Etymology.** {e(r['etymology'] or 'not recorded')}"]
    run = r.get("run")
    if run and run["semantic_id"] is not None:
        names = " / ".join(run["names"][a] for a in ("style", "complexity", "era") if a in run["names"])
        lines += ["", f"**Semantic ID.** `{format_id(run['semantic_id'])}` ({e(names)})"]
    if r.get("note"):
        lines += ["", f"_{e(r['note'])}_"]
    if r["webster"]:
        filed = r["webster_headword"]
        lines += ["", "### Webster 1913" + (f" (filed under {e(filed)})" if filed != r["word"] else "")]
    for block in r["webster"]:
        ety = f" [{e(block['etymology'])}]" if block["etymology"] else ""
        lines += ["", f"*{e(block['pos'] or '-')}*{ety}", ""]
        for sense in block["senses"]:
            marks = f" <small>[{e(', '.join(sense['labels']))}]</small>" if sense["labels"] else ""
            old = "† " if sense["old"] else ""
            lines.append(f"{sense['number']}. {old}{e(sense['text'])}{marks}")
            lines += [f"   > {e(x)}" for x in sense["examples"]]
    if any(s["old"] for b in r["webster"] for s in b["senses"]):
        lines += ["", "<small>† obsolete or archaic by 1913</small>"]
    return "\n".join(lines)


RATING = {1: "like", -1: "dislike", 0: "skip"}  # stored feedback value -> its name


def preference_move(fb: dict, axes: dict[str, list[str]]) -> str:
    """How a like or dislike moved the preference's semantic ID, axis by axis."""
    before, after, n = fb["previous_semantic_id"], fb["preference_semantic_id"], fb["n_feedback"]
    did = "skipped" if fb["feedback"] == "skip" else fb["feedback"] + "d"
    head = (
        f"You {did} **{html.escape(fb['word'])}** ({n} rating{'s' if n != 1 else ''} so far). "
        f"Your preference's semantic ID: `{format_id(before) if before else 'none'}` → "
        f"`{format_id(after) if after else 'none'}`."
    )
    if after is None:
        return head + "\n\nLikes and dislikes cancel out, so there is no preference direction yet."
    rows = ["| axis | before | now |", "|---|---|---|"]
    for i, axis in enumerate(AXES[: len(after)]):
        old = axes[axis][before[i]] if before else "-"
        new = axes[axis][after[i]]
        mark = "" if old == new else " ←"
        rows.append(f"| {axis} | {old} | **{new}**{mark} |")
    return head + "\n\n" + "\n".join(rows)


def history_table(history: list[dict], feedback: list[dict]) -> pd.DataFrame:
    """Past words of the day, newest first, with the latest rating each got."""
    latest = {f["word"]: RATING.get(f["value"], "dislike") for f in feedback}
    rows = [{"date": h["date"], "word": h["word"], "your rating": latest.get(h["word"], "")} for h in history]
    return pd.DataFrame(rows[::-1], columns=["date", "word", "your rating"])


def feedback_table(feedback: list[dict]) -> pd.DataFrame:
    rows = [
        {
            "when": dt.datetime.fromtimestamp(f["created"]).strftime("%Y-%m-%d %H:%M"),
            "word": f["word"],
            "rating": RATING.get(f["value"], "dislike"),
        }
        for f in feedback
    ]
    return pd.DataFrame(rows[::-1], columns=["when", "word", "rating"])


def run_summary(run, title: str = "Run") -> str:
    """A finished run's metrics, timings and peak memory as Markdown."""
    m, t = run.metrics or {}, run.timings or {}
    enc = m.get("encoder") or {}
    held = enc.get("holdout") or {}
    when = dt.datetime.fromtimestamp(run.finished).strftime("%Y-%m-%d %H:%M") if run.finished else "-"
    lines = [
        f"### {title} {run.id}: {run.status}",
        f"Backend **{run.backend}**, embedder `{run.embedder}`"
        + (f", search with `{Path(m['search_embedder']).name}`" if m.get("search_embedder") else "")
        + f", finished {when}.",
        "",
        f"- Lexicon: **{m.get('lexicon_words', '?')}** words"
        + (f", {len(m['corpora'])} synthetic corpora" if m.get("corpora") else ""),
    ]
    if held.get("accuracy"):
        acc = ", ".join(f"{k} {v:.2f}" for k, v in held["accuracy"].items())
        within = ", ".join(f"{k} {v:.2f}" for k, v in held.get("within_one", {}).items())
        lines.append(f"- Encoder held-out accuracy: {acc} (within one level: {within})")
    if enc.get("utilisation"):
        lines.append(
            f"- Codebook use {enc['utilisation'].get('codebook_used', 0):.2f}, "
            f"embedding-vs-decoded cosine {held.get('mean_cosine', 0):.3f}"
        )
    lm = m.get("lm")
    if lm:
        lines.append(
            f"- LM (LoRA): {lm['steps']} steps, loss {lm['first_loss']:.3f} → {lm['final_loss']:.3f}, "
            f"{lm['tokens_per_s']:.0f} tokens/s, peak memory {lm['peak_memory_mb']:.0f} MB"
        )
    else:
        lines.append("- LM: not trained (Explore uses retrieval)")
    stage_times = ", ".join(f"{k[:-2]} {v:.1f} s" for k, v in t.items() if k.endswith("_s"))
    if stage_times:
        lines.append(f"- Time: {stage_times}")
    if "peak_rss_mb" in t:
        lines.append(f"- Peak memory (RSS): {t['peak_rss_mb']:.0f} MB")
    return "\n".join(lines)
