import numpy as np

from wotd_mlx.search.fusion import FusionIndex, FusionWeights, metrics, target_ranks, tune


def _unit(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_ranks_and_metrics():
    scores = np.array([[0.9, 0.5, 0.1], [0.2, 0.8, 0.3], [0.5, 0.5, 0.1]])
    ranks = target_ranks(scores, [0, 2, 1])
    assert ranks.tolist() == [1, 2, 2]  # a tie counts against the target
    assert target_ranks(scores, [-1]).tolist() == [np.inf]  # target not in the index: a miss
    m = metrics(np.array([1, 2, 50, 500.0]))
    assert m == {"acc@1": 0.25, "acc@10": 0.5, "acc@100": 0.75, "median_rank": 26.0}


def test_fusion_and_tuning_pick_the_prior_when_it_helps():
    rng = np.random.default_rng(0)
    n, d = 200, 16
    defs = _unit(rng.normal(size=(n, d)).astype(np.float32))
    zipf = np.zeros(n, dtype=np.float32)
    zipf[:20] = 5.0  # the queries' targets are the frequent words
    targets = list(range(20))
    # each query sits between its target and a rare distractor, slightly closer to the distractor
    queries = _unit(0.48 * defs[:20] + 0.52 * defs[100:120])
    index = FusionIndex([f"w{i}" for i in range(n)], defs, None, zipf)
    plain = target_ranks(index.scores(queries, FusionWeights()), targets)
    w = tune(index, queries, targets)
    fused = target_ranks(index.scores(queries, w), targets)
    assert w.zipf > 0 and fused.mean() < plain.mean() / 2
    s, top = index.top(queries[:1], w, 5)
    assert top[0] == 0 and (np.diff(s) <= 0).all()
