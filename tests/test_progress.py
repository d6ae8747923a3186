"""The commands' progress bars: one bar per stage on stderr, the earlier one closed as the next begins."""

from types import SimpleNamespace

import pytest

from wotd_mlx.progress import Bars


def test_bars_draw_one_bar_per_stage_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    with Bars(unit="") as bars:
        bars("embed", 3, 10)
        bars("embed", 10, 10)
        first = bars.bars["embed"]
        bars("lm", 1, 4)
        assert first.disable, "the earlier stage's bar is closed when the next stage begins"
        bars.lm_report(SimpleNamespace(loss=1.25, tokens_per_s=900.0, peak_memory_mb=2048))
        bars("embed", 2, 5)  # a stage that comes back gets a bar of its own
        assert bars.bars["embed"] is not first
    err = capsys.readouterr()
    assert err.out == ""  # stdout carries only the command's JSON
    assert "   embed" in err.err and "10/10" in err.err and "2/5" in err.err
    assert "loss 1.250, 900 tok/s, peak 2.0 GB" in err.err
