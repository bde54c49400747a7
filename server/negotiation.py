"""Content negotiation: one table of formats, chosen by `format=` or by Accept with q-values."""

from collections.abc import Iterable
from dataclasses import dataclass

from werkzeug.datastructures import MIMEAccept


@dataclass(frozen=True)
class Format:
    """A representation: short name, the media type we send, other names clients use for it."""

    name: str
    media_type: str
    aliases: tuple[str, ...] = ()
    extension: str = ""

    @property
    def content_type(self) -> str:
        """Return the Content-Type header value (UTF-8 for text formats)."""
        return f"{self.media_type}; charset=utf-8"

    def names(self) -> tuple[str, ...]:
        """Return every name and media type this format answers to."""
        return (self.name, self.media_type, *self.aliases)


HTML = Format("html", "text/html", ("xhtml", "application/xhtml+xml"), "html")

# SELECT and ASK. The first format is the default for `*/*` and for a missing Accept header.
# A client asking for text/plain gets TSV rather than CSV: its terms are written in N-Triples
# syntax, so IRIs, literals, datatypes and languages survive, and it reads in a terminal.
SOLUTIONS = (
    Format("json", "application/sparql-results+json", ("application/json", "srj"), "srj"),
    Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml", "srx"), "srx"),
    Format("csv", "text/csv", (), "csv"),
    Format("tsv", "text/tab-separated-values", ("text/plain",), "tsv"),
    HTML,
)

# CONSTRUCT, DESCRIBE and every RDF document the server sends.
GRAPHS = (
    Format(
        "turtle",
        "text/turtle",
        ("ttl", "application/turtle", "application/x-turtle", "n3", "text/n3", "text/rdf+n3"),
        "ttl",
    ),
    # text/plain is N-Triples' media type of old, still what rdflib asks for (format="nt").
    Format("ntriples", "application/n-triples", ("nt", "n-triples", "text/plain"), "nt"),
    Format(
        "rdfxml",
        "application/rdf+xml",
        ("rdf", "rdf+xml", "xml", "owl", "application/xml", "text/xml"),
        "rdf",
    ),
    Format("jsonld", "application/ld+json", ("json-ld", "json", "application/json"), "jsonld"),
    HTML,
)


def by_extension(formats: Iterable[Format], extension: str) -> Format | None:
    """Return the format a file suffix ('ttl', 'jsonld', ...) names, if any."""
    for fmt in formats:
        names = (fmt.extension, fmt.name, *(a for a in fmt.aliases if "/" not in a))
        if extension.lower() in names:
            return fmt
    return None


def by_name(formats: Iterable[Format], names: Iterable[str]) -> Format | None:
    """Return the format of the first of `names` (a `format=` value or a media type) we know."""
    table = {alias.lower(): fmt for fmt in formats for alias in fmt.names()}
    for name in names:
        fmt = table.get(name.strip().lower())
        if fmt is not None:
            return fmt
    return None


def negotiate(formats: tuple[Format, ...], accept: MIMEAccept) -> Format | None:
    """Return the best format for an Accept header, honouring q-values; None when none fits."""
    if not accept:
        return formats[0]
    # Main media types first, so that a wildcard such as text/* picks one of them.
    table = {fmt.media_type: fmt for fmt in formats}
    for fmt in formats:
        for media_type in fmt.aliases:
            if "/" in media_type:
                table.setdefault(media_type, fmt)
    best = accept.best_match(list(table))
    return None if best is None else table[best]
