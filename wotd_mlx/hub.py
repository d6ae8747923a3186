"""Model names on the command line: a local directory, or a Hugging Face hub repo id (needs a network)."""

from __future__ import annotations

from pathlib import Path

from .errors import WotdError


def looks_like_path(name: str) -> bool:
    """True for names meant as directories; those must never fall through to a network download."""
    # A hub id is "owner/name"; anything rooted or relative-looking is meant as a directory.
    return name.startswith(("/", "./", "../", "~", "\\")) or name in (".", "..") or ":\\" in name


def local_or_hub(name: str, what: str) -> Path:
    """A local directory -> itself; otherwise a hub repo id, downloaded (or taken from the local HF cache)
    with `huggingface_hub.snapshot_download`. `what` names the model in errors ("embedding model")."""
    path = Path(name).expanduser()
    if path.is_dir():
        return path.resolve()
    if looks_like_path(name) or path.exists():
        raise WotdError(f"no {what} directory at {name!r}; pass an existing directory or a hub repo id")
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(repo_id=name))
    except Exception as e:  # invalid id, offline, 404, auth: all mean "cannot get that model"
        raise WotdError(
            f"could not fetch {what} {name!r} from the Hugging Face hub ({type(e).__name__}); "
            "offline, pass a local model directory instead"
        ) from e


def cache_key(name: str, default: str) -> str:
    """A stable name: the default name itself, a local directory's absolute path, else the repo id."""
    if name == default:
        return default
    path = Path(name).expanduser()
    if path.is_dir() or looks_like_path(name):
        return str(path.resolve())
    return name
