"""Errors of the ingest pipeline: each message says what is wrong, where, and what was expected."""


class IngestError(Exception):
    """Base of every error the build reports to the user without a traceback."""


class PageFormatError(IngestError):
    """The source page does not have the structure of the publisher's format."""

    def __init__(self, source: str, line: int | None, message: str) -> None:
        self.source = source
        self.line = line
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")


class LexiconError(IngestError):
    """A curated lexicon table is malformed or inconsistent."""


class ValidationError(IngestError):
    """The graph does not conform to the SHACL shapes."""


class BuildError(IngestError):
    """The build could not be installed."""
