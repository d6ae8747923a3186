"""The on-disk lexicon cache: a hit gives exactly what was built, a damaged or unwritable cache only costs
a rebuild, and a change of rules or settings is a different key. The builder is replaced by a counter over a
small lexicon here: the real build is what tests/corpus/test_corpus.py and every training test exercise."""

import gzip
import shutil

import pytest

from wotd_mlx.config import DEFAULT_LEVELS, CorpusConfig
from wotd_mlx.corpus import cache
from wotd_mlx.store.db import LexEntry


def small_lexicon(n=120):
    return [
        LexEntry(f"w{i:03d}", "n.", f"meaning {i}", "", "", 3.0 + i / 100, ["Bot."] if i % 7 == 0 else [],
                 i % 8, (i // 8) % 8, (i // 3) % 8)
        for i in range(n)
    ]  # fmt: skip


@pytest.fixture
def builds(monkeypatch, tmp_path):
    monkeypatch.setenv("WOTD_CACHE_DIR", str(tmp_path / "cache"))
    calls = []

    def build(cfg, levels, progress=None):
        calls.append(cfg)
        lex = small_lexicon()
        return lex, {e.word: "label" if e.labels else "default" for e in lex}

    monkeypatch.setattr(cache, "build_lexicon_with_evidence", build)
    return calls


def test_a_hit_gives_what_was_built_and_subsamples_after(builds, tmp_path):
    cfg = CorpusConfig(max_words=40)
    first = cache.cached_lexicon(cfg, DEFAULT_LEVELS)
    assert [c.max_words for c in builds] == [None]  # the full lexicon is what is cached
    assert len(first[0]) == 40 and set(first[1]) == {e.word for e in first[0]}
    seen = []
    second = cache.cached_lexicon(cfg, DEFAULT_LEVELS, progress=lambda d, n: seen.append((d, n)))
    assert len(builds) == 1 and second == first and seen == [(1, 1)]
    full = cache.cached_lexicon(CorpusConfig(), DEFAULT_LEVELS)
    assert len(builds) == 1 and full[0] == small_lexicon()


def test_damaged_file_is_rebuilt(builds, tmp_path):
    cache.cached_lexicon(CorpusConfig(), DEFAULT_LEVELS)
    (path,) = (tmp_path / "cache").glob("lexicon-*.json.gz")
    path.write_bytes(path.read_bytes()[:50])
    assert cache.cached_lexicon(CorpusConfig(), DEFAULT_LEVELS)[0] == small_lexicon()
    assert len(builds) == 2
    with gzip.open(path, "rt") as f:  # written again, whole
        assert f.read().startswith('{"lexicon"')
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [path.name]  # no temporary file left


def test_unwritable_cache_path_still_gives_the_lexicon(builds, tmp_path, monkeypatch):
    (tmp_path / "file").write_text("not a directory")
    monkeypatch.setenv("WOTD_CACHE_DIR", str(tmp_path / "file" / "cache"))
    assert cache.cached_lexicon(CorpusConfig(), DEFAULT_LEVELS)[0] == small_lexicon()
    assert cache.cached_lexicon(CorpusConfig(), DEFAULT_LEVELS)[0] == small_lexicon()
    assert len(builds) == 2


def test_key_follows_settings_and_rules(monkeypatch, tmp_path):
    base = cache.lexicon_key(CorpusConfig(), DEFAULT_LEVELS)
    assert cache.lexicon_key(CorpusConfig(max_words=10, seed=3), DEFAULT_LEVELS) == base
    assert cache.lexicon_key(CorpusConfig(min_zipf=2.0), DEFAULT_LEVELS) != base
    assert cache.lexicon_key(CorpusConfig(), (8, 4, 8, 5)) != base
    monkeypatch.setattr(cache.metadata, "version", lambda name: "999")
    assert cache.lexicon_key(CorpusConfig(), DEFAULT_LEVELS) != base  # a new data release


def test_key_follows_the_rules_source_and_hand_labels(monkeypatch, tmp_path):
    rules = tmp_path / "corpus"
    shutil.copytree(cache.RULES, rules, ignore=shutil.ignore_patterns("__pycache__"))
    base = cache.lexicon_key(CorpusConfig(), DEFAULT_LEVELS)
    monkeypatch.setattr(cache, "RULES", rules)
    assert cache.lexicon_key(CorpusConfig(), DEFAULT_LEVELS) == base
    with (rules / "style_train.tsv").open("a") as f:
        f.write("anotherword\teveryday\n")
    labels_changed = cache.lexicon_key(CorpusConfig(), DEFAULT_LEVELS)
    assert labels_changed != base
    with (rules / "era.py").open("a") as f:
        f.write("\n# a changed rule\n")
    assert cache.lexicon_key(CorpusConfig(), DEFAULT_LEVELS) not in (base, labels_changed)


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("WOTD_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "wotd-mlx"
    monkeypatch.setenv("WOTD_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.cache_dir() == tmp_path / "mine"
