"""Errors a user can act on. The CLI prints them as one line and exits 2."""


class CivgraphError(Exception):
    """Base class for errors civgraph reports to the user without a traceback."""


class InputError(CivgraphError):
    """Bad input: a malformed file, an unreadable path, an unknown code or term."""


class UsageError(CivgraphError):
    """A command used in a way it cannot work."""
