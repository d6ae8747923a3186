"""Profile names and the check that one exists: the low module that taste/ and keep/ both import."""

from __future__ import annotations

import re

from ..errors import WotdError
from ..store import Store

DEFAULT_PROFILE = "default"
PROFILE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")


def check_profile_name(name: str) -> str:
    """A valid profile name, or a clear error."""
    if not PROFILE_NAME.fullmatch(name or ""):
        raise WotdError(
            f"invalid profile name {name!r}: use 1-32 lowercase letters, digits, '-' or '_', "
            "starting with a letter or digit"
        )
    return name


def check_stored_profile(store: Store, name: str | None) -> str:
    """An existing profile's name in the store ("default" when None), or an error naming the profiles."""
    name = DEFAULT_PROFILE if name is None else name.strip()
    check_profile_name(name)
    known = store.profiles()
    if name not in known:
        raise WotdError(
            f"unknown profile {name!r}; profiles: {', '.join(known)} "
            f"(create one with `wotd profile --create {name}`)"
        )
    return name
