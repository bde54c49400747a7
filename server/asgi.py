"""Run the WSGI app behind an asyncio server without lending a thread to a slow client.

A request thread is taken only once the whole request body has arrived, and given back as soon
as the app's answer is written into a buffer (memory up to a small size, then a temporary file);
the buffer is then sent as fast as the client reads it. A client that sends slowly, reads slowly
or does nothing holds a connection and a little memory, never a thread, and so never one of the
query processes that each thread has.

Ready-made adapters (a2wsgi, asgiref's WsgiToAsgi) hand the request to a thread before its body
has arrived and write the answer from that thread, which is what this module avoids.
"""

import asyncio
import io
import os
import stat
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.utils import formatdate
from tempfile import SpooledTemporaryFile
from typing import IO, Any
from urllib.parse import unquote_to_bytes

from flask import Flask
from werkzeug.wsgi import FileWrapper

from server import errors

# An answer is kept in memory up to this size while it waits for its client, then on disk.
_SPOOL_IN_MEMORY = 256 * 1024
_CHUNK = 64 * 1024
_NO_BODY = (204, 304)

Scope = dict[str, Any]
Receive = Callable[[], Any]
Send = Callable[[dict[str, Any]], Any]


class FileResponse(FileWrapper):
    """The `wsgi.file_wrapper`: a file the adapter sends from the event loop, not a thread."""


@dataclass
class _Answer:
    """A finished WSGI response: its status, its headers, and its body (spooled or a file)."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: IO[bytes]
    size: int | None
    close: Callable[[], None] = field(default=lambda: None)


class _Refused(Exception):
    """The request is answered by the adapter itself (408, 413) without reaching the app."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class WsgiToAsgi:
    """An ASGI app that reads each request whole, then runs the Flask app in a bounded pool.

    `threads` requests run in the app at once; `body_timeout` is how long a client may take to
    send a request's body once its headers have arrived (then it gets 408). Bodies larger than
    the app's MAX_CONTENT_LENGTH get 413 as soon as that is known, without being read further.
    """

    def __init__(self, app: Flask, *, threads: int, body_timeout: float) -> None:
        self.app = app
        self.threads = threads
        self.body_timeout = body_timeout
        limit = app.config.get("MAX_CONTENT_LENGTH")
        self.max_body = None if limit is None else int(limit)
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="mkg-request")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one HTTP request (other scopes, such as lifespan, are not served)."""
        if scope["type"] != "http":
            return
        try:
            body = await self._read_body(scope, receive)
        except _Refused as refusal:
            environ = build_environ(scope, b"")
            answer = self._error(environ, refusal.status, str(refusal))
            # The rest of the body was not read: the connection cannot carry another request.
            answer.headers.append((b"Connection", b"close"))
            await _send_answer(answer, scope, send)
            return
        if body is None:
            return  # the client went away
        environ = build_environ(scope, body)
        loop = asyncio.get_running_loop()
        answer = await loop.run_in_executor(self.executor, run_wsgi, self.app, environ)
        await _send_answer(answer, scope, send)

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes | None:
        """Return the whole body, or None if the client disconnected; raise _Refused."""
        declared = _content_length(scope)
        if declared is not None and self.max_body is not None and declared > self.max_body:
            raise _Refused(413, self._too_large())
        body = bytearray()
        try:
            async with asyncio.timeout(self.body_timeout):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return None
                    body += message.get("body", b"")
                    if self.max_body is not None and len(body) > self.max_body:
                        raise _Refused(413, self._too_large())
                    if not message.get("more_body", False):
                        return bytes(body)
        except TimeoutError:
            raise _Refused(
                408,
                f"the request body did not arrive within {self.body_timeout:g} s, the time "
                "limit of this endpoint for receiving a request",
            ) from None

    def _too_large(self) -> str:
        return f"the request body is larger than {self.max_body} bytes"

    def _error(self, environ: dict[str, Any], status: int, message: str) -> _Answer:
        """Return the app's error response (JSON, HTML or text, as the client prefers)."""
        # Rendered in the event loop: it is quick, and must not wait for a busy request thread.
        with self.app.request_context(environ):
            response = self.app.process_response(errors.error_response(status, message))
        return run_wsgi(response, environ)

    def close(self) -> None:
        """Stop the request threads once the requests they run are answered."""
        self.executor.shutdown(wait=False, cancel_futures=True)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def build_environ(scope: Scope, body: bytes) -> dict[str, Any]:
    """Return the PEP 3333 environ of an ASGI HTTP request whose body has been read."""
    script_name = scope.get("root_path", "").encode("utf-8")
    raw_path = scope.get("raw_path")
    # PATH_INFO is the percent-decoded path as bytes, carried in a latin-1 str (PEP 3333).
    path = unquote_to_bytes(raw_path) if raw_path is not None else scope["path"].encode("utf-8")
    if script_name and path.startswith(script_name):
        path = path[len(script_name) :]
    server = scope.get("server") or (None, None)
    client = scope.get("client") or (None, None)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": script_name.decode("latin-1"),
        "PATH_INFO": path.decode("latin-1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        # The body is complete and its length known: the app may read wsgi.input to the end.
        "wsgi.input_terminated": True,
        "wsgi.file_wrapper": FileResponse,
    }
    if client[0] is not None:
        environ["REMOTE_ADDR"] = client[0]
        environ["REMOTE_PORT"] = str(client[1])
    framed = False
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin-1").lower()
        value = raw_value.decode("latin-1")
        if name in ("content-length", "transfer-encoding"):
            framed = True  # the body's framing: replaced by its actual length below
            continue
        if "_" in name:
            # X_Forwarded_For and X-Forwarded-For would share one key: drop the ambiguous form.
            continue
        key = "CONTENT_TYPE" if name == "content-type" else "HTTP_" + name.upper().replace("-", "_")
        if key in environ:
            environ[key] += ("; " if key == "HTTP_COOKIE" else ",") + value
        else:
            environ[key] = value
    if framed or body:
        environ["CONTENT_LENGTH"] = str(len(body))
    host, port = _server_address(server, environ["wsgi.url_scheme"])
    environ["SERVER_NAME"] = host
    environ["SERVER_PORT"] = port
    return environ


