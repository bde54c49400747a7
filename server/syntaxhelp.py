"""Engine errors in the user's terms: where the query goes wrong, what is wrong, what to do.

The engine's parser reports the furthest position it reached and the tokens its grammar would
have taken there ("expected one of Prefix not found, ['%'], ['-' | '0' ..= '9' | ..."): exact,
but written for the grammar's authors, and after a misspelt keyword often far from the mistake.
So the query is read here again, with positions, for the usual culprits: an empty query, an
unclosed string, an undeclared prefix, a word that is no SPARQL keyword, a bracket that closes
nothing or is never closed. The first one at or before the engine's position is shown with its
line, column and a caret, and a hint; anything else keeps the engine's position and a readable
form of what it expected. A query calling other endpoints (SERVICE) that fails while it runs is
reported with the endpoint it called. `mkg query`, /sparql and the query page all use this.
"""

import difflib
import json
import re
from dataclasses import dataclass

from ingest.namespaces import PREFIXES
from server.sparqltext import QueryTextError, inspect_query

_ENGINE_POSITION = re.compile(r"^error at (\d+):(\d+): ?(?:expected )?(.*)", re.S)

# Every word SPARQL 1.1 Query and Update read outside IRIs, strings and names, with the SPARQL
# 1.2 and Oxigraph additions the engine accepts: keywords, built-in functions and aggregates.
KEYWORDS = frozenset(
    """
    BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK DISTINCT REDUCED AS FROM NAMED WHERE GROUP BY
    HAVING ORDER ASC DESC LIMIT OFFSET VALUES UNDEF OPTIONAL UNION MINUS GRAPH SERVICE SILENT
    BIND FILTER NOT IN EXISTS A TRUE FALSE SEPARATOR LATERAL VERSION
    COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT
    STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN
    UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY
    HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE
    IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE
    TRIPLE SUBJECT PREDICATE OBJECT ISTRIPLE LANGDIR HASLANG HASLANGDIR STRLANGDIR ADJUST
    INSERT DELETE DATA LOAD CLEAR CREATE DROP COPY MOVE ADD WITH USING DEFAULT ALL TO INTO
    """.split()
)
QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
# Items of an engine's 'expected' list that name a check that failed, not a token to write.
_ENGINE_NOISE = ("Prefix not found", "IRI parsing failed")
_EXAMPLE = "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
_EXCERPT_WIDTH = 100
# One item of an engine's 'expected' list: a quoted token, a character class or a word.
_EXPECTED_ITEM = re.compile(r'"(?:[^"\\]|\\.)*"|\[[^\]]*\]|[^,\s][^,]*')


@dataclass(frozen=True)
class Explanation:
    """A syntax error to read: what is wrong, where (1-based), the line with a caret, a hint."""

    message: str
    line: int | None = None
    column: int | None = None
    excerpt: str = ""
    hint: str | None = None

    def where(self) -> str:
        """Return the message with its position and the excerpt, without the hint."""
        if self.line is None:
            return f"SPARQL syntax error: {self.message}"
        head = f"SPARQL syntax error at line {self.line}, column {self.column}: {self.message}"
        return head + ("\n" + self.excerpt if self.excerpt else "")

    def text(self) -> str:
        """Return the whole explanation: position, message, excerpt and hint, one per line."""
        return self.where() + (f"\nhint: {self.hint}" if self.hint else "")

    def fields(self) -> dict[str, object]:
        """Return what a JSON error carries beside its message: line, column and hint."""
        found: dict[str, object] = {}
        if self.line is not None:
            found.update(line=self.line, column=self.column)
        if self.hint:
            found["hint"] = self.hint
        return found


