"""Plain-text rendering of command results for people (the `--json` output is the machine form)."""

from __future__ import annotations

import textwrap
from pathlib import Path


def _sid(sid) -> str:
    return "-" if sid is None else ",".join(str(x) for x in sid)


def _words(rows: list[dict]) -> str:
    width = max((len(r["word"]) for r in rows), default=4)
    lines = []
    for r in rows:
        score = f"{r['score']:.3f}  " if "score" in r else ""
        # an LM row whose own definition failed the check shows the dictionary's, marked
        mark = "* " if r.get("method") == "lm" and r.get("definition_source") == "dictionary" else ""
        definition = textwrap.shorten(mark + r.get("definition", ""), 90, placeholder="...")
        lines.append(f"{r['word']:<{width}}  [{_sid(r['semantic_id'])}]  {score}{definition}")
    if any(r.get("method") == "lm" for r in rows):
        kept = sum(r.get("definition_source") == "lm" for r in rows)
        lines.append(
            f"(LM definitions kept: {kept} of {len(rows)}; * marks the dictionary's definition, shown "
            "where the LM's repeated its headword or did not match the word's meaning)"
        )
    return "\n".join(lines)


def _train(r: dict) -> str:
    m, t, enc = r["metrics"], r["timings"], r["metrics"]["encoder"]
    held = enc["holdout"]
    lines = [
        f"run {r['run_id']} {r['status']} ({r['backend']}, embedder {r['embedder']})",
        f"  lexicon: {m['lexicon_words']} words, "
        + (f"{len(m['corpora'])} synthetic corpora, " if m.get("corpora") else "")
        + f"embedding dim {m['embedding_dim']} ({m['embeddings_cached_before']} cached before)",
        _search_line(m),
        "  held-out accuracy: "
        + ", ".join(f"{k} {v:.3f}" for k, v in held["accuracy"].items())
        + " (within one: "
        + ", ".join(f"{k} {v:.3f}" for k, v in held["within_one"].items())
        + ")",
        f"  codebook utilisation: {enc['utilisation']['codebook_used']:.3f}, "
        f"embedding-vs-decoded cosine: {held['mean_cosine']:.3f}",
        _lm_line(m.get("lm")),
        "  time: "
        + ", ".join(f"{k[:-2]} {v:.1f}s" for k, v in t.items() if k.endswith("_s"))
        + f", peak RSS {t.get('peak_rss_mb', 0):.0f} MB",
        f"  files: {r['path']}",
    ]
    return "\n".join(lines)


def _search_line(m: dict) -> str:
    senses = f"every word and {m.get('search_senses', 0)} other senses"
    if not m.get("search_embedder"):
        why = (m.get("embedder_finetune") or {}).get("skipped", "not fine-tuned")
        return f"  search: {senses}, in the run's own space ({why})"
    return f"  search: {senses}, embedded with the fine-tuned {Path(m['search_embedder']).name}"


def _lm_line(lm: dict | None) -> str:
    if not lm:
        return "  LM: not trained (generate uses retrieval)"
    return (
        f"  LM (LoRA): {lm['steps']} steps on {lm['examples']} examples, loss {lm['first_loss']:.3f} -> "
        f"{lm['final_loss']:.3f}, {lm['tokens_per_s']:.0f} tokens/s, peak {lm['peak_memory_mb']:.0f} MB"
        + (f" (resumed at step {lm['resumed_from_step']})" if lm.get("resumed_from_step") else "")
    )


def _today(r: dict) -> str:
    ipa = f" /{r['ipa']}/" if r.get("ipa") else ""
    lines = [
        f"{r['date']}: {r['word']}{ipa} ({r['pos']})  [{_sid(r['semantic_id'])}]",
        *textwrap.wrap(r["definition"], 88, initial_indent="  ", subsequent_indent="  "),
    ]
    if r.get("modern_gloss"):  # today's sense beside Webster's 1913 one
        lines += textwrap.wrap(
            f"modern: {r['modern_gloss']}", 88, initial_indent="  ", subsequent_indent="    "
        )
    if r["etymology"]:
        lines.append(f"  etymology: {r['etymology']}")
    if r["example"]:
        lines.append(f"  example: {r['example']}")
    if r.get("why"):
        lines.append(f"  why: {r['why']}")
    elif r["from_preference"]:
        lines.append("  (chosen from your likes)")
    return "\n".join(lines)


MAX_GLOSSES = 6  # the text view's share of a word's modern glosses (`run` has 57; --json gives them all)


