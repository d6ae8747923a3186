"""The bench runner on real MiniLM vectors, and `wotd bench quantizers` end to end (exit codes, files)."""

import json

import numpy as np
import pytest

from wotd_mlx.cli import main
from wotd_mlx.quant.bench import BenchConfig, default_specs, run_bench
from wotd_mlx.quant.data import LabData, split
from wotd_mlx.quant.plot import lab_results, markdown_table, save_results
from wotd_mlx.store import LexEntry, Store

REQUIRED = {
    "method",
    "bits",
    "bytes_per_vector",
    "compression",
    "neighbor_recall_at_10",
    "task_retention_r10",
}


@pytest.fixture(scope="module")
def lab(minilm_words):
    """Real word vectors; the 'definitions' are the held-out words' vectors plus noise (a stand-in task)."""
    words, x = minilm_words
    train, test = split(len(words), 0.25, 0)
    rng = np.random.default_rng(0)
    q = x[test] + 0.04 * rng.normal(size=(len(test), x.shape[1])).astype(np.float32)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    return LabData(words, x, train, test, q.astype(np.float32), "test")


def test_rows_measure_what_they_claim(lab):
    cfg = BenchConfig(
        methods=["sign", "int8", "pq"], neighbor_queries=100, spearman_words=80, timing_queries=5
    )
    rows = run_bench(lab, cfg)
    by = {(r["method"], r["scoring"], r["bits"]): r for r in rows}
    ref = by[("float32", "exact", 12288)]
    assert ref["neighbor_recall_at_10"] == 1.0 and ref["task_retention_r10"] == 1.0
    assert ref["spearman"] == pytest.approx(1.0)
    sign, rescored = by[("sign", "hamming", 384)], by[("sign", "rescore", 384)]
    int8 = by[("int8", "adc", 3072)]
    assert sign["bytes_per_vector"] == 48 and sign["compression"] == 32.0
    assert int8["bytes_per_vector"] == 384 and int8["compression"] == 4.0
    assert by[("pq", "adc", 64)]["bytes_per_vector"] == 8
    assert int8["neighbor_recall_at_10"] > 0.95 and int8["task_retention_r10"] > 0.97
    assert sign["neighbor_recall_at_10"] < rescored["neighbor_recall_at_10"] < int8["neighbor_recall_at_10"]
    assert 0.3 < sign["spearman"] < int8["spearman"]
    for r in rows:
        assert set(r) >= REQUIRED and r["encode_us"] >= 0 and r["search_ms"] > 0
    json.dumps(rows)  # plain JSON types only


def test_methods_filter_and_unknown_method():
    assert {s.method for s in default_specs(["learned-ste"])} == {"learned-ste"}
    assert not any(s.supervised for s in default_specs(None, supervised=False))
    with pytest.raises(Exception, match="unknown method"):
        default_specs(["nosuch"])


def test_results_are_saved_for_the_app(tmp_path, lab):
    pytest.importorskip("matplotlib")
    rows = run_bench(
        lab, BenchConfig(methods=["sign"], neighbor_queries=50, spearman_words=40, timing_queries=2)
    )
    save_results(tmp_path, rows, {"title": "test"})
    got_rows, png, meta = lab_results(tmp_path)
    assert got_rows == json.loads(json.dumps(rows)) and meta["title"] == "test"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    table = markdown_table(rows)
    assert table.count("\n") == len(rows) + 1 and "| sign | rescore | 384 | 48 | 32x |" in table
    assert lab_results(tmp_path / "nothing") is None


@pytest.fixture
def home(tmp_path, monkeypatch, minilm_words):
    """A WOTD_HOME whose lexicon is 200 common words (so the CLI does not parse GCIDE)."""
    words, _ = minilm_words
    with Store(tmp_path / "wotd.db") as store:
        store.replace_lexicon(
            LexEntry(w, "n.", f"the word {w}", "", "", 5.0, [], 0, 0, 0) for w in words[:200]
        )
    monkeypatch.setenv("WOTD_HOME", str(tmp_path))
    monkeypatch.setenv("WOTD_BACKEND", "torch")
    return tmp_path


def test_cli_bench_quantizers_json(home, capsys):
    code = main(["bench", "quantizers", "--json", "--methods", "sign,int8", "--no-supervised"])
    out, err = capsys.readouterr()
    assert code == 0, err
    rows = json.loads(out)
    assert [r["method"] for r in rows] == ["float32", "sign", "sign", "int8"]
    assert all(set(r) >= REQUIRED for r in rows)
    assert (home / "lab" / "quantizers.json").is_file() and (home / "lab" / "quantizers.png").is_file()
    assert main(["bench", "quantizers", "--methods", "sign", "--no-supervised"]) == 0
    assert "| float32 | exact |" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--methods", "nosuch"], "unknown method"),
        (["--max-words", "10"], "at least 50 words"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(home, capsys, args, message):
    assert main(["bench", "quantizers", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and err.startswith("wotd: error:")


def test_cli_bad_flag_values_exit_2(home, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["bench", "quantizers", "--test-fraction", "1.5"])
    assert exc.value.code == 2
    assert "between 0 and 1" in capsys.readouterr().err


@pytest.mark.mlx
def test_mlx_backend_leaves_out_the_sentence_transformers_rows():
    """The reference rows run sentence-transformers (and so torch): the MLX path skips them."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 32)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    train, test = split(len(x), 0.25, 0)
    data = LabData([f"w{i}" for i in range(len(x))], x, train, test, x[test], "test")
    cfg = BenchConfig(
        methods=["st-binary", "sign"], neighbor_queries=10, spearman_words=20, timing_queries=2, backend="mlx"
    )
    assert {r["method"] for r in run_bench(data, cfg)} == {"float32", "sign"}
