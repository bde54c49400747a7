"""Errors of the ingest pipeline: each message says what is wrong, where, and what was expected."""


class IngestError(Exception):
    """Base of every error the build reports to the user without a traceback."""


class PageFormatError(IngestError):
    """The source page does not have the structure of the publisher's format."""

    def __init__(self, source: str, line: int | None, message: str) -> None:
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type, tuple[str, int | None, str]]:
        # Raised on a build worker, it is pickled back to the build process: rebuild it from
        # its parts (the default would call __init__ with the formatted message alone).
        return type(self), (self.source, self.line, self.message)


class LexiconError(IngestError):
    """A curated lexicon table is malformed or inconsistent."""


class ValidationError(IngestError):
    """The graph does not conform to the SHACL shapes."""


class BuildError(IngestError):
    """The build could not be installed."""
