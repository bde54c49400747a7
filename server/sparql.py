"""The read-only SPARQL 1.1 Protocol endpoint at /sparql, and its query page for browsers."""

import json
from collections.abc import Iterator
from typing import IO, Any
from urllib.parse import parse_qsl

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from server import cache, display, examples, federation, negotiation, servicedesc, syntaxhelp
from server.engine import Job, Outcome, QueryError, QueryRefused, QuerySyntaxError, engine
from server.engine.terms import is_iri
from server.negotiation import Format
from server.sparqltext import (
    MAX_NESTING,
    UPDATE_KEYWORDS,
    QueryInfo,
    QueryTextError,
    inspect_query,
)

bp = Blueprint("sparql", __name__)

READ_ONLY = (
    "This endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, "
    "COPY, MOVE, ADD) is not accepted"
)
_UPDATE_PARAMS = ("update", "using-graph-uri", "using-named-graph-uri")
_FORMAT_PARAMS = ("format", "output")
_FORM = "application/x-www-form-urlencoded"
_DIRECT = "application/sparql-query"
_UTF8 = ("utf-8", "utf8")
_CHUNK = 64 * 1024


@bp.after_app_request
def _cors(response: Response) -> Response:
    """Let browser clients on other origins (YASGUI, notebooks) read every response."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = (
        "MKG-Truncated, MKG-Rows, MKG-Query-Seconds, X-SPARQL-MaxRows, Content-Location, ETag"
    )
    return response


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint() -> Response:
    """Answer a SPARQL query by GET, form POST or direct POST; without one, describe the service."""
    if request.method == "OPTIONS":
        return _preflight()
    params = _post_params() if request.method == "POST" else request.args
    if any(name in params for name in _UPDATE_PARAMS):
        abort(403, READ_ONLY)
    queries = params.getlist("query")
    if len(queries) > 1:
        abort(400, f"the request carries {len(queries)} queries; send exactly one 'query'")
    if not queries:
        if request.method == "POST":
            abort(400, "no query: send a 'query' parameter or an application/sparql-query body")
        return _describe_service(params)
    return _answer(queries[0], params)


# Request headers a browser client on another origin may send. No credentials (Authorization,
# Cookie): the endpoint is public, and with `Access-Control-Allow-Origin: *` browsers would not
# send them anyway. Only headers the server reads or that are harmless to ignore are listed.
CORS_HEADERS = (
    "Accept",
    "Accept-Language",
    "Cache-Control",
    "Content-Language",
    "Content-Type",
    "If-Modified-Since",
    "If-None-Match",
    "Pragma",
    "X-Requested-With",
)
_CORS_ALWAYS = ("Accept", "Content-Type")


def _preflight() -> Response:
    """Answer a CORS preflight: the methods, and those requested headers on the safe list."""
    safe = {name.lower(): name for name in CORS_HEADERS}
    requested = request.headers.get("Access-Control-Request-Headers", "")
    names = (name.strip().lower() for name in requested.split(","))
    allowed = dict.fromkeys([*_CORS_ALWAYS, *(safe[name] for name in names if name in safe)])
    response = Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = ", ".join(allowed)
    response.headers["Access-Control-Max-Age"] = "86400"
    response.vary.add("Access-Control-Request-Headers")
    return response


def _post_params() -> MultiDict[str, str]:
    """Return the protocol parameters of a POST: the URL's plus the form's or the direct query."""
    mimetype = request.mimetype
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if mimetype == "application/sparql-update":
        abort(403, READ_ONLY)
    if mimetype not in (_FORM, _DIRECT):
        abort(
            415,
            f"POST a query as {_FORM} (query=...) or as {_DIRECT}; "
            f"got {mimetype or 'no Content-Type'}",
        )
    if charset not in _UTF8:
        abort(415, f"queries must be UTF-8 encoded; got charset={charset}")
    body = _body_text()
    params = MultiDict(request.args)
    if mimetype == _DIRECT:
        params.add("query", body)
        return params
    try:
        pairs = parse_qsl(body, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        abort(400, "the form body is not valid UTF-8 once percent-decoded")
    for name, value in pairs:
        params.add(name, value)
    return params


def _body_text() -> str:
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        abort(413, f"the request body is larger than {limit} bytes")
    try:
        return request.get_data(cache=False).decode("utf-8")
    except UnicodeDecodeError:
        abort(400, "the request body is not valid UTF-8")


def _answer(query: str, params: MultiDict[str, str]) -> Response:
    config = current_app.config
    limit = int(config["MAX_QUERY_SIZE"])
    if len(query.encode("utf-8")) > limit:
        abort(413, f"the query is longer than this endpoint's limit of {limit} bytes")
    try:
        info: QueryInfo | None = cache.inspect(query, base=request.base_url)
    except QueryTextError as error:
        info, unreadable = None, QuerySyntaxError(str(error))
    form = info.form if info else None
    formats = negotiation.GRAPHS if form in ("CONSTRUCT", "DESCRIBE") else negotiation.SOLUTIONS
    fmt = _choose(formats, params)
    if info is None:
        return _failure(query, unreadable, fmt, params)
    if info.form in UPDATE_KEYWORDS:
        return _failure(query, QueryRefused(READ_ONLY), fmt, params)
    if info.nesting > MAX_NESTING:
        message = (
            f"the query nests brackets or operators {info.nesting} levels deep; this endpoint "
            f"accepts at most {MAX_NESTING}"
        )
        return _failure(query, QueryError(message), fmt, params)
    refused, unverified = federation.refused_services(
        query,
        base=request.base_url,
        allowed=frozenset(config["SERVICE_ALLOWLIST"]),
        sealed=engine().sealed,
    )
    if refused:
        message = (
            "SERVICE (federated query) is not allowed to "
            + ", ".join(refused)
            + ": this endpoint only calls the endpoints on its allow-list"
        )
        if unverified:
            message += f"; which endpoints this query calls cannot be checked: {unverified}"
        return _failure(query, QueryRefused(message), fmt, params)
    job = _job(query, info, params, fmt)
    key = cache.request_key(job) if cache.cacheable(query, info) else None
    # GET and HEAD answers carry validators; the query page is not HTTP-cached.
    http = request.method in ("GET", "HEAD") and fmt is not negotiation.HTML
    tag = cache.etag(key) if http and key is not None else None
    if tag is not None and cache.not_modified(tag, request.if_none_match):
        return cache.not_modified_response(tag)
    try:
        outcome = cache.answer(job, key, timeout=float(config["QUERY_TIMEOUT"]))
    except QueryError as error:
        return _failure(query, error, fmt, params)
    if fmt is negotiation.HTML:
        return _page(query, params, outcome)
    response = _stream(outcome, fmt)
    return cache.cache_headers(response, tag) if http else response


def _choose(formats: tuple[Format, ...], params: MultiDict[str, str]) -> Format:
    hints = [value for name in _FORMAT_PARAMS for value in params.getlist(name) if value]
    fmt = (
        negotiation.by_name(formats, hints)
        if hints
        else negotiation.negotiate(formats, request.accept_mimetypes)
    )
    if fmt is None:
        offered = ", ".join(f.media_type for f in formats)
        asked = ", ".join(hints) if hints else request.headers.get("Accept", "")
        abort(406, f"cannot answer this query as {asked}; available: {offered}")
    return fmt


def _job(query: str, info: QueryInfo, params: MultiDict[str, str], fmt: Format) -> Job:
    default = params.getlist("default-graph-uri")
    named = params.getlist("named-graph-uri")
    for iri in (*default, *named):
        if not is_iri(iri):
            abort(400, f"not an absolute IRI: {iri!r}")
    max_rows = int(current_app.config["MAX_ROWS"])
    prefixes = display.prefixes()
    # Relative IRIs in a query resolve against the endpoint's URL (SPARQL 1.1 Protocol, 2.1.4).
    base = request.base_url
    if default or named:
        # The protocol's dataset replaces the query's FROM clauses and the union default graph.
        return Job(query, fmt.name, max_rows, False, tuple(default), tuple(named), prefixes, base)
    return Job(
        query, fmt.name, max_rows, not info.has_dataset_clause, prefixes=prefixes, base_iri=base
    )


def _stream(outcome: Outcome, fmt: Format) -> Response:
    body = outcome.body
    size = body.seek(0, 2)
    body.seek(0)
    response = Response(_chunks(body), content_type=fmt.content_type)
    response.headers["Content-Length"] = str(size)
    response.headers["Vary"] = "Accept"
    _limit_headers(response, outcome)
    response.call_on_close(body.close)
    return response


def _chunks(body: IO[bytes]) -> Iterator[bytes]:
    try:
        while chunk := body.read(_CHUNK):
            yield chunk
    finally:
        body.close()


def _limit_headers(response: Response, outcome: Outcome) -> None:
    response.headers["MKG-Rows"] = str(outcome.rows)
    response.headers["MKG-Query-Seconds"] = f"{outcome.seconds:.3f}"
    if outcome.truncated:
        max_rows = current_app.config["MAX_ROWS"]
        response.headers["MKG-Truncated"] = f"true; max-rows={max_rows}"
        # The header Virtuoso sends for the same situation, which some clients look for.
        response.headers["X-SPARQL-MaxRows"] = str(max_rows)


def _failure(query: str, error: QueryError, fmt: Format, params: MultiDict[str, str]) -> Response:
    """Show the error on the query page for a browser; raise it for the error handler otherwise.

    A syntax error is explained first (line, column, the text with a caret, a hint).
    """
    hint = None
    if isinstance(error, QuerySyntaxError):
        explanation = syntaxhelp.explain(query, str(error))
        message, hint = explanation.where(), explanation.hint
        error = QuerySyntaxError(explanation.text(), **explanation.fields())
    else:
        message = str(error)
    if fmt is negotiation.HTML:
        context = _page_context(query, params)
        page = render_template("sparql.html", **context, error=message, error_hint=hint)
        return Response(page, status=error.status, content_type=negotiation.HTML.content_type)
    raise error


def _page(query: str, params: MultiDict[str, str], outcome: Outcome) -> Response:
    data = json.loads(outcome.body.read().decode("utf-8"))
    outcome.body.close()
    table = display.result_table(data)
    page = render_template(
        "sparql.html",
        **_page_context(query, params),
        table=table,
        kind=outcome.kind,
        outcome=outcome,
        max_rows=current_app.config["MAX_ROWS"],
    )
    response = Response(page, content_type=negotiation.HTML.content_type)
    response.headers["Vary"] = "Accept"
    _limit_headers(response, outcome)
    return response


def _page_context(query: str, params: MultiDict[str, str]) -> dict[str, Any]:
    form = "graph" if inspect_safe_form(query) in ("CONSTRUCT", "DESCRIBE") else "solutions"
    formats = negotiation.GRAPHS if form == "graph" else negotiation.SOLUTIONS
    downloads = [
        (fmt, url_for("sparql.endpoint", query=query, format=fmt.name, **_dataset_args(params)))
        for fmt in formats
        if fmt is not negotiation.HTML
    ]
    # The named question stays chosen while its text is the query's.
    same = examples.matching(query)
    return {
        "query": query,
        "examples": examples.examples(),
        "chosen": params.get("example") or (same.name if same else ""),
        "downloads": downloads,
        "timeout": current_app.config["QUERY_TIMEOUT"],
        "row_limit": current_app.config["MAX_ROWS"],
        "known_prefixes": sorted(display.prefixes().items()),
    }


def _dataset_args(params: MultiDict[str, str]) -> dict[str, Any]:
    names = ("default-graph-uri", "named-graph-uri")
    return {name: params.getlist(name) for name in names if params.getlist(name)}


def inspect_safe_form(query: str) -> str | None:
    """Return a query's form, or None when it cannot be read."""
    try:
        return inspect_query(query).form
    except QueryTextError:
        return None


def _describe_service(params: MultiDict[str, str]) -> Response:
    formats = (*negotiation.GRAPHS[:-1], negotiation.HTML)
    fmt = _choose(formats, params)
    if fmt is negotiation.HTML:
        offered = examples.examples()
        chosen = params.get("example", "")
        text = next((e.text for e in offered if e.name == chosen), None)
        if text is None:
            text = offered[0].text if offered else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
        page = render_template("sparql.html", **_page_context(text, params))
        return Response(page, content_type=negotiation.HTML.content_type)
    endpoint_url = request.base_url
    federated = bool(current_app.config["SERVICE_ALLOWLIST"])
    data = servicedesc.service_description(endpoint_url, engine(), fmt.name, federated=federated)
    response = Response(data, content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    return response