def explain(query: str, message: str) -> Explanation:
    """Explain the engine's (or the lexer's) syntax error `message` about `query`."""
    text = _Text(query)
    tokens = _scan(query)
    match = _ENGINE_POSITION.match(message)
    position = text.offset(int(match.group(1)), int(match.group(2))) if match else None
    expected = _expected(match.group(3)) if match else []
    limit = len(query) if position is None else position
    if not tokens:
        return Explanation("the query is empty", hint=f"write a query, such as {_EXAMPLE}")
    if match is not None and "IRI parsing failed" in match.group(3):
        return _bad_iri(text, limit)
    # The engine reads from the start: the first culprit it reached is the one it stopped at.
    findings = [
        found
        for finding in (
            _unclosed_string,
            _undeclared_prefix,
            _unknown_word,
            _misplaced_bracket,
            _no_projection,
        )
        if (found := finding(tokens, limit)) is not None
    ]
    if findings:
        start, end, what, hint = min(findings, key=lambda found: found[0])
        return text.explain(start, end - start, what, hint)
    if match is None:
        return Explanation(message)
    if limit >= tokens[-1].end:
        return _ends_early(text, tokens, limit, expected)
    here = next((token for token in tokens if token.start >= limit), None)
    size = len(here.text) if here is not None and here.start == limit else 1
    if here is not None and here.start == limit:
        what = f"unexpected {here.text!r}"
    else:
        what = "the query cannot be read from here"
    hint = _expected_hint(expected)
    opened = _open_brackets(tokens, limit)
    if opened:
        line, column = text.position(opened[-1].start)
        still = f"the {opened[-1].text} opened at line {line}, column {column} is still open"
        hint = f"{hint}; {still}" if hint else still
    return text.explain(limit, size, what, hint)


@dataclass(frozen=True)
class RemoteFailure:
    """A SERVICE call that failed: the message to show and the endpoints the query calls."""

    message: str
    endpoints: tuple[str, ...]


def remote_failure(query: str, error: BaseException, *, base: str | None) -> RemoteFailure | None:
    """Name the endpoint behind an error raised while a federated query ran (None: no SERVICE)."""
    try:
        services = inspect_query(query, base=base).services
    except QueryTextError:
        return None
    if not services:
        return None
    endpoints = tuple(dict.fromkeys(target for target in services if target is not None))
    detail = (str(error).splitlines() or [type(error).__name__])[0].removesuffix(" with payload:")
    detail = detail[:300]
    named = [endpoint for endpoint in endpoints if endpoint in str(error)]
    if len(named) == 1 or len(endpoints) == 1:
        endpoint = (named or list(endpoints))[0]
        message = f"the remote SPARQL endpoint <{endpoint}> (SERVICE) failed: {detail}"
    elif endpoints:
        listed = ", ".join(f"<{endpoint}>" for endpoint in endpoints)
        message = f"one of the remote SPARQL endpoints this query calls ({listed}) failed: {detail}"
    else:
        message = f"the remote SPARQL endpoint this query chose at run time failed: {detail}"
    return RemoteFailure(message, endpoints)


# Reading the query again, with positions.


@dataclass(frozen=True)
class _Token:
    kind: str  # iri, string, unterminated, variable, pname, bnode, lang, number, word, punct
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


