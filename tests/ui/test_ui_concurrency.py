"""Twenty generate requests at once: all succeed, each with the right words, and they are served side by side
(the LM's own lock queues its model calls safely inside the library)."""

from __future__ import annotations

import threading
import time

from app_harness import WAIT_S

from wotd_mlx.semantic.ids import format_id

N = 20


def test_twenty_concurrent_generate_requests(app, monkeypatch):
    w = app.state.session()
    ids = [(i % 8, 3 * i % 8, 5 * i % 8, i % 5) for i in range(10)]  # 10 different IDs
    requests = [(sid, method) for sid in ids for method in ("retrieval", "lm")][:N]
    # What the library itself answers, one request at a time.
    expected = {(sid, m): [r["word"] for r in w.generate(sid, 5, m)] for sid, m in requests}

    # Count requests inside the library at the same time. Each request waits (a condition, not a pause) until
    # a second one is inside too: served side by side, that happens at once however busy the machine is;
    # served one at a time, it never does and the counts below say so after the wait's limit.
    lock, inside, most = threading.Lock(), [0], [0]
    overlapped = threading.Event()
    original = w.generate

    def counting(*args, **kwargs):
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
            if inside[0] > 1:
                overlapped.set()
        try:
            overlapped.wait(timeout=WAIT_S / 10)
            return original(*args, **kwargs)
        finally:
            with lock:
                inside[0] -= 1

    monkeypatch.setattr(w, "generate", counting)
    client = app.client()
    start = time.perf_counter()
    jobs = [client.submit(format_id(sid), 5, m, 0.0, api_name="/generate") for sid, m in requests]
    results = [job.result(timeout=WAIT_S) for job in jobs]
    took = time.perf_counter() - start
    for (sid, m), (summary, table) in zip(requests, results, strict=True):
        assert f"`{format_id(sid)}`" in summary
        assert [row[0] for row in table["data"]] == expected[(sid, m)], (sid, m)
    assert most[0] > 1, "generate requests were served one at a time"
    print(f"{N} concurrent generate requests in {took:.1f} s; up to {most[0]} inside the library at once")
