"""Pronunciation audio with the real espeak-ng (skipped where it is absent): written once, atomically, then
reused; a clear error where no engine exists."""

from __future__ import annotations

import shutil
import sys

import pytest

from wotd_mlx.errors import WotdError
from wotd_mlx.keep import speech

needs_engine = pytest.mark.skipif(
    not (shutil.which("espeak-ng") or (sys.platform == "darwin" and shutil.which("say"))),
    reason="no speech engine here (espeak-ng on Linux, say on macOS)",
)


@needs_engine
def test_audio_is_made_once_and_reused(tmp_path):
    first = speech.speak(tmp_path, "Lessen")
    path = tmp_path / "audio" / "lessen.wav"
    assert first["path"] == str(path) and not first["cached"]
    data = path.read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE" and len(data) > 2000  # a real spoken word
    stamp = path.stat().st_mtime_ns
    again = speech.speak(tmp_path, "lessen")
    assert again["cached"] and path.stat().st_mtime_ns == stamp
    assert [p.name for p in (tmp_path / "audio").iterdir()] == ["lessen.wav"]  # no temporary file left


@needs_engine
def test_odd_words_get_safe_file_names(tmp_path):
    out = speech.speak(tmp_path, "café au lait")
    name = out["path"].rsplit("/", 1)[1]
    assert name.startswith("caf_au_lait-") and name.endswith(".wav")


def test_no_engine_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty PATH: no say, no espeak-ng
    with pytest.raises(WotdError, match="no speech engine found .*the IPA is shown instead"):
        speech.speak(tmp_path, "lessen")
    assert not (tmp_path / "audio").exists()
    with pytest.raises(WotdError, match="unknown speech engine"):
        speech.engine(speech.SpeechConfig(engine="festival"))


def test_a_failing_engine_leaves_no_file(tmp_path, monkeypatch):
    fake = tmp_path / "bin" / "espeak-ng"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'no voice' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))
    monkeypatch.setattr(sys, "platform", "linux")
    with pytest.raises(WotdError, match="espeak-ng could not speak the word: no voice"):
        speech.speak(tmp_path, "lessen")
    assert list((tmp_path / "audio").iterdir()) == []