_LOCAL_CHAR = r"(?:[\w\-:%\u00B7]|\\.)"
_PATTERNS = [
    ("space", re.compile(r"\s+")),
    ("comment", re.compile(r"#[^\r\n]*")),
    ("iri", re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")),
    ("string", re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""', re.S)),
    ("string", re.compile(r"'''(?:[^'\\]|\\.|'(?!''))*'''", re.S)),
    ("unterminated", re.compile(r'"""[\s\S]*|\'\'\'[\s\S]*')),
    ("string", re.compile(r'"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\'')),
    ("unterminated", re.compile(r'"[^\n\r]*|\'[^\n\r]*')),
    ("variable", re.compile(r"[?$][\w\u00B7\u0300-\u036F\u203F\u2040]+")),
    ("lang", re.compile(r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*")),
    ("bnode", re.compile(r"_:[\w\-.\u00B7]*")),
    ("number", re.compile(r"(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")),
    (
        "pname",
        re.compile(
            rf"(?:[^\W\d_](?:[\w.\-\u00B7]*[\w\-\u00B7])?)?:(?:{_LOCAL_CHAR}(?:(?:{_LOCAL_CHAR}|\.)*{_LOCAL_CHAR})?)?"
        ),
    ),
    ("word", re.compile(r"[^\W\d][\w]*")),
]


def _scan(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(query):
        for kind, pattern in _PATTERNS:
            match = pattern.match(query, pos)
            if match and match.end() > pos:
                if kind not in ("space", "comment"):
                    tokens.append(_Token(kind, match.group(0), pos))
                pos = match.end()
                break
        else:
            tokens.append(_Token("punct", query[pos], pos))
            pos += 1
    return tokens


Finding = tuple[int, int, str, str | None]


def _unclosed_string(tokens: list[_Token], limit: int) -> Finding | None:
    for token in tokens:
        if token.kind == "unterminated" and token.start <= limit:
            quote = token.text[:3] if token.text[:3] in ('"""', "'''") else token.text[0]
            hint = f"end the string with {quote}"
            if len(quote) == 1:
                hint += f" on the same line (text over several lines goes between {quote * 3})"
            return token.start, token.start + len(quote), "this string is never closed", hint
    return None


def _undeclared_prefix(tokens: list[_Token], limit: int) -> Finding | None:
    declared = {
        tokens[i + 1].text[:-1]
        for i, token in enumerate(tokens[:-1])
        if token.kind == "word" and token.text.upper() == "PREFIX" and tokens[i + 1].kind == "pname"
    }
    for i, token in enumerate(tokens):
        if token.kind != "pname" or token.start > limit:
            continue
        if i > 0 and tokens[i - 1].kind == "word" and tokens[i - 1].text.upper() == "PREFIX":
            continue
        prefix = token.text.partition(":")[0]
        if prefix in declared:
            continue
        what = f"the prefix {prefix}: is not declared"
        known = {name: str(namespace) for name, namespace in PREFIXES.items()}
        if prefix in known:
            hint = f"add this line at the top of the query: PREFIX {prefix}: <{known[prefix]}>"
        else:
            hint = f"declare it at the top of the query: PREFIX {prefix}: <namespace IRI>"
            near = difflib.get_close_matches(prefix, sorted(declared | set(known)), n=1)
            if near:
                hint = f"did you mean {near[0]}:? Otherwise {hint[0].lower()}{hint[1:]}"
        return token.start, token.end, what, hint
    return None


def _unknown_word(tokens: list[_Token], limit: int) -> Finding | None:
    form = _after_prologue(tokens)
    for index, token in enumerate(tokens):
        if token.kind != "word" or token.start > limit or _known(token.text):
            continue
        word = token.text
        first = index == form
        pool = (*QUERY_FORMS, "PREFIX", "BASE") if first else sorted(KEYWORDS - {"A"})
        near = difflib.get_close_matches(word.upper(), pool, n=1, cutoff=0.6)
        what = f"{word!r} is not a SPARQL keyword"
        if near:
            hint = f"did you mean {near[0]}?"
        elif first:
            hint = "a query starts with SELECT, CONSTRUCT, DESCRIBE or ASK (after its PREFIX lines)"
        else:
            hint = f'a variable is written ?{word}, a string "{word}", a prefixed name p:{word}'
        return token.start, token.end, what, hint
    return None


def _after_prologue(tokens: list[_Token]) -> int:
    """Return the index of the first token after the BASE and PREFIX declarations."""
    index = 0
    while index < len(tokens) and tokens[index].kind == "word":
        keyword = tokens[index].text.upper()
        if keyword == "BASE":
            index += 2
        elif keyword == "PREFIX":
            index += 3
        else:
            break
    return index


def _known(word: str) -> bool:
    upper = word.upper()
    if upper in KEYWORDS:
        return True
    # The engine needs no space between two keywords ('ORDERBY', 'SERVICESILENT').
    return any(upper[:i] in KEYWORDS and upper[i:] in KEYWORDS for i in range(1, len(upper)))


def _no_projection(tokens: list[_Token], limit: int) -> Finding | None:
    for index, token in enumerate(tokens):
        if token.start > limit:
            break
        if token.kind != "word" or token.text.upper() != "SELECT":
            continue
        following = tokens[index + 1 : index + 3]
        while following and following[0].text.upper() in ("DISTINCT", "REDUCED"):
            following = following[1:]
        if following and following[0].text.upper() in ("WHERE", "{"):
            found = following[0]
            what = "SELECT names no variables to return"
            hint = "write them after SELECT (SELECT ?gene ?label WHERE ...), or * for all"
            return found.start, found.end, what, hint
    return None


_PAIRS = {"{": "}", "(": ")", "[": "]"}


def _misplaced_bracket(tokens: list[_Token], limit: int) -> Finding | None:
    stack: list[_Token] = []
    for token in tokens:
        if token.start > limit:
            break
        if token.kind != "punct":
            continue
        if token.text in _PAIRS:
            stack.append(token)
        elif token.text in _PAIRS.values():
            if not stack:
                wanted = next(key for key, value in _PAIRS.items() if value == token.text)
                hint = f"remove it, or open a {wanted} where the group should start"
                return token.start, token.end, f"this {token.text} closes nothing", hint
            opener = stack.pop()
            if _PAIRS[opener.text] != token.text:
                what = f"this {token.text} closes a {opener.text}"
                hint = f"close the {opener.text} with {_PAIRS[opener.text]} first"
                return token.start, token.end, what, hint
    return None


def _open_brackets(tokens: list[_Token], limit: int) -> list[_Token]:
    stack: list[_Token] = []
    for token in tokens:
        if token.start >= limit:
            break
        if token.kind == "punct" and token.text in _PAIRS:
            stack.append(token)
        elif token.kind == "punct" and token.text in _PAIRS.values() and stack:
            stack.pop()
    return stack


def _bad_iri(text: "_Text", limit: int) -> Explanation:
    start = text.query.rfind("<", 0, limit)
    if start < 0:
        return text.explain(limit, 1, "this IRI is not valid", None)
    end = text.query.find(">", start)
    end = limit if end < 0 else end + 1
    iri = text.query[start:end]
    hint = "write the IRI in full between < and >, without spaces, such as <https://w3id.org/mkg/>"
    return text.explain(start, end - start, f"{iri} is not a valid IRI", hint)


def _ends_early(
    text: "_Text", tokens: list[_Token], limit: int, expected: list[str]
) -> Explanation:
    last = tokens[-1]
    opened = _open_brackets(tokens, limit)
    if opened:
        line, column = text.position(opened[-1].start)
        bracket = opened[-1].text
        opened_at = f"opened at line {line}, column {column}"
        what = f"the query ends before the {bracket} {opened_at} is closed"
        return text.explain(opened[-1].start, 1, what, f"add the missing {_PAIRS[bracket]}")
    if not any(t.kind == "word" and t.text.upper() in QUERY_FORMS for t in tokens):
        what = "the query has no SELECT, CONSTRUCT, DESCRIBE or ASK"
        hint = f"after the PREFIX lines write one, such as {_EXAMPLE}"
        return text.explain(last.start, len(last.text), what, hint)
    said = _expected_hint(expected)
    if last.kind == "word" or (last.kind == "punct" and last.text not in _PAIRS.values()):
        what = f"the query ends too early, after {last.text!r}"
        return text.explain(last.start, len(last.text), what, said or "something is missing here")
    return text.explain(limit, 1, "unexpected end of the query", said)


def _expected(listed: str) -> list[str]:
    """Return the tokens an engine message lists as expected, without character classes."""
    listed = listed.strip().removeprefix("one of ")
    found = []
    for item in _EXPECTED_ITEM.findall(listed):
        item = item.strip()
        if item.startswith('"'):
            try:
                found.append(json.loads(item))
            except ValueError:
                found.append(item[1:-1])
        elif item and not item.startswith("[") and item not in _ENGINE_NOISE:
            found.append(item)
    return list(dict.fromkeys(found))


def _expected_hint(expected: list[str]) -> str | None:
    """Say what the engine expected, when that is telling: a single token, or punctuation.

    Longer lists of keywords are where the grammar's alternatives gave up, not advice.
    """
    if len(expected) == 1:
        return f"expected {expected[0]}"
    if expected and all(not item[:1].isalpha() for item in expected):
        more = " ..." if len(expected) > 10 else ""
        return "expected one of: " + " ".join(expected[:10]) + more
    return None


class _Text:
    """The query's lines: engine positions (line:column, 1-based, in characters) to offsets."""

    def __init__(self, query: str) -> None:
        self.query = query
        self.starts = [0] + [m.end() for m in re.finditer("\n", query)]

    def offset(self, line: int, column: int) -> int:
        start = self.starts[min(max(line, 1), len(self.starts)) - 1]
        return min(start + max(column, 1) - 1, len(self.query))

    def position(self, offset: int) -> tuple[int, int]:
        line = max(i for i, start in enumerate(self.starts) if start <= offset)
        return line + 1, offset - self.starts[line] + 1

    def explain(self, offset: int, size: int, what: str, hint: str | None) -> Explanation:
        line, column = self.position(offset)
        start = self.starts[line - 1]
        end = self.query.find("\n", start)
        content = self.query[start : len(self.query) if end < 0 else end].rstrip("\r")
        # One character a column, so that the caret lands under the text.
        content = content.replace("\t", " ")
        left = column - 1
        if len(content) > _EXCERPT_WIDTH:
            cut = max(0, min(left - _EXCERPT_WIDTH // 2, len(content) - _EXCERPT_WIDTH))
            shown = content[cut : cut + _EXCERPT_WIDTH]
            prefix = "..." if cut else ""
            content = prefix + shown + ("..." if cut + _EXCERPT_WIDTH < len(content) else "")
            left = left - cut + len(prefix)
        width = max(1, min(size, len(content) - left)) if left < len(content) else 1
        excerpt = f"  {content}\n  {' ' * left}{'^' * width}"
        return Explanation(what, line, column, excerpt, hint)