def _server_address(server: tuple[Any, Any], scheme: str) -> tuple[str, str]:
    if server[0] is None:  # a Unix socket: the app reads the Host header instead
        return "localhost", "443" if scheme == "https" else "80"
    return str(server[0]), str(server[1] if server[1] is not None else "")


def run_wsgi(app: Callable[..., Iterable[bytes]], environ: dict[str, Any]) -> _Answer:
    """Run a WSGI app to the end of its response (called in a request thread).

    The body goes into a spooled file and the response iterable is closed before returning, so
    the thread is free before the client reads a byte. A file the app sends whole through
    `wsgi.file_wrapper` is not copied: it is returned open, to be read by the event loop.
    """
    started: list[Any] = []
    spool: IO[bytes] = SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], object]:
        if started and exc_info is None:
            raise RuntimeError("start_response called twice without exc_info")
        # Nothing is sent before the app returns, so an error response may replace the first.
        started[:] = [status, headers]
        return spool.write

    try:
        iterable = app(environ, start_response)
        if isinstance(iterable, FileResponse) and started and _regular_file(iterable.file):
            spool.close()
            return _file_answer(started, iterable)
        try:
            for chunk in iterable:
                if chunk:
                    spool.write(chunk)
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()
        if not started:
            raise RuntimeError("the WSGI app returned without calling start_response")
    except BaseException:
        spool.close()
        raise
    size = spool.tell()
    spool.seek(0)
    return _Answer(_status(started[0]), _headers(started[1]), spool, size, spool.close)


def _regular_file(file: object) -> bool:
    try:
        return stat.S_ISREG(os.fstat(file.fileno()).st_mode)  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False


def _file_answer(started: list[Any], response: FileResponse) -> _Answer:
    file = response.file
    return _Answer(_status(started[0]), _headers(started[1]), file, None, response.close)


def _status(line: str) -> int:
    return int(line.split(" ", 1)[0])


def _headers(headers: list[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    # The app's spelling is kept: names are case-insensitive, but some clients compare them as is.
    return [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers]


async def _send_answer(answer: _Answer, scope: Scope, send: Send) -> None:
    """Send a finished answer, reading its body in chunks as the client takes them."""
    try:
        headers = answer.headers
        # The server adds no Date of its own (it would double the one an app may send).
        names = {name.lower() for name, _ in headers}
        if b"date" not in names:
            headers = [*headers, (b"Date", formatdate(usegmt=True).encode("ascii"))]
        bodiless = scope["method"] == "HEAD" or answer.status in _NO_BODY or answer.status < 200
        if answer.size is not None and not bodiless:
            if b"content-length" not in names:
                headers = [*headers, (b"Content-Length", str(answer.size).encode("ascii"))]
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        if bodiless:
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        # A read from the spool or a served file is quick; waiting for the client is not, and
        # that is done here without a thread.
        chunk = answer.body.read(_CHUNK)
        while True:
            following = answer.body.read(_CHUNK) if chunk else b""
            await send({"type": "http.response.body", "body": chunk, "more_body": bool(following)})
            if not following:
                return
            chunk = following
    finally:
        answer.close()
