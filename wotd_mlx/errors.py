"""The one exception type that means "the user asked for something we cannot do"."""


class WotdError(Exception):
    """Bad input or missing state: the message says what was wrong and what is allowed (CLI exit code 2)."""
