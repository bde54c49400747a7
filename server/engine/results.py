"""Write SPARQL results, stopping at a row limit (in a query process, or from a remote answer).

pyoxigraph serializes a whole result with no way to stop early. SELECT answers are first
serialized by the engine into a bounded buffer and their rows counted; an answer within the row
limit (the usual case) is sent as the engine wrote it. Otherwise solutions are written here, row
by row, in the four W3C result formats, up to the limit; graphs go through pyoxigraph's RDF
serializers fed by a counting iterator. Each writer returns whether the row limit cut the result.
"""

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Generic, TypeAlias, TypeVar
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph

from server.engine.terms import GRAPH_FORMATS, XSD_STRING, Term, Triple

# A row of solutions: the terms in the order of the variables, None where one is unbound (a
# QuerySolution iterates so, and so does a tuple).
Row: TypeAlias = Iterable[Term | None]

SOLUTION_FORMATS = ("json", "xml", "csv", "tsv")
RESULT_FORMATS = {
    "json": pyoxigraph.QueryResultsFormat.JSON,
    "xml": pyoxigraph.QueryResultsFormat.XML,
    "csv": pyoxigraph.QueryResultsFormat.CSV,
    "tsv": pyoxigraph.QueryResultsFormat.TSV,
}


T = TypeVar("T")


class _Limited(Generic[T]):
    """Iterate at most `limit` items and remember whether more were available."""

    def __init__(self, items: Iterable[T], limit: int) -> None:
        self._items = iter(items)
        self._limit = limit
        self.count = 0
        self.truncated = False

    def __iter__(self) -> Iterator[T]:
        for item in self._items:
            if self.count >= self._limit:
                self.truncated = True
                return
            self.count += 1
            yield item


class _Full(OSError):
    """Raised into the engine's serializer when an answer outgrows its buffer."""


class _Buffer(io.BytesIO):
    """An in-memory file that refuses to grow past `limit` bytes."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.full = False

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self.tell() + len(data) > self.limit:
            self.full = True
            raise _Full("the answer outgrew its buffer")
        return super().write(data)


def serialize_solutions(
    solutions: pyoxigraph.QuerySolutions, *, fmt: str, max_rows: int, max_bytes: int
) -> tuple[bytes, int] | None:
    """Serialize SELECT solutions with the engine's own writer; return (bytes, rows).

    The engine cannot stop at a row limit, so the rows are counted afterwards; None means the
    answer has more than `max_rows` rows or more than `max_bytes` bytes, and must be written
    row by row (`write_solutions`) from a new run of the query.
    """
    buffer = _Buffer(max_bytes)
    try:
        solutions.serialize(buffer, RESULT_FORMATS[fmt])
    except OSError:
        if buffer.full:
            return None
        raise
    data = buffer.getvalue()
    rows = _count_rows(data, fmt)
    return (data, rows) if rows <= max_rows else None


def _count_rows(data: bytes, fmt: str) -> int:
    """Count the solutions of a serialized answer, exactly (no format hides a row boundary)."""
    if fmt == "json":
        return len(json.loads(data)["results"]["bindings"])
    if fmt == "xml":
        # Text and attribute values escape '<', so the tag only occurs as a tag.
        return data.count(b"<result>") + data.count(b"<result/>")
    if fmt == "tsv":
        # TSV escapes newlines inside terms; the header is one line.
        return data.count(b"\n") - 1
    # CSV may quote newlines: let the csv reader find the records.
    return sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8"), newline=""))) - 1


def write_solutions(
    solutions: pyoxigraph.QuerySolutions, out: IO[bytes], *, fmt: str, max_rows: int
) -> tuple[int, bool]:
    """Write SELECT solutions as json/xml/csv/tsv; return (rows written, cut by the limit)."""
    names = [variable.value for variable in solutions.variables]
    return write_rows(names, solutions, out, fmt=fmt, max_rows=max_rows)


def write_rows(
    names: list[str], rows: Iterable[Row], out: IO[bytes], *, fmt: str, max_rows: int
) -> tuple[int, bool]:
    """Write rows of terms (in the order of `names`) as json/xml/csv/tsv, up to `max_rows`."""
    limited = _Limited(rows, max_rows)
    writers = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}
    writers[fmt](names, limited, out)
    return limited.count, limited.truncated


def write_triples_as_solutions(
    triples: Iterable[Triple], out: IO[bytes], *, max_rows: int
) -> tuple[int, bool]:
    """Write graph results as SPARQL JSON rows (subject, predicate, object), for HTML tables."""
    rows = _Limited(((t.subject, t.predicate, t.object) for t in triples), max_rows)
    _json(["subject", "predicate", "object"], rows, out)
    return rows.count, rows.truncated


def write_triples(
    triples: Iterable[Triple],
    out: IO[bytes],
    *,
    fmt: str,
    max_rows: int,
    prefixes: dict[str, str],
) -> tuple[int, bool]:
    """Write graph results in an RDF format; return (triples written, cut by the limit)."""
    limited = _Limited(triples, max_rows)
    rdf_format = GRAPH_FORMATS[fmt]
    wanted = prefixes if fmt in ("turtle", "rdfxml", "jsonld") else None
    pyoxigraph.serialize(limited, out, rdf_format, prefixes=wanted)  # type: ignore[arg-type]
    return limited.count, limited.truncated


def write_boolean(result: pyoxigraph.QueryBoolean | bool, out: IO[bytes], *, fmt: str) -> None:
    """Write an ASK result in a result format (as the engine writes them, for a bool too)."""
    if not isinstance(result, bool):
        result.serialize(out, RESULT_FORMATS[fmt])
        return
    value = b"true" if result else b"false"
    if fmt == "json":
        out.write(b'{"head":{},"boolean":' + value + b"}")
    elif fmt == "xml":
        out.write(
            b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            b"<head></head><boolean>" + value + b"</boolean></sparql>"
        )
    else:
        out.write(value)


# JSON (https://www.w3.org/TR/sparql11-results-json/), with RDF 1.2 triple terms.


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    value: dict[str, object] = {"type": "literal", "value": term.value}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        value["datatype"] = term.datatype.value
    return value


def _json(names: list[str], rows: Iterable[Row], out: IO[bytes]) -> None:
    out.write(b'{"head":{"vars":' + json.dumps(names).encode() + b'},"results":{"bindings":[')
    keys = [json.dumps(name) + ": " for name in names]
    encoded = _Encoded(lambda term: json.dumps(_json_term(term), ensure_ascii=False))
    chunks = _Chunks(out)
    separator = ""
    for row in rows:
        cells = ", ".join(
            key + encoded(term) for key, term in zip(keys, row, strict=True) if term is not None
        )
        chunks.write(separator + "{" + cells + "}")
        separator = ","
    chunks.write("]}}\n")
    chunks.flush()


class _Encoded:
    """Encode terms with `encode`, remembering recent ones: answers repeat the same terms."""

    _LIMIT = 50_000

    def __init__(self, encode: Callable[[Term], str]) -> None:
        self._encode = encode
        self._seen: dict[Term, str] = {}

    def __call__(self, term: Term) -> str:
        text = self._seen.get(term)
        if text is None:
            text = self._encode(term)
            if len(self._seen) >= self._LIMIT:
                self._seen.clear()
            self._seen[term] = text
        return text


class _Chunks:
    """Collect text and write it to a binary stream in chunks of about 64 KiB."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self._parts: list[str] = []
        self._size = 0

    def write(self, text: str) -> None:
        self._parts.append(text)
        self._size += len(text)
        if self._size >= 65536:
            self.flush()

    def flush(self) -> None:
        if self._parts:
            self._out.write("".join(self._parts).encode())
            self._parts.clear()
            self._size = 0