def _glosses(glosses: list[str]) -> list[str]:
    more = len(glosses) - MAX_GLOSSES
    text = "; ".join(glosses[:MAX_GLOSSES]) + (f" (+{more} more: --json)" if more > 0 else "")
    return textwrap.wrap(f"modern: {text}", 88, initial_indent="  ", subsequent_indent="    ")


def _show(r: dict) -> str:
    ipa = f"  /{r['ipa']}/" if r["ipa"] else ""
    lines = [
        f"{r['word']}{ipa}  ({r['pos']})",
        *textwrap.wrap(r["definition"], 88, initial_indent="  ", subsequent_indent="  "),
    ]
    if r["modern_glosses"]:
        lines += _glosses(r["modern_glosses"])
    if r["etymology"]:
        lines.append(f"  etymology: {r['etymology']}")
    run = r.get("run")
    if run and run["semantic_id"] is not None:
        names = " / ".join(run["names"][a] for a in ("style", "complexity", "era") if a in run["names"])
        lines.append(f"  semantic ID [{_sid(run['semantic_id'])}] in run {run['id']}: {names}")
    if r.get("note"):
        lines.append(f"  ({r['note']})")
    if r["labels"]:
        lines.append(f"  Webster labels: {', '.join(r['labels'])}")
    if r["webster"]:
        filed = r["webster_headword"]
        lines.append(f"Webster 1913{f' (filed under {filed})' if filed != r['word'] else ''}:")
    for block in r["webster"]:
        ety = f"  [{block['etymology']}]" if block["etymology"] else ""
        lines += textwrap.wrap(
            f"{block['pos'] or '-'}{ety}", 88, initial_indent="  ", subsequent_indent="    "
        )
        for s in block["senses"]:
            head = f"    {s['number']}. {'† ' if s['old'] else ''}"
            marks = f" [{', '.join(s['labels'])}]" if s["labels"] else ""
            lines += textwrap.wrap(s["text"] + marks, 88, initial_indent=head, subsequent_indent=" " * 7)
            for x in s["examples"]:
                lines += textwrap.wrap(f'"{x}"', 88, initial_indent=" " * 7, subsequent_indent=" " * 8)
    if any(s["old"] for b in r["webster"] for s in b["senses"]):
        lines.append("  († obsolete or archaic by 1913)")
    return "\n".join(lines)


def _feedback(r: dict) -> str:
    done = {"like": "liked", "dislike": "disliked", "skip": "skipped"}.get(r["feedback"], r["feedback"])
    return (
        f"{done} {r['word']} ({r['n_feedback']} feedback so far); preference ID "
        f"{_sid(r['previous_semantic_id'])} -> {_sid(r['preference_semantic_id'])}"
    )


def _info(r: dict) -> str:
    lines = [
        f"backend: {r['backend']}",
        f"embedder: {r['embedder']}",
        f"home: {r['home']}",
        f"database: {r['database']} ({r['database_bytes'] / 1e6:.1f} MB)",
        f"lexicon: {r['lexicon_words']} words, {r['cached_embeddings']} cached embeddings, "
        f"{r['feedback']} ratings ("
        + ", ".join(f"{name}: {n}" for name, n in r["feedback_by_profile"].items())
        + ")",
    ]
    for key in ("last_run", "last_finished_run"):
        run = r.get(key)
        if run:
            lines.append(
                f"{key.replace('_', ' ')}: {run['id']} {run['status']} ({run['backend']}, levels "
                f"{run['levels']}, {run['timings'].get('total_s', 0):.0f}s) {run['path']}"
            )
    if not r.get("last_run"):
        lines.append("no run yet: `wotd train`")
    return "\n".join(lines)


def render(command: str, result) -> str:
    """Human-readable text for the result of one of cli.py's own commands."""
    if command == "train":
        return _train(result)
    if command == "encode" and isinstance(result, dict):  # --text
        return f"[{_sid(result['semantic_id'])}]  {result['text']}\nnearest:\n" + _words(result["nearest"])
    if command == "encode":
        return "\n".join(f"{r['word']}  [{_sid(r['semantic_id'])}]" for r in result)
    if command in ("decode", "generate", "search"):
        return _words(result)
    if command == "today":
        return _today(result)
    if command in ("like", "dislike", "skip"):
        return _feedback(result)
    if command == "show":
        return _show(result)
    if command == "models":
        return f"prepared {result['model']} in {result['path']}"
    return _info(result)
