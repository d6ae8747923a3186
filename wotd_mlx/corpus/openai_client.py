"""The OpenAI client for synthetic corpora: OpenAI itself or any OpenAI-compatible server via `base_url`.

Retries are split in two layers:
- transport faults (HTTP 429 with or without Retry-After, 408/409, 5xx, timeouts, dropped connections) are
  retried by the openai client itself (`max_retries`, exponential backoff 0.5 s doubling to 8 s with jitter,
  Retry-After honoured up to 60 s): it does this correctly, so we do not wrap it;
- answers that arrive but are unusable (malformed or cut-off JSON) and transport faults that outlast the
  client's retries are retried by `corpus.synthetic` with its own exponential backoff.

The API key lives only in the client object: it is never written to disk, the database or a log, and
`redact` scrubs it (and anything shaped like an OpenAI key) from error text before it is shown.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wotd_mlx.errors import WotdError

if TYPE_CHECKING:
    from openai import OpenAI

OPENAI_URL = "https://api.openai.com/v1"
# Local servers ignore the key, but the openai client refuses to start without one.
PLACEHOLDER_KEY = "not-needed"
NO_KEY_MESSAGE = (
    "no API key: export OPENAI_API_KEY=sk-... to use OpenAI, or pass --base-url for a local "
    "OpenAI-compatible server (LM Studio http://localhost:1234/v1, Ollama http://localhost:11434/v1, "
    "mlx_lm.server http://localhost:8080/v1), which needs no key"
)
_KEYLIKE = re.compile(r"\b(sk-[A-Za-z0-9_\-*]{2})[A-Za-z0-9_\-*]+")


@dataclass(frozen=True)
class Endpoint:
    """Where to send requests and with which key (the key is excluded from repr, so it never prints)."""

    base_url: str | None
    api_key: str = field(repr=False)

    @property
    def url(self) -> str:
        """The base URL for messages (OpenAI's when none was given)."""
        return self.base_url or OPENAI_URL


def resolve_endpoint(base_url: str | None = None, api_key: str | None = None) -> Endpoint:
    """The endpoint from arguments, else $OPENAI_BASE_URL / $OPENAI_API_KEY; WotdError if neither a key
    nor a base URL is known."""
    base_url = (base_url or os.environ.get("OPENAI_BASE_URL") or "").strip() or None
    key = (api_key or os.environ.get("OPENAI_API_KEY") or "").strip()
    if not key:
        if base_url is None:
            raise WotdError(NO_KEY_MESSAGE)
        key = PLACEHOLDER_KEY
    if base_url is not None and not re.match(r"https?://", base_url):
        raise WotdError(f"--base-url must start with http:// or https://, got {base_url!r}")
    return Endpoint(base_url, key)


def make_client(endpoint: Endpoint, timeout: float = 120.0, max_retries: int = 4) -> OpenAI:
    """An openai.OpenAI client with the given per-request timeout (seconds) and transport retries."""
    from openai import OpenAI  # imported here: it takes 0.3 s and only this command needs it

    if timeout <= 0 or max_retries < 0:
        raise WotdError(f"timeout must be > 0 and max_retries >= 0, got {timeout} and {max_retries}")
    return OpenAI(api_key=endpoint.api_key, base_url=endpoint.url, timeout=timeout, max_retries=max_retries)


def redact(text: str, secret: str | None = None) -> str:
    """`text` with the secret and anything shaped like an OpenAI key replaced by "***"."""
    if secret and secret != PLACEHOLDER_KEY:
        text = text.replace(secret, "***")
    return _KEYLIKE.sub(r"\1***", text)


def describe_error(exc: BaseException, secret: str | None = None) -> str:
    """One short, redacted line for an openai exception (type, HTTP status, start of the message)."""
    status = getattr(exc, "status_code", None)
    head = type(exc).__name__ + (f" (HTTP {status})" if status else "")
    message = " ".join(str(getattr(exc, "message", "") or exc).split())[:160]
    return redact(f"{head}: {message}" if message else head, secret)


def fatal_error(exc: BaseException, endpoint: Endpoint, model: str) -> WotdError:
    """The one-line WotdError for a refusal that retrying cannot fix (bad key, unknown model, bad request)."""
    status = getattr(exc, "status_code", None)
    if status == 401:
        return WotdError(f"{endpoint.url} rejected the API key (HTTP 401): check OPENAI_API_KEY")
    if status == 403:
        return WotdError(f"{endpoint.url} refused access (HTTP 403): check the key's permissions for {model}")
    if status == 404:
        return WotdError(
            f"model {model!r} or the endpoint was not found at {endpoint.url} (HTTP 404): "
            "check --model and --base-url"
        )
    return WotdError(f"{endpoint.url} refused the request: {describe_error(exc, endpoint.api_key)}")
