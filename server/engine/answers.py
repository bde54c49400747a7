"""Read the answers of other SPARQL engines into the terms every engine answers with.

SPARQL JSON results are read as a stream, one solution at a time, so that an answer past the row
limit is cut without being read whole. What engines write differently from the specification is
made standard here: Virtuoso's `typed-literal` type (SPARQL JSON of 2007) is a literal with a
datatype, an explicit `xsd:string` or `rdf:langString` datatype is dropped, language tags follow
the term library's rules, and blank node labels (Virtuoso's `nodeID://b10001`) become valid ones,
the same label giving the same node, and a boolean is `true` or `false` (not Virtuoso's 1 or 0).
"""

import codecs
import hashlib
import json
from collections.abc import Callable, Iterator
from typing import IO, Any

from server.engine.terms import (
    RDF_LANG_STRING,
    XSD_STRING,
    BlankNode,
    Literal,
    NamedNode,
    Term,
    Triple,
)

_CHUNK = 64 * 1024
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_BOOLEANS = {"1": "true", "0": "false"}
_WHITESPACE = " \t\n\r"


class AnswerError(ValueError):
    """An engine's answer is not SPARQL results as the specification writes them."""


class Row:
    """One solution: `row["name"]` is the term bound to ?name or None; iterating gives the
    terms in the order of the variables."""

    __slots__ = ("_index", "_terms")

    def __init__(self, index: dict[str, int], terms: list[Term | None]) -> None:
        self._index = index
        self._terms = terms

    def __getitem__(self, name: str) -> Term | None:
        position = self._index.get(name)
        return None if position is None else self._terms[position]

    def __iter__(self) -> Iterator[Term | None]:
        return iter(self._terms)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._index, self._terms, strict=True))!r})"


def blank_node(label: str) -> BlankNode:
    """Return the blank node an engine labels `label` (the same node for the same label)."""
    return BlankNode("b" + hashlib.sha256(label.encode("utf-8")).hexdigest()[:24])


def term(value: dict[str, Any]) -> Term:
    """Return the term of a SPARQL JSON binding, standard or as Virtuoso writes it."""
    kind = value.get("type")
    text = value.get("value")
    if kind == "uri" and isinstance(text, str):
        return NamedNode(text)
    if kind == "bnode" and isinstance(text, str):
        return blank_node(text)
    if kind in ("literal", "typed-literal") and isinstance(text, str):
        language = value.get("xml:lang")
        if language:
            return Literal(text, language=str(language))
        datatype = value.get("datatype")
        if datatype and datatype not in (XSD_STRING, RDF_LANG_STRING):
            return standard_literal(text, str(datatype))
        return Literal(text)
    if kind == "triple" and isinstance(text, dict):
        parts = [term(text[name]) for name in ("subject", "predicate", "object")]
        return Triple(*parts)  # type: ignore[arg-type]
    raise AnswerError(f"not a SPARQL JSON term: {json.dumps(value)[:200]}")


def standard_literal(text: str, datatype: str) -> Literal:
    """Return a typed literal in the lexical form the embedded engine gives: Virtuoso stores
    booleans as numbers and writes `"1"^^xsd:boolean` for the `true` it was loaded with."""
    if datatype == XSD_BOOLEAN:
        text = _BOOLEANS.get(text.strip(), text)
    return Literal(text, datatype=NamedNode(datatype))


def standard_term(found: Term) -> Term:
    """Return `found` (a term of a graph answer) as `standard_literal` would give it."""
    if isinstance(found, Literal) and found.datatype.value == XSD_BOOLEAN:
        return standard_literal(found.value, XSD_BOOLEAN)
    return found


class _Reader:
    """Characters of a UTF-8 byte stream, read as far as needed."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self.text = ""
        self.pos = 0
        self.done = False

    def more(self) -> bool:
        """Read another chunk; return False at the end of the stream."""
        if self.done:
            return False
        chunk = self._stream.read(_CHUNK)
        if not chunk:
            self.done = True
            self.text = self.text[self.pos :] + self._decoder.decode(b"", final=True)
            self.pos = 0
            return False
        self.text = self.text[self.pos :] + self._decoder.decode(chunk)
        self.pos = 0
        return True

    def peek(self) -> str:
        """Return the next character that is not white space ('' at the end)."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.more():
                return ""

    def expect(self, char: str) -> None:
        found = self.peek()
        if found != char:
            raise AnswerError(f"expected {char!r} in the JSON answer, found {found!r}")
        self.pos += 1

    def value(self, decode: Callable[[str, int], tuple[Any, int]]) -> Any:
        """Decode the JSON value that starts here, reading more until it is whole."""
        self.peek()
        while True:
            try:
                found, end = decode(self.text, self.pos)
            except json.JSONDecodeError as error:
                if not self.more():
                    raise AnswerError(f"the JSON answer is cut or malformed: {error}") from None
                continue
            # A number at the end of the buffer may go on in the next chunk.
            if end == len(self.text) and not isinstance(found, dict | list | str):
                if self.more():
                    continue
            self.pos = end
            return found


class JsonAnswer:
    """A SPARQL JSON answer read as a stream: `variables` and `rows()`, or `boolean`."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._reader = _Reader(stream)
        self._decode = json.JSONDecoder().raw_decode
        self.variables: list[str] = []
        self.boolean: bool | None = None
        self._in_bindings = False
        self._read_head()

    def _read_head(self) -> None:
        """Read up to the first solution (or the whole answer of an ASK query)."""
        reader = self._reader
        reader.expect("{")
        while True:
            char = reader.peek()
            if char == "}":
                reader.pos += 1
                return
            if char == ",":
                reader.pos += 1
                continue
            key = reader.value(self._decode)
            reader.expect(":")
            if key == "head":
                head = reader.value(self._decode)
                self.variables = [str(name) for name in head.get("vars", [])]
            elif key == "boolean":
                self.boolean = bool(reader.value(self._decode))
            elif key == "results":
                if self._enter_bindings():
                    return
            else:
                reader.value(self._decode)

    def _enter_bindings(self) -> bool:
        """Read the results object up to its bindings array; return whether it was found."""
        reader = self._reader
        reader.expect("{")
        while True:
            char = reader.peek()
            if char == "}":
                reader.pos += 1
                return False
            if char == ",":
                reader.pos += 1
                continue
            key = reader.value(self._decode)
            reader.expect(":")
            if key == "bindings":
                reader.expect("[")
                self._in_bindings = True
                return True
            reader.value(self._decode)

    def rows(self) -> Iterator[Row]:
        """Yield the solutions, reading the stream as they are taken."""
        if not self._in_bindings:
            return
        reader = self._reader
        index = {name: position for position, name in enumerate(self.variables)}
        while True:
            char = reader.peek()
            if char == "]":
                reader.pos += 1
                self._in_bindings = False
                return
            if char == ",":
                reader.pos += 1
                continue
            if char != "{":
                raise AnswerError(f"expected a solution in the JSON answer, found {char!r}")
            binding = reader.value(self._decode)
            terms: list[Term | None] = [None] * len(self.variables)
            for name, value in binding.items():
                position = index.get(name)
                # A name the head does not list is no variable of the query.
                if position is not None:
                    terms[position] = term(value)
            yield Row(index, terms)
