"""The ASGI adapter: whole bodies before a thread, PEP 3333 environs, answers sent without one."""

import asyncio
import json
import threading
from pathlib import Path

import pytest
from flask import Flask, Response, request, send_file

import server.asgi
from server.asgi import WsgiToAsgi, build_environ

LIMIT = 1000


def _scope(method: str = "GET", path: bytes = b"/", query: bytes = b"", headers=(), **extra):
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path.decode("ascii"),
        "raw_path": path,
        "query_string": query,
        "root_path": "",
        "headers": [(name.lower(), value) for name, value in headers],
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.2", 54321),
    }
    scope.update(extra)
    return scope


class Client:
    """Feeds an ASGI app request messages and records what it sends."""

    def __init__(self, messages=(), *, stall: bool = False) -> None:
        self.messages = list(messages)
        self.stall = stall
        self.sent: list[dict] = []

    async def receive(self) -> dict:
        if self.messages:
            return self.messages.pop(0)
        if self.stall:
            await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(self, message: dict) -> None:
        self.sent.append(message)

    @property
    def status(self) -> int:
        return self.sent[0]["status"]

    @property
    def headers(self) -> dict[str, str]:
        return {k.decode().lower(): v.decode() for k, v in self.sent[0]["headers"]}

    @property
    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.sent[1:])


