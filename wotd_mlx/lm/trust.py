"""Which of the LM's definitions may be shown. A definition that repeats its headword (or the headword's
stem) says nothing; one that, embedded, lies nearer another generated word's dictionary definition than its
own word's, or below a similarity threshold, is about something else. Those are replaced by the
dictionary's definition, and the output says so.

The threshold is chosen on training words (words the LM saw in its training lines, never the evaluation
IDs): the similarity that only `FALSE_ACCEPT` of mismatched pairs (a word's LM definition against another
word's dictionary definition) reach. `wotd train` writes it to `lm/trust.json`; runs made before that use
`DEFAULT_THRESHOLD`, chosen the same way by `scripts/bench_lm.py` (BENCHMARKS.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

FALSE_ACCEPT = 0.05
# For runs made before `lm/trust.json` existed. Measured by `scripts/bench_lm.py` (its calibration line) on a
# quick run (`wotd train --quick --lm-iters 40`, 6 training words, all-MiniLM-L6-v2): re-measure on a default
# run. Runs trained now carry their own threshold.
DEFAULT_THRESHOLD = 0.30
TRUST_FILE = "trust.json"
MIN_PREFIX_STEM = 5  # a stem this long also matches words that extend it (artific- in "artificial")

Embed = Callable[[list[str]], np.ndarray]
_TOKEN = re.compile(r"[a-z]+")


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def tautology(word: str, definition: str) -> bool:
    """Whether the definition uses the headword itself or a word of the same stem ("dactylic: of a
    dactyl"); for a headword of several words, any of them."""
    stem = _stemmer().stemWord
    heads = {(h, stem(h)) for h in _TOKEN.findall(word.lower())}
    for token in _TOKEN.findall(definition.lower()):
        t_stem = stem(token)
        for head, h_stem in heads:
            if token == head or t_stem == h_stem:
                return True
            if len(h_stem) >= MIN_PREFIX_STEM and t_stem.startswith(h_stem):
                return True
    return False


@dataclass
class Verdict:
    """Whether one LM definition may be shown, why not, and its similarity to the dictionary's."""

    ok: bool
    reason: str  # "" when ok
    similarity: float | None


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def faithfulness(
    words: Sequence[str],
    lm_definitions: Sequence[str],
    dictionary_definitions: Sequence[str],
    embed: Embed,
    threshold: float,
) -> list[Verdict]:
    """One verdict per word: its LM definition is not empty, is nearer its own word's dictionary definition
    than any other word's of `words`, and at least `threshold` similar to it."""
    n = len(words)
    have = np.asarray([bool(d.strip()) for d in dictionary_definitions], dtype=bool)
    sims = np.full((n, n), -np.inf, dtype=np.float32)
    if n and have.any():
        sims = (
            _unit(embed([d or " " for d in lm_definitions]))
            @ _unit(embed([d or " " for d in dictionary_definitions])).T
        )
        sims[:, ~have] = -np.inf  # a word without a dictionary definition attracts nothing
    verdicts = []
    for i in range(n):
        own = float(sims[i, i]) if have[i] else None
        nearest = int(np.argmax(sims[i]))
        if not lm_definitions[i].strip():
            verdicts.append(Verdict(False, "is empty", own))
        elif own is None:
            verdicts.append(Verdict(False, "cannot be checked (no dictionary definition)", None))
        elif nearest != i:
            verdicts.append(Verdict(False, f"is nearer the meaning of {words[nearest]!r}", own))
        elif own < threshold:
            verdicts.append(Verdict(False, f"is too far from the word's meaning ({own:.2f})", own))
        else:
            verdicts.append(Verdict(True, "", own))
    return verdicts


def check_definitions(
    words: Sequence[str],
    lm_definitions: Sequence[str],
    dictionary_definitions: Sequence[str],
    embed: Embed,
    threshold: float,
) -> list[Verdict]:
    """Which LM definitions may be shown: faithful ones (see `faithfulness`) that are no tautology."""
    verdicts = faithfulness(words, lm_definitions, dictionary_definitions, embed, threshold)
    for i, v in enumerate(verdicts):
        if lm_definitions[i].strip() and tautology(words[i], lm_definitions[i]):
            verdicts[i] = Verdict(False, "repeats its headword", v.similarity)
    return verdicts


@dataclass
class Calibration:
    """The threshold chosen on training words, and how the training words fared under it."""

    threshold: float
    false_accept: float
    words: int
    own_pass_rate: float  # LM definitions of training words at or above the threshold
    own_nearest_rate: float  # ... nearer their own dictionary definition than any other word's


def calibrate(
    lm_definitions: Sequence[str], dictionary_definitions: Sequence[str], embed: Embed
) -> Calibration:
    """The similarity that only FALSE_ACCEPT of mismatched (LM definition, another word's dictionary
    definition) pairs reach, over training words with both definitions."""
    pairs = [
        (a, b) for a, b in zip(lm_definitions, dictionary_definitions, strict=True) if a.strip() and b.strip()
    ]
    if len(pairs) < 2:
        return Calibration(DEFAULT_THRESHOLD, FALSE_ACCEPT, len(pairs), float("nan"), float("nan"))
    sims = _unit(embed([a for a, _ in pairs])) @ _unit(embed([b for _, b in pairs])).T
    off = sims[~np.eye(len(pairs), dtype=bool)]
    threshold = float(np.quantile(off, 1.0 - FALSE_ACCEPT))
    diag = np.diag(sims)
    return Calibration(
        threshold,
        FALSE_ACCEPT,
        len(pairs),
        float((diag >= threshold).mean()),
        float((sims.argmax(1) == np.arange(len(pairs))).mean()),
    )


def save_calibration(lm_dir: Path, cal: Calibration) -> None:
    (Path(lm_dir) / TRUST_FILE).write_text(json.dumps(asdict(cal), indent=2))


def run_threshold(lm_dir: Path) -> float:
    """The run's calibrated threshold, or DEFAULT_THRESHOLD for runs made before calibration existed."""
    path = Path(lm_dir) / TRUST_FILE
    try:
        return float(json.loads(path.read_text())["threshold"])
    except (OSError, KeyError, ValueError):
        return DEFAULT_THRESHOLD


def calibrate_on_training(
    run_dir: Path,
    backend: str,
    words: Sequence[str],
    definitions: Sequence[str],
    names: dict[str, list[str]],
    trained: Sequence[tuple[tuple[int, ...], str]],
    embed: Embed,
    k: int = 32,
    seed: int = 0,
) -> Calibration:
    """Let the run's LM define `k` of its training words (each under its training ID's prompt), choose the
    threshold on them and write it to `run_dir/lm/trust.json`."""
    from .generate import WordGenerator

    gen = WordGenerator.for_run(run_dir, backend, words, names)
    position = {w: i for i, w in enumerate(words)}
    unique = list(
        dict.fromkeys((sid, w) for sid, w in trained if w in position and definitions[position[w]].strip())
    )
    rng = np.random.default_rng(seed)
    picked = [unique[i] for i in sorted(rng.choice(len(unique), size=min(k, len(unique)), replace=False))]
    lm_defs = [gen.define(sid, position[w]) for sid, w in picked]
    cal = calibrate(lm_defs, [definitions[position[w]] for _, w in picked], embed)
    save_calibration(Path(run_dir) / "lm", cal)
    return cal
