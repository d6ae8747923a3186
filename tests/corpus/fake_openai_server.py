"""A small scripted OpenAI-compatible server on 127.0.0.1 for the synthetic-corpus tests.

It speaks POST /v1/chat/completions like OpenAI does. Each request takes the next action from `script`
(then `default`): "good" answers with real words it has not handed out before (as many as the prompt's
"exactly N" asks), "truncated" cuts the JSON off with finish_reason "length", "garbage" is prose,
"wrong_shape" is JSON without "words", "429"/"500" are errors with a tiny Retry-After, "stall" sleeps past
the client's timeout, "no_schema" is a 400 for any request carrying response_format, "401" echoes the
bearer key in its error message like OpenAI does, and a callable gets the request body and returns
(status, body).
"""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from wordfreq import top_n_list

USAGE = {"prompt_tokens": 100, "completion_tokens": 40, "total_tokens": 140}
# Real, common words; the first 300 are left out of the pool so tests can use them as known-good extras.
WORDS = [w for w in top_n_list("en", 4000) if w.isalpha() and w.islower() and len(w) >= 3]
POOL = WORDS[300:]
EXTRA = WORDS[:300]


def completion(content: str, finish_reason: str = "stop", usage: dict | None = USAGE) -> dict:
    """A chat.completion body with one choice."""
    body = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "fake-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish_reason,
            }
        ],
    }
    if usage is not None:
        body["usage"] = usage
    return body


def words_answer(words: Iterable[str]) -> str:
    return json.dumps({"words": [{"word": w, "definition": f"a test sense of {w}"} for w in words]})


class FakeOpenAI:
    """Start with `with FakeOpenAI() as server:`; `server.url` is the base URL, `server.requests` the
    received (headers, body) pairs."""

    def __init__(self, script: Iterable = (), default: str | Callable = "good", stall_s: float = 1.5):
        self.script: deque = deque(script)
        self.default = default
        self.stall_s = stall_s
        self.requests: list[tuple[dict, dict]] = []
        self.actions: list[str] = []
        self.served: list[str] = []  # words handed out by "good" answers
        self._pool = iter(POOL)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        """Shut down: later requests get "connection refused"."""
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def good(self, n: int) -> tuple[int, dict]:
        with self._lock:
            words = [next(self._pool) for _ in range(n)]
            self.served.extend(words)
        return 200, completion(words_answer(words))

    def respond(self, body: dict) -> tuple[int, dict, dict]:
        """(status, JSON body, extra headers) for one request."""
        with self._lock:
            action = self.script.popleft() if self.script else self.default
            self.actions.append(action if isinstance(action, str) else "callable")
        prompt = body["messages"][-1]["content"]
        n = int(re.search(r"exactly (\d+)", prompt).group(1))
        fast_retry = {"retry-after-ms": "10"}  # keeps the openai client's retry wait short
        if callable(action):
            status, out = action(body)
            return status, out, {}
        if action == "good":
            return (*self.good(n), {})
        if action == "truncated":
            return 200, completion(words_answer(EXTRA[:n])[:60], finish_reason="length"), {}
        if action == "garbage":
            return 200, completion("Sure! Here are some lovely words: apple, pear."), {}
        if action == "wrong_shape":
            return 200, completion(json.dumps({"items": [{"word": "apple", "definition": "a fruit"}]})), {}
        if action == "429":
            return 429, {"error": {"message": "Rate limit reached", "type": "rate_limit"}}, fast_retry
        if action == "500":
            return 500, {"error": {"message": "The server had an error", "type": "server_error"}}, fast_retry
        if action == "stall":
            self._stop.wait(self.stall_s)
            return 200, completion(words_answer([])), {}  # nobody is listening any more
        if action == "no_schema":
            if "response_format" in body:
                return 400, {"error": {"message": "response_format is not supported", "type": "invalid"}}, {}
            return (*self.good(n), {})
        if action == "401":
            key = self.requests[-1][0].get("authorization", "").removeprefix("Bearer ")
            message = f"Incorrect API key provided: {key}. You can find your API key at ..."
            return 401, {"error": {"message": message, "type": "invalid_request_error"}}, {}
        raise AssertionError(f"unknown action {action!r}")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep the test output quiet
                pass

            def do_POST(self) -> None:
                if self.path != "/v1/chat/completions":
                    self.send_error(404)
                    return
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status, out, headers = server.respond(body)
                data = json.dumps(out).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out and hung up: that is the point of "stall"

        return Handler
