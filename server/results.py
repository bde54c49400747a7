"""Write SPARQL results incrementally, stopping at a row limit (runs in a query process).

pyoxigraph serializes a whole result with no way to stop early, so solutions are written here,
row by row, in the four W3C result formats; graphs go through pyoxigraph's RDF serializers fed
by a counting iterator. Each writer returns whether the row limit cut the result.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import IO, Generic, TypeVar
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph

Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

SOLUTION_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
    "rdfxml": pyoxigraph.RdfFormat.RDF_XML,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
}
BOOLEAN_FORMATS = {
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


def write_solutions(
    solutions: pyoxigraph.QuerySolutions, out: IO[bytes], *, fmt: str, max_rows: int
) -> tuple[int, bool]:
    """Write SELECT solutions as json/xml/csv/tsv; return (rows written, cut by the limit)."""
    names = [variable.value for variable in solutions.variables]
    rows = _Limited(solutions, max_rows)
    writers = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}
    writer = writers[fmt]
    writer(names, rows, out)
    return rows.count, rows.truncated


def write_triples_as_solutions(
    triples: pyoxigraph.QueryTriples, out: IO[bytes], *, max_rows: int
) -> tuple[int, bool]:
    """Write graph results as SPARQL JSON rows (subject, predicate, object), for HTML tables."""
    rows = _Limited(
        ({"subject": t.subject, "predicate": t.predicate, "object": t.object} for t in triples),
        max_rows,
    )
    _json(["subject", "predicate", "object"], rows, out)  # type: ignore[arg-type]
    return rows.count, rows.truncated


def write_triples(
    triples: pyoxigraph.QueryTriples,
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


def write_boolean(result: pyoxigraph.QueryBoolean, out: IO[bytes], *, fmt: str) -> None:
    """Write an ASK result in a result format."""
    result.serialize(out, BOOLEAN_FORMATS[fmt])


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


def _json(names: list[str], rows: Iterable[pyoxigraph.QuerySolution], out: IO[bytes]) -> None:
    out.write(b'{"head":{"vars":' + json.dumps(names).encode() + b'},"results":{"bindings":[')
    first = True
    for row in rows:
        binding = {name: _json_term(row[name]) for name in names if row[name] is not None}
        out.write((b"" if first else b",") + json.dumps(binding, ensure_ascii=False).encode())
        first = False
    out.write(b"]}}\n")


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


def _xml(names: list[str], rows: Iterable[pyoxigraph.QuerySolution], out: IO[bytes]) -> None:
    head = "".join(f"<variable name={quoteattr(name)}/>" for name in names)
    out.write(
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        + f"<head>{head}</head><results>".encode()
    )
    for row in rows:
        cells = "".join(
            f"<binding name={quoteattr(name)}>{_xml_term(row[name])}</binding>"
            for name in names
            if row[name] is not None
        )
        out.write(f"\n<result>{cells}</result>".encode())
    out.write(b"\n</results></sparql>\n")


# CSV and TSV (https://www.w3.org/TR/sparql11-results-csv-tsv/).


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, pyoxigraph.Triple):
        return _tsv_value(term)
    return term.value


def _csv(names: list[str], rows: Iterable[pyoxigraph.QuerySolution], out: IO[bytes]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_csv_value(row[name]) for name in names])
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


def _tsv(names: list[str], rows: Iterable[pyoxigraph.QuerySolution], out: IO[bytes]) -> None:
    out.write(("\t".join(f"?{name}" for name in names) + "\n").encode())
    for row in rows:
        out.write(("\t".join(_tsv_value(row[name]) for name in names) + "\n").encode())
