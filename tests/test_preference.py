import numpy as np

from wotd_mlx.preference import DISLIKE_WEIGHT, preference_vector


def test_likes_pull_dislikes_push():
    a, b = np.eye(3, dtype=np.float32)[:2]
    p = preference_vector(np.stack([a, b]), [1, -1])
    expected = (a - DISLIKE_WEIGHT * b) / np.linalg.norm(a - DISLIKE_WEIGHT * b)
    np.testing.assert_allclose(p, expected, atol=1e-6)
    assert p @ a > 0 > p @ b


def test_no_feedback_or_cancelling_feedback_gives_none():
    assert preference_vector(np.zeros((0, 3), dtype=np.float32), []) is None
    a = np.eye(3, dtype=np.float32)[0]
    assert preference_vector(np.stack([a, a, a]), [1, -1, -1]) is None
