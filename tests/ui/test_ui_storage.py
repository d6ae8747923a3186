"""The app on a full disk: a rating or a new date's word that cannot be written says what to do (free
some space), changes nothing stored, and works again once there is space. A real tmpfs, where mounting is
allowed (root on Linux; skipped elsewhere, saying why)."""

import pytest
from app_harness import db_dump, free_port
from cli_harness import a_word, copy_home, fill_disk, size_kb, tmpfs
from gradio_client import Client
from gradio_client.exceptions import AppError

from ui.app import build_app, serve


def test_full_disk_in_the_app(trained_home, tmp_path):
    with tmpfs(tmp_path / "mnt", size_kb(trained_home) + 1024) as mnt:
        home = copy_home(trained_home, mnt / "home")
        word = a_word(home)
        demo = build_app(home, "torch")
        _, url, _ = serve(demo, port=free_port(), block=False, quiet=True)
        try:
            client = Client(url, verbose=False, download_files=False)
            client.predict("2026-02-01", api_name="/today")  # opens the run while there is space
            before = db_dump(home)
            fill_disk(mnt)
            for args, api in (((word,), "/like"), (("2026-02-02",), "/today")):
                with pytest.raises(AppError, match="free some space") as err:
                    client.predict(*args, api_name=api)
                assert "Something went wrong" not in str(err.value)
            (mnt / "filler").unlink()
            assert db_dump(home) == before
            moved, *_ = client.predict(word, api_name="/like")  # with space again, the same call works
            assert f"You liked **{word}**" in moved
        finally:
            demo.close()
            demo.wotd_state.close()