# XML (https://www.w3.org/TR/rdf-sparql-XMLres/).


def _xml_term(term: Term) -> str:
    if isinstance(term, pyoxigraph.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, pyoxigraph.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, pyoxigraph.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject>"
            f"<predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>"
        )
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _xml(names: list[str], rows: Iterable[Row], out: IO[bytes]) -> None:
    head = "".join(f"<variable name={quoteattr(name)}/>" for name in names)
    out.write(
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        + f"<head>{head}</head><results>".encode()
    )
    openings = [f"<binding name={quoteattr(name)}>" for name in names]
    encoded = _Encoded(_xml_term)
    chunks = _Chunks(out)
    for row in rows:
        cells = "".join(
            opening + encoded(term) + "</binding>"
            for opening, term in zip(openings, row, strict=True)
            if term is not None
        )
        chunks.write(f"\n<result>{cells}</result>")
    chunks.write("\n</results></sparql>\n")
    chunks.flush()


# CSV and TSV (https://www.w3.org/TR/sparql11-results-csv-tsv/).


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, pyoxigraph.Triple):
        return _tsv_value(term)
    return term.value


def _csv(names: list[str], rows: Iterable[Row], out: IO[bytes]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_csv_value(term) for term in row])
        if buffer.tell() > 65536:
            out.write(buffer.getvalue().encode())
            buffer.seek(0)
            buffer.truncate()
    out.write(buffer.getvalue().encode())


def _tsv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.Triple):
        parts = (term.subject, term.predicate, term.object)
        return "<<( " + " ".join(_tsv_value(part) for part in parts) + " )>>"
    # str() of a pyoxigraph term is its N-Triples form, which escapes tabs and newlines.
    return str(term)


def _tsv(names: list[str], rows: Iterable[Row], out: IO[bytes]) -> None:
    encoded = _Encoded(_tsv_value)
    chunks = _Chunks(out)
    chunks.write("\t".join(f"?{name}" for name in names) + "\n")
    for row in rows:
        chunks.write("\t".join("" if term is None else encoded(term) for term in row) + "\n")
    chunks.flush()
