"""`wotd today/like/dislike --profile`, `wotd profile`, `wotd feedback --undo`: output, and exit code 2 with
one clear line and nothing stored changed on bad input."""

import pytest


def test_profiles_today_feedback_undo_and_profile(cli):
    assert cli("profile", "--create", "alice", "--json")[1]["created"] is True
    code, day, _ = cli("today", "--date", "2027-01-01", "--profile", "alice", "--json")
    assert code == 0 and day["profile"] == "alice" and day["why"].startswith("exploring")
    for word in ("sea001", "sea002", "sea003"):
        assert cli("like", word, "--profile", "alice")[0] == 0
    assert cli("dislike", "leaf001", "--profile", "alice")[0] == 0
    code, text, _ = cli("skip", "song001", "--profile", "alice")
    assert code == 0 and text.startswith("skipped song001")
    assert cli("feedback", "--undo", "--profile", "alice")[0] == 0
    code, prof, _ = cli("profile", "--profile", "alice", "--json")
    assert code == 0 and prof["likes"] == 3 and prof["dislikes"] == 1 and prof["would_pick"]
    code, text, _ = cli("profile", "--profile", "alice")
    assert code == 0 and "3 likes, 1 dislikes" in text
    code, undone, _ = cli("feedback", "--undo", "--profile", "alice", "--json")
    assert code == 0 and undone["undone"] == {"word": "leaf001", "feedback": "dislike"}
    code, prof, _ = cli("profile", "--json")
    assert code == 0 and prof["profile"] == "default" and prof["likes"] == 0  # alice's ratings stay hers
    code, info, _ = cli("info", "--json")  # counts every profile's ratings, each by name
    assert code == 0 and info["feedback"] == 3 and info["feedback_by_profile"] == {"alice": 3, "default": 0}
    code, text, _ = cli("info")
    assert code == 0 and "3 ratings (alice: 3, default: 0)" in text


def test_reset_asks_first_and_yes_resets(cli, dump):
    cli("like", "sea001")
    before = dump()
    code, _, err = cli("profile", "--reset")  # no terminal to ask: refused
    assert code == 2 and "--yes" in err and dump() == before
    code, out, _ = cli("profile", "--reset", "--yes", "--json")
    assert code == 0 and out["forgotten"] == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (("today", "--profile", "bob"), "unknown profile 'bob'"),
        (("like", "sea001", "--profile", "bob"), "unknown profile"),
        (("like", "notawordzz"), "unknown word"),
        (("feedback", "--undo"), "nothing to undo"),
        (("profile", "--create", "Bad Name"), "invalid profile name"),
        (("bench", "preference", "--learners", "magic"), "unknown learner"),
        (("bench", "preference", "--tastes", "none"), "leaves nothing to run"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_changes_nothing(cli, dump, args, message):
    before = dump()
    code, _, err = cli(*args)
    assert code == 2 and message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert dump() == before
