"""Run the app under gunicorn: worker processes, each with threads and its own query processes."""

from collections.abc import Mapping
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from server import create_app

_READY_TIMEOUT = 120.0


class _Server(BaseApplication):  # type: ignore[misc]
    """A gunicorn application that builds the Flask app in each worker (after the fork)."""

    def __init__(self, app_config: Mapping[str, Any], options: Mapping[str, Any]) -> None:
        self.app_config = dict(app_config)
        self.options = dict(options)
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            # Settings newer than the installed gunicorn (the control socket) are skipped.
            if key in self.cfg.settings:
                self.cfg.set(key, value)

    def load(self) -> Flask:
        return create_app(self.app_config)


def _post_worker_init(worker: Any) -> None:
    """Start the worker's query processes and wait for them before its first request."""
    worker.wsgi.extensions["mkg"].pool().wait_ready(timeout=_READY_TIMEOUT)


def _worker_exit(server: Any, worker: Any) -> None:
    """Stop the worker's query processes with it."""
    app = getattr(worker, "wsgi", None)
    if isinstance(app, Flask):
        app.extensions["mkg"].close()


def serve(
    app_config: Mapping[str, Any],
    *,
    host: str,
    port: int,
    workers: int,
    threads: int,
    access_log: bool,
) -> None:
    """Serve until SIGTERM or SIGINT (gunicorn stops gracefully on SIGTERM)."""
    query_timeout = float(app_config["QUERY_TIMEOUT"])
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        # Gunicorn's own watchdog only fires if a worker stops responding altogether; the query
        # time limit is enforced by the query processes, well before this.
        "timeout": int(query_timeout) + 30,
        "graceful_timeout": int(query_timeout) + 5,
        "keepalive": 5,
        "limit_request_line": 8190,
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "mkg-serve",
        "control_socket_disable": True,
        "post_worker_init": _post_worker_init,
        "worker_exit": _worker_exit,
    }
    _Server(app_config, options).run()
