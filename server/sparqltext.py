"""Read what a SPARQL request asks for before the engine sees it: form, dataset, SERVICE targets.

The lexer follows the SPARQL 1.1 grammar for the tokens that can hide text (IRIs, strings,
comments), so that a keyword is only seen where the engine would see it. Anything it cannot
classify is treated as suspicious by the callers (fail closed), never as harmless.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)

# IRIREF: no spaces, no <>"{}|^`\ except UCHAR escapes (which the engine decodes).
_IRI = re.compile(r"<((?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*)>")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LONG_STRING = {
    '"""': re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""', re.S),
    "'''": re.compile(r"'''(?:[^'\\]|\\.|'(?!''))*'''", re.S),
}
_SHORT_STRING = {
    '"': re.compile(r'"(?:[^"\\\n\r]|\\.)*"'),
    "'": re.compile(r"'(?:[^'\\\n\r]|\\.)*'"),
}
_SPACE = re.compile(r"\s+")
_COMMENT = re.compile(r"#[^\r\n]*")
# Words, split where the engine splits them: a variable stops at '.', a prefixed name may hold
# inner dots, a number is digits with an optional fraction and exponent.
_VARIABLE = re.compile(r"[?$][\w\u00B7\u0300-\u036F\u203F\u2040]*")
_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_LANGTAG = re.compile(r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*")
_NAME_CHAR = r"(?:[\w\-\u00B7:%]|\\.)"
_PNAME = re.compile(
    rf"(?:[^\W\d](?:[\w.\-\u00B7]*[\w\-\u00B7])?)?:(?:{_NAME_CHAR}(?:(?:{_NAME_CHAR}|\.)*{_NAME_CHAR})?)?"
)
_KEYWORD = re.compile(r"[^\W\d][\w\-]*")
_PN_LOCAL_ESCAPE = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")


# How deep a query may nest brackets and prefix operators: far beyond what people write (the named
# queries stay under 10), far below where the engine's recursive parser runs out of stack (1,000
# nested FILTER EXISTS, 5,000 braces, 20,000 '!') or turns slow (256 nested blank nodes).
MAX_NESTING = 64
_OPENERS = {"{": "}", "(": ")", "[": "]"}
_CLOSERS = frozenset(_OPENERS.values())
_PREFIX_OPERATORS = frozenset("!-+^")


class QueryTextError(ValueError):
    """The text cannot be tokenized the way the engine would (e.g. an unterminated string)."""


@dataclass(frozen=True)
class Token:
    """One lexical token: kind is 'iri', 'string', 'word' or 'punct'; text is its value.

    `start` and `end` are its offsets in the query text.
    """

    kind: str
    text: str
    start: int = field(default=-1, compare=False)
    end: int = field(default=-1, compare=False)


def tokenize(text: str) -> list[Token]:
    """Split SPARQL text into tokens, dropping whitespace and comments."""
    tokens: list[Token] = []
    pos, end = 0, len(text)
    while pos < end:
        char = text[pos]
        if char.isspace():
            pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
        elif char == "#":
            # A comment runs to the end of the line, and SPARQL ends lines at CR as well as LF.
            pos = _COMMENT.match(text, pos).end()  # type: ignore[union-attr]
        elif char == "<" and (match := _IRI.match(text, pos)):
            value = _UCHAR.sub(_decode_uchar, match.group(1))
            tokens.append(Token("iri", value, pos, match.end()))
            pos = match.end()
        elif char in "\"'":
            match = _string_at(text, pos)
            tokens.append(Token("string", match.group(0), pos, match.end()))
            pos = match.end()
        elif match := _word_at(text, pos):
            tokens.append(Token("word", match.group(0), pos, match.end()))
            pos = match.end()
        else:
            tokens.append(Token("punct", char, pos, pos + 1))
            pos += 1
    return tokens


def _string_at(text: str, pos: int) -> re.Match[str]:
    triple = text[pos : pos + 3]
    pattern = _LONG_STRING.get(triple) or _SHORT_STRING[text[pos]]
    match = pattern.match(text, pos)
    if match is None:
        line = text.count("\n", 0, pos) + 1
        raise QueryTextError(f"unterminated string starting on line {line}")
    return match


def _word_at(text: str, pos: int) -> re.Match[str] | None:
    char = text[pos]
    if char in "?$":
        return _VARIABLE.match(text, pos)
    if char == "@":
        return _LANGTAG.match(text, pos)
    return _NUMBER.match(text, pos) or _PNAME.match(text, pos) or _KEYWORD.match(text, pos)


def _decode_uchar(match: re.Match[str]) -> str:
    return chr(int(match.group(1) or match.group(2), 16))


@dataclass
class QueryInfo:
    """What a request's text is: its form, its dataset clauses, its SERVICE targets."""

    form: str | None = None
    has_dataset_clause: bool = False
    # Resolved SERVICE endpoint IRIs; None stands for a target that cannot be known in advance.
    services: list[str | None] = field(default_factory=list)
    # The deepest nesting of brackets and prefix operators (see `nesting`).
    nesting: int = 0


def inspect_query(text: str, *, base: str | None = None) -> QueryInfo:
    """Return the form (SELECT, ASK, ..., or an update keyword), FROM use and SERVICE targets.

    `base` is the base IRI the engine resolves relative IRIs against, unless the query sets one.
    """
    tokens = tokenize(text)
    info = QueryInfo(nesting=nesting(tokens))
    # The prologue: BASE <iri> and PREFIX name: <iri>, in any order.
    base, prefixes, index = _prologue(tokens, base)
    if index < len(tokens) and tokens[index].kind == "word":
        info.form = _form_of(tokens[index].text.upper())
    for position, token in enumerate(tokens):
        if token.kind != "word" or token.text[0] in "?$" or ":" in token.text:
            continue
        word = token.text.upper()
        # The engine does not need a word boundary after a keyword ('SERVICESILENT<...>' runs),
        # so any bare word holding these letters counts.
        if word.startswith("FROM"):
            info.has_dataset_clause = True
        if word == "SERVICE":
            info.services.append(_service_target(tokens, position + 1, base, prefixes))
        elif "SERVICE" in word:
            info.services.append(None)
    return info


@dataclass(frozen=True)
class Dataset:
    """A query's dataset clauses: the graphs of FROM and of FROM NAMED, resolved, and the text
    of the query without them."""

    default: tuple[str, ...]
    named: tuple[str, ...]
    text: str


def dataset_clauses(text: str, *, base: str | None = None) -> Dataset | None:
    """Return the query's FROM and FROM NAMED graphs and its text without them (None if none).

    Raise QueryTextError when a clause cannot be read (a FROM not followed by a graph's IRI):
    a caller that pins a query's dataset must not send it on.
    """
    tokens = tokenize(text)
    base, prefixes, _ = _prologue(tokens, base)
    default: list[str] = []
    named: list[str] = []
    cuts: list[tuple[int, int]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        bare = token.kind == "word" and token.text[0] not in "?$" and ":" not in token.text
        if not (bare and token.text.upper() == "FROM"):
            # The engine needs no word boundary after a keyword ('FROM<a>' is read, and so
            # might be 'FROMNAMED'): a bare word it cannot split is not guessed at.
            if bare and token.text.upper().startswith("FROM"):
                raise QueryTextError(f"cannot read the dataset clause {token.text!r}")
            index += 1
            continue
        start = token.start
        index += 1
        target = default
        if _kind(tokens, index) == "word" and tokens[index].text.upper() == "NAMED":
            target = named
            index += 1
        iri = _iri_of(tokens, index, base, prefixes)
        if iri is None:
            raise QueryTextError("FROM must be followed by the IRI of a graph")
        target.append(iri)
        cuts.append((start, tokens[index].end))
        index += 1
    if not cuts:
        return None
    pieces, last = [], 0
    for start, end in cuts:
        pieces += [text[last:start], " " * (end - start)]
        last = end
    pieces.append(text[last:])
    return Dataset(tuple(default), tuple(named), "".join(pieces))


def _prologue(tokens: list[Token], base: str | None) -> tuple[str | None, dict[str, str], int]:
    """Read BASE and PREFIX declarations; return the base, the prefixes and where they end."""
    prefixes: dict[str, str] = {}
    index = 0
    while index < len(tokens) and tokens[index].kind == "word":
        keyword = tokens[index].text.upper()
        if keyword == "BASE" and _kind(tokens, index + 1) == "iri":
            base = _resolve(tokens[index + 1].text, base)
            index += 2
        elif keyword == "PREFIX" and _kind(tokens, index + 1) == "word":
            name = tokens[index + 1].text
            if _kind(tokens, index + 2) == "iri" and name.endswith(":"):
                prefixes[name[:-1]] = _resolve(tokens[index + 2].text, base)
            index += 3
        else:
            break
    return base, prefixes, index


def nesting(tokens: list[Token]) -> int:
    """Return how deep the tokens nest: open brackets plus runs of prefix operators inside them.

    Both make a recursive-descent parser go one level deeper ('!!!x', '- - x', '^^p'), so they
    count together: each bracket adds one, each operator of an unbroken run adds one within it.
    """
    deepest = 0
    # For each open bracket, the depth its contents start from.
    stack: list[int] = []
    run = 0
    for token in tokens:
        base = stack[-1] if stack else 0
        if token.kind == "punct" and token.text in _PREFIX_OPERATORS:
            run += 1
            deepest = max(deepest, base + run)
            continue
        if token.kind == "punct" and token.text in _OPENERS:
            stack.append(base + run + 1)
            deepest = max(deepest, stack[-1])
        elif token.kind == "punct" and token.text in _CLOSERS and stack:
            stack.pop()
        run = 0
    return deepest


def _form_of(word: str) -> str | None:
    for keyword in sorted(QUERY_FORMS | UPDATE_KEYWORDS, key=len, reverse=True):
        if word.startswith(keyword):
            return keyword
    return None


def _kind(tokens: list[Token], index: int) -> str | None:
    return tokens[index].kind if index < len(tokens) else None


def _resolve(iri: str, base: str | None) -> str:
    return urljoin(base, iri) if base else iri


def _service_target(
    tokens: list[Token], index: int, base: str | None, prefixes: dict[str, str]
) -> str | None:
    if _kind(tokens, index) == "word" and tokens[index].text.upper() == "SILENT":
        index += 1
    return _iri_of(tokens, index, base, prefixes)


def _iri_of(
    tokens: list[Token], index: int, base: str | None, prefixes: dict[str, str]
) -> str | None:
    """Return the IRI the token at `index` writes (an IRI or a prefixed name), or None."""
    if index >= len(tokens):
        return None
    token = tokens[index]
    if token.kind == "iri":
        return _resolve(token.text, base)
    if token.kind == "word" and ":" in token.text and token.text[0] not in "?$":
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + _PN_LOCAL_ESCAPE.sub(r"\1", local)
    return None


@dataclass(frozen=True)
class Description:
    """What a DESCRIBE query describes: IRIs it names, and a SELECT of the variables it names
    (None when it names none), the rest of the query unchanged."""

    iris: tuple[str, ...]
    select: str | None


def describe_parts(text: str, *, base: str | None = None) -> Description | None:
    """Split a DESCRIBE query into the IRIs it names and a SELECT of its variables (or of every
    variable, for `DESCRIBE *`); None if the text is no DESCRIBE query the lexer can read."""
    tokens = tokenize(text)
    base, prefixes, index = _prologue(tokens, base)
    if _kind(tokens, index) != "word" or tokens[index].text.upper() != "DESCRIBE":
        return None
    keyword = tokens[index]
    iris: list[str] = []
    variables: list[str] = []
    star = False
    position = index + 1
    while position < len(tokens):
        token = tokens[position]
        if token.kind == "punct" and token.text == "*":
            star = True
        elif token.kind == "word" and token.text[0] in "?$":
            variables.append("?" + token.text[1:])
        elif token.kind == "iri" or (token.kind == "word" and ":" in token.text):
            iri = _iri_of(tokens, position, base, prefixes)
            if iri is None:
                return None
            iris.append(iri)
        else:
            break
        position += 1
    rest = text[tokens[position].start :] if position < len(tokens) else ""
    if not star and not variables:
        return Description(tuple(iris), None)
    projection = "*" if star else " ".join(dict.fromkeys(variables))
    select = f"{text[: keyword.start]}SELECT DISTINCT {projection} {rest}"
    return Description(tuple(iris), select)
