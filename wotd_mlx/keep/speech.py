"""Pronunciation audio on demand with the platform's own speech engine, cached under $WOTD_HOME/audio.

macOS: `say` writes AIFF; `afconvert` (there on every macOS) turns it into WAV when present, else the AIFF is
kept. Elsewhere: `espeak-ng` (or the older `espeak`) writes WAV. No network. Each file is written under a
temporary name and renamed, so an interrupted call never leaves a half file that a later call would reuse;
where no engine exists a WotdError says so (the app then shows the IPA).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import WotdError, shown

SAFE = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


@dataclass
class SpeechConfig:
    """Which engine speaks and how (offline defaults)."""

    engine: str = "auto"  # auto | say | espeak-ng | espeak
    voice: str | None = None  # the engine's voice name (None: its default; espeak-ng's is "en")
    words_per_minute: int = 150
    timeout_s: float = 30.0


def engine(cfg: SpeechConfig | None = None) -> tuple[str, str]:
    """(engine name, executable path) of the speech engine to use; a clear error if there is none."""
    cfg = cfg or SpeechConfig()
    order = {"darwin": ("say", "espeak-ng", "espeak")}.get(sys.platform, ("espeak-ng", "espeak"))
    names = order if cfg.engine == "auto" else (cfg.engine,)
    if cfg.engine not in ("auto", "say", "espeak-ng", "espeak"):
        raise WotdError(f"unknown speech engine {cfg.engine!r}; allowed: auto, say, espeak-ng, espeak")
    for name in names:
        if path := shutil.which(name):
            return name, path
    hint = (
        "install espeak-ng (e.g. `apt-get install espeak-ng`)"
        if sys.platform != "darwin"
        else "`say` is missing"
    )
    raise WotdError(
        f"no speech engine found ({', '.join(names)} not on PATH): {hint}; the IPA is shown instead"
    )


def file_stem(word: str) -> str:
    """The cache file's name for a word: the word itself where plain, else a readable prefix and a hash."""
    w = word.strip().lower()
    if SAFE.fullmatch(w):
        return w
    prefix = re.sub(r"[^a-z0-9-]+", "_", w)[:40].strip("_") or "word"
    return f"{prefix}-{hashlib.sha1(w.encode()).hexdigest()[:10]}"


def cached(home: Path, word: str) -> Path | None:
    """The word's audio file if one was made already."""
    for ext in ("wav", "aiff"):
        p = Path(home) / "audio" / f"{file_stem(word)}.{ext}"
        if p.is_file() and p.stat().st_size > 0:
            return p
    return None


def _run(argv: list[str], cfg: SpeechConfig) -> None:
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=cfg.timeout_s, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        raise WotdError(f"{Path(argv[0]).name} took over {cfg.timeout_s:.0f} s to speak; try again") from None
    if done.returncode != 0:
        why = " ".join((done.stderr or done.stdout).split())[:200] or f"exit code {done.returncode}"
        raise WotdError(f"{Path(argv[0]).name} could not speak the word: {why}")


def speak(home: Path, word: str, cfg: SpeechConfig | None = None) -> dict:
    """The word's pronunciation as an audio file under home/audio (made once, then reused)."""
    cfg = cfg or SpeechConfig()
    text = word.strip().lower()
    if not text or len(text) > 64:
        raise WotdError(f"give one word of 1-64 characters to speak, got {shown(word)}")
    if (hit := cached(home, text)) is not None:
        return {"word": text, "path": str(hit), "cached": True, "format": hit.suffix[1:]}
    name, exe = engine(cfg)
    folder = Path(home) / "audio"
    folder.mkdir(parents=True, exist_ok=True)
    stem = file_stem(text)
    tmp = folder / f".{stem}.{os.getpid()}.part"
    try:
        if name == "say":
            aiff = tmp.with_suffix(".aiff")
            voice = ["-v", cfg.voice] if cfg.voice else []
            _run([exe, *voice, "-r", str(cfg.words_per_minute), "-o", str(aiff), "--", text], cfg)
            if conv := shutil.which("afconvert"):
                _run([conv, "-f", "WAVE", "-d", "LEI16", str(aiff), str(tmp)], cfg)
                ext = "wav"
            else:
                aiff.replace(tmp)
                ext = "aiff"
        else:
            voice = ["-v", cfg.voice] if cfg.voice else []
            _run([exe, *voice, "-s", str(cfg.words_per_minute), "-w", str(tmp), "--", text], cfg)
            ext = "wav"
        if not tmp.is_file() or tmp.stat().st_size == 0:
            raise WotdError(f"{name} wrote no audio for {shown(text)}")
        final = folder / f"{stem}.{ext}"
        os.replace(tmp, final)  # atomic: a reader sees no file or the whole file
    finally:
        for leftover in (tmp, tmp.with_suffix(".aiff")):
            leftover.unlink(missing_ok=True)
    return {"word": text, "path": str(final), "cached": False, "format": ext, "engine": name}


def play(path: Path) -> str:
    """Play an audio file with the platform's player (afplay, aplay, paplay); returns the player's name."""
    for name in ("afplay", "paplay", "aplay", "play"):
        if exe := shutil.which(name):
            _run([exe, str(path)], SpeechConfig(timeout_s=60))
            return name
    raise WotdError(f"no audio player found (afplay, paplay, aplay or play); the file is {path}")
