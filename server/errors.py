"""Error responses in one shape: JSON {"error", "status"}, an HTML page, or plain text."""

from collections.abc import Mapping

from flask import Flask, Response, current_app, jsonify, render_template, request
from markupsafe import Markup
from werkzeug.exceptions import HTTPException, InternalServerError

from server.engine import QueryError

_TEXT_TYPES = ["application/json", "text/html", "text/plain"]


def wants_html() -> bool:
    """Return whether the client prefers an HTML page (a browser)."""
    best = request.accept_mimetypes.best_match(_TEXT_TYPES)
    return best == "text/html" and request.accept_mimetypes["text/html"] > 0


def error_response(
    status: int,
    message: str,
    *,
    extra_html: Markup | None = None,
    fields: Mapping[str, object] | None = None,
) -> Response:
    """Return an error as JSON, HTML or plain text, whichever the client prefers.

    `fields` are added to the JSON shape after "error" and "status" (a syntax error's line,
    column and hint, for example); the message alone says it all in HTML and plain text.
    """
    accept = request.accept_mimetypes
    if wants_html():
        page = render_template("error.html", status=status, message=message, hint=extra_html)
        response = Response(page, status=status, content_type="text/html; charset=utf-8")
    elif not accept or accept.best_match(["application/json"]) or _json_like(accept.values()):
        response = jsonify({**(fields or {}), "error": message, "status": status})
        response.status_code = status
    else:
        response = Response(message + "\n", status=status, content_type="text/plain; charset=utf-8")
    return response


def _json_like(values: object) -> bool:
    return any("json" in str(value) for value in values)  # type: ignore[attr-defined]


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    response = error_response(status, error.description or error.name)
    # Keep the headers werkzeug set for this error (Allow on 405, for example).
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _query_error(error: QueryError) -> Response:
    return error_response(error.status, str(error), fields=error.fields)


def _unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return _http_error(error)
    current_app.logger.exception("unexpected error serving %s", request.path)
    return error_response(500, InternalServerError.description)


def register(app: Flask) -> None:
    """Install the error handlers on `app`."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(QueryError, _query_error)
    app.register_error_handler(Exception, _unexpected)