def _body(data: bytes, *, pieces: int = 1) -> list[dict]:
    size = max(1, -(-len(data) // pieces))
    parts = [data[i : i + size] for i in range(0, len(data), size)] or [b""]
    return [
        {"type": "http.request", "body": part, "more_body": n < len(parts) - 1}
        for n, part in enumerate(parts)
    ]


def _call(adapter: WsgiToAsgi, scope: dict, client: Client) -> Client:
    asyncio.run(adapter(scope, client.receive, client.send))
    return client


@pytest.fixture
def app() -> Flask:
    app = Flask("adapter-test")
    app.config["MAX_CONTENT_LENGTH"] = LIMIT
    seen: dict = {}
    app.extensions["seen"] = seen

    @app.route("/echo", methods=["GET", "POST", "HEAD"])
    def echo() -> Response:
        seen["environ"] = dict(request.environ)
        seen["thread"] = threading.current_thread().name
        return Response(request.get_data(), content_type="application/octet-stream")

    @app.get("/big")
    def big() -> Response:
        def chunks():
            for n in range(40):
                yield bytes([65 + n % 26]) * 16384

        return Response(chunks(), content_type="text/plain")

    @app.route("/fixed", methods=["GET", "HEAD"])
    def fixed() -> Response:
        return Response(b"hello", content_type="text/plain")

    @app.get("/unchanged")
    def unchanged() -> Response:
        return Response(status=304, headers={"ETag": '"x"'})

    @app.get("/file")
    def file() -> Response:
        return send_file(app.config["FILE"], mimetype="text/plain")

    return app


@pytest.fixture
def adapter(app: Flask):
    adapter = WsgiToAsgi(app, threads=2, body_timeout=0.5)
    yield adapter
    adapter.close()


def test_environ_follows_pep_3333() -> None:
    scope = _scope(
        "POST",
        b"/app/a%20b/%C3%A9%2Fc",
        b"query=x%20y&z=1",
        [
            (b"Host", b"example.org:8000"),
            (b"Content-Type", b"text/plain"),
            (b"Transfer-Encoding", b"chunked"),
            (b"Accept", b"text/html"),
            (b"Accept", b"application/json"),
            (b"Cookie", b"a=1"),
            (b"Cookie", b"b=2"),
            (b"X_Forwarded_For", b"10.0.0.1"),
        ],
        root_path="/app",
    )
    environ = build_environ(scope, b"hello")
    assert environ["SCRIPT_NAME"] == "/app"
    # Percent-decoded bytes in a latin-1 str: the encoded slash is decoded too, as WSGI does.
    assert environ["PATH_INFO"] == "/a b/\xc3\xa9/c"
    assert environ["PATH_INFO"].encode("latin-1").decode("utf-8") == "/a b/é/c"
    assert environ["QUERY_STRING"] == "query=x%20y&z=1"
    assert environ["REQUEST_METHOD"] == "POST"
    assert environ["SERVER_PROTOCOL"] == "HTTP/1.1"
    assert (environ["SERVER_NAME"], environ["SERVER_PORT"]) == ("127.0.0.1", "8000")
    assert (environ["REMOTE_ADDR"], environ["REMOTE_PORT"]) == ("127.0.0.2", "54321")
    assert environ["HTTP_HOST"] == "example.org:8000"
    assert environ["CONTENT_TYPE"] == "text/plain"
    assert environ["CONTENT_LENGTH"] == "5"
    assert "HTTP_TRANSFER_ENCODING" not in environ and "HTTP_CONTENT_TYPE" not in environ
    assert environ["HTTP_ACCEPT"] == "text/html,application/json"
    assert environ["HTTP_COOKIE"] == "a=1; b=2"
    assert not any("FORWARDED" in key for key in environ)
    assert environ["wsgi.url_scheme"] == "http"
    assert environ["wsgi.input"].read() == b"hello"
    assert environ["wsgi.input_terminated"] is True
    assert environ["wsgi.version"] == (1, 0)


def test_get_without_a_body_has_no_content_length() -> None:
    environ = build_environ(_scope(), b"")
    assert "CONTENT_LENGTH" not in environ and environ["wsgi.input"].read() == b""


def test_a_chunked_body_reaches_the_app_whole(app: Flask, adapter: WsgiToAsgi) -> None:
    data = b"x" * 900
    scope = _scope("POST", b"/echo", headers=[(b"transfer-encoding", b"chunked")])
    client = _call(adapter, scope, Client(_body(data, pieces=9)))
    assert client.status == 200 and client.body == data
    assert client.headers["content-length"] == "900"
    assert app.extensions["seen"]["environ"]["CONTENT_LENGTH"] == "900"
    # The app ran in one of the adapter's request threads, not in the event loop.
    assert app.extensions["seen"]["thread"].startswith("mkg-request")


def test_declared_body_over_the_limit_is_refused_unread(adapter: WsgiToAsgi) -> None:
    headers = [(b"content-length", b"1001"), (b"accept", b"application/json")]
    messages = _body(b"never read")
    client = _call(adapter, _scope("POST", b"/echo", headers=headers), Client(messages))
    assert client.status == 413
    assert json.loads(client.body) == {
        "error": "the request body is larger than 1000 bytes",
        "status": 413,
    }
    assert client.headers["connection"] == "close"
    assert len(messages) == 1  # nothing was received


def test_chunked_body_over_the_limit_is_refused(adapter: WsgiToAsgi) -> None:
    scope = _scope("POST", b"/echo", headers=[(b"transfer-encoding", b"chunked")])
    client = _call(adapter, scope, Client(_body(b"y" * 1500, pieces=3) + _body(b"z")))
    assert client.status == 413 and json.loads(client.body)["status"] == 413
    assert client.headers["connection"] == "close"


def test_stalled_body_gets_408(app: Flask, adapter: WsgiToAsgi) -> None:
    scope = _scope("POST", b"/echo", headers=[(b"content-length", b"100")])
    messages = [{"type": "http.request", "body": b"half", "more_body": True}]
    client = _call(adapter, scope, Client(messages, stall=True))
    assert client.status == 408
    assert json.loads(client.body) == {
        "error": "the request body did not arrive within 0.5 s, the time limit of this "
        "endpoint for receiving a request",
        "status": 408,
    }
    assert "environ" not in app.extensions["seen"]  # the app never saw it


def test_a_client_gone_before_its_body_gets_nothing(adapter: WsgiToAsgi) -> None:
    scope = _scope("POST", b"/echo", headers=[(b"content-length", b"100")])
    client = _call(
        adapter, scope, Client([{"type": "http.request", "body": b"a", "more_body": True}])
    )
    assert client.sent == []


def test_thread_is_free_before_the_client_reads(app: Flask) -> None:
    """The response iterable is drained and closed in the thread before anything is sent."""
    events: list[str] = []

    class Body:
        def __iter__(self):
            yield b"a" * 100_000
            yield b"b" * 300_000  # past the in-memory part of the spool: on disk

        def close(self) -> None:
            events.append("closed in " + threading.current_thread().name[:11])

    def wsgi(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return Body()

    app.wsgi_app = wsgi  # type: ignore[method-assign]
    adapter = WsgiToAsgi(app, threads=1, body_timeout=1)
    client = Client(_body(b""))
    original = client.send

    async def send(message: dict) -> None:
        events.append(message["type"])
        await original(message)

    client.send = send  # type: ignore[method-assign]
    _call(adapter, _scope(), client)
    adapter.close()
    assert events[:2] == ["closed in mkg-request", "http.response.start"]
    assert client.body == b"a" * 100_000 + b"b" * 300_000
    assert client.headers["content-length"] == "400000"
    # Sent in pieces as the client takes them, not in one write.
    assert len(client.sent) > 5 and all(len(m["body"]) <= 65536 for m in client.sent[1:])


def test_streamed_answer_keeps_its_bytes(adapter: WsgiToAsgi) -> None:
    client = _call(adapter, _scope(path=b"/big"), Client(_body(b"")))
    assert client.status == 200 and len(client.body) == 40 * 16384
    assert client.body[:16384] == b"A" * 16384 and client.body[-1:] == bytes([65 + 39 % 26])
    assert client.sent[-1]["more_body"] is False


def test_head_sends_the_headers_of_get_without_a_body(adapter: WsgiToAsgi) -> None:
    get = _call(adapter, _scope("GET", b"/fixed"), Client(_body(b"")))
    head = _call(adapter, _scope("HEAD", b"/fixed"), Client(_body(b"")))
    assert get.body == b"hello"
    assert head.status == 200 and head.body == b""
    assert head.headers["content-length"] == get.headers["content-length"] == "5"


def test_not_modified_has_no_body_and_keeps_its_headers(adapter: WsgiToAsgi) -> None:
    client = _call(adapter, _scope(path=b"/unchanged"), Client(_body(b"")))
    assert client.status == 304 and client.body == b""
    assert client.headers["etag"] == '"x"' and "content-length" not in client.headers


def test_every_answer_has_one_date(adapter: WsgiToAsgi) -> None:
    client = _call(adapter, _scope(path=b"/echo"), Client(_body(b"")))
    assert [name.lower() for name, _ in client.sent[0]["headers"]].count(b"date") == 1


def test_a_file_is_sent_from_the_loop_not_copied(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "dump.txt"
    data = bytes(range(256)) * 1000
    path.write_bytes(data)
    app.config["FILE"] = path
    files: list = []
    answer = server.asgi._file_answer

    def spy(started, response):
        files.append(response.file)
        return answer(started, response)

    monkeypatch.setattr(server.asgi, "_file_answer", spy)
    adapter = WsgiToAsgi(app, threads=1, body_timeout=1)
    client = _call(adapter, _scope(path=b"/file"), Client(_body(b"")))
    adapter.close()
    assert client.status == 200 and client.body == data
    assert client.headers["content-length"] == str(len(data))
    assert len(files) == 1 and files[0].closed


def test_the_file_wrapper_is_closed_after_sending(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"0123456789" * 10_000)
    files: list = []
    app = Flask("file-test")

    def wsgi(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        file = path.open("rb")
        files.append(file)
        return environ["wsgi.file_wrapper"](file, 8192)

    app.wsgi_app = wsgi  # type: ignore[method-assign]
    adapter = WsgiToAsgi(app, threads=1, body_timeout=1)
    client = _call(adapter, _scope(), Client(_body(b"")))
    adapter.close()
    assert client.body == path.read_bytes()
    assert files[0].closed
