"""Errors a user sees as one line naming the file (never a traceback unless --debug)."""


class InputError(ValueError):
    """A file cannot be read as a document; the message names the file."""


class EmptyDocument(InputError):
    """A file holds no text to read (0 bytes, only blanks, a PDF without a text layer): the run
    ledger marks it `empty`, not `error`, since nothing is wrong with the reading."""


class SkippedFile(InputError):
    """A file that is not read, for a reason of its kind (an image, a table, an old Word file
    without LibreOffice to convert it): the run ledger marks it `skipped`, with the reason."""
