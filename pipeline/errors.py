"""Errors a user sees as one line naming the file (never a traceback unless --debug)."""


class InputError(ValueError):
    """A file cannot be read as a document; the message names the file."""
