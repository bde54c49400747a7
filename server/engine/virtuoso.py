"""A Virtuoso that mkg runs for `mkg serve --engine virtuoso`: configured, started and stopped.

Its database and `virtuoso.ini` live in a directory of their own (`build/virtuoso/` for a
build), readable by this user only. Every port it opens is on 127.0.0.1 (SQL and HTTP), on free
ports chosen at each start; the `dba` and `dav` accounts get a generated password at the
database's creation, set while the server listens on nothing (`+checkpoint-only`), so the
default dba/dba is never open on a port. The server runs in its own session, so that a Ctrl-C
reaches mkg rather than Virtuoso, and with a parent-death signal, so that it stops when mkg dies
however it dies; `stop()` stops it cleanly (SIGTERM: Virtuoso checkpoints and exits).

Statements go to Virtuoso through `isql-vt`, the client of the same Debian package: the loader
runs inside the server (`ld_dir`, `rdf_loader_run`), so the client sends a handful of statements
and its speed does not matter, and isql-vt needs no driver set up as ODBC would (pyodbc, the
Virtuoso ODBC driver and an odbc.ini). The password is written on isql-vt's standard input,
never on a command line.
"""

import ctypes
import fcntl
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import time
from pathlib import Path

import urllib3

_PR_SET_PDEATHSIG = 1
_READY_TIMEOUT = 120.0
_STOP_TIMEOUT = 60.0
_PASSWORD_FILE = "dba-password"
# Virtuoso 7 refuses logins with a password set longer than this (20 characters: 119 bits here).
_PASSWORD_LENGTH = 20
_DATABASE_FILES = (
    "virtuoso.db",
    "virtuoso.trx",
    "virtuoso.pxa",
    "virtuoso-temp.db",
    "virtuoso-temp.trx",
    "virtuoso.log",
)
_SERVER = "virtuoso-t"
_CLIENT = "isql-vt"
_INI = """\
; Written by mkg for the Virtuoso it runs: every port on 127.0.0.1, this directory only.
[Database]
DatabaseFile        = {home}/virtuoso.db
ErrorLogFile        = {home}/virtuoso.log
LockFile            = {home}/virtuoso.lck
TransactionFile     = {home}/virtuoso.trx
xa_persistent_file  = {home}/virtuoso.pxa
ErrorLogLevel       = 7
FileExtend          = 200
MaxCheckpointRemap  = 2000
Striping            = 0
TempStorage         = TempDatabase

[TempDatabase]
DatabaseFile        = {home}/virtuoso-temp.db
TransactionFile     = {home}/virtuoso-temp.trx
MaxCheckpointRemap  = 2000
Striping            = 0

[Parameters]
ServerPort          = 127.0.0.1:{sql_port}
DisableUnixSocket   = 1
DisableTcpSocket    = 0
MaxClientConnections = {connections}
CheckpointInterval  = 60
CaseMode            = 2
DirsAllowed         = {home}/load
NumberOfBuffers     = {buffers}
MaxDirtyBuffers     = {dirty_buffers}
ThreadsPerQuery     = {threads}
AsyncQueueMaxThreads = 10
AllowOSCalls        = 0

[HTTPServer]
ServerPort          = 127.0.0.1:{http_port}
ServerRoot          = {home}/www
MaxClientConnections = {connections}
ServerThreads       = {connections}
MaxKeepAlives       = {connections}
KeepAliveTimeout    = 10
EnabledDavVSP       = 0
HTTPProxyEnabled    = 0
Charset             = UTF-8
EnabledGzipContent  = 0

[SPARQL]
; mkg cuts answers at its own row limit; the pages read whole answers, so Virtuoso's cut is far.
ResultSetMaxRows    = {max_rows}
; No estimate refuses a query; each query's time limit is sent with it (the 'timeout' field).
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
"""


class VirtuosoError(Exception):
    """Virtuoso cannot be found, started or told what to do."""


def free_port() -> int:
    """Return a TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def find_virtuoso() -> tuple[str, str]:
    """Return the paths of virtuoso-t and isql-vt, or raise VirtuosoError saying how to get them."""
    server, client = shutil.which(_SERVER), shutil.which(_CLIENT)
    if server is None or client is None:
        missing = " and ".join(
            name for name, path in ((_SERVER, server), (_CLIENT, client)) if not path
        )
        raise VirtuosoError(
            f"{missing} not found: install Virtuoso Open Source (Debian and Ubuntu: "
            "'apt-get install virtuoso-opensource'), or run Virtuoso yourself, load it with "
            "'mkg load --engine URL' and serve it with 'mkg serve --engine URL'"
        )
    return server, client


def _new_password() -> str:
    """Return a random password of 20 letters and digits (Virtuoso ignores longer ones)."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(_PASSWORD_LENGTH))


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM when the parent dies (Linux)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass


class LocalVirtuoso:
    """A Virtuoso server of this process, its files in `home` (see the module docstring)."""

    def __init__(
        self,
        home: Path,
        *,
        buffers: int = 20_000,
        connections: int = 32,
        max_rows: int = 10_000_000,
    ) -> None:
        # Absolute: the server runs in this directory and reads its configuration by path.
        self.home = Path(home).resolve()
        self.buffers = buffers
        self.connections = connections
        self.max_rows = max_rows
        self.server, self.client = find_virtuoso()
        self.sql_port = 0
        self.http_port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._lock_fd: int | None = None
        self._password: str | None = None

    @property
    def sparql_url(self) -> str:
        """Return the address of its SPARQL endpoint."""
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def load_dir(self) -> Path:
        """Return the directory its bulk loader may read files from."""
        return self.home / "load"

    @property
    def password(self) -> str:
        """Return the password of its dba account."""
        if self._password is None:
            self._password = (self.home / _PASSWORD_FILE).read_text(encoding="ascii").strip()
        return self._password

    def start(self, *, timeout: float = _READY_TIMEOUT) -> None:
        """Create the database if there is none, start the server and wait until it answers."""
        self.home.mkdir(parents=True, exist_ok=True)
        os.chmod(self.home, 0o700)
        self._lock()
        try:
            for sub in ("load", "www"):
                (self.home / sub).mkdir(exist_ok=True)
            self.sql_port, self.http_port = free_port(), free_port()
            ini = self.home / "virtuoso.ini"
            ini.write_text(self._ini(), encoding="utf-8")
            os.chmod(ini, 0o600)
            if not (self.home / "virtuoso.db").is_file() or not self._has_password():
                self._create()
            self._run(timeout)
        except BaseException:
            self.stop()
            raise

    def _ini(self) -> str:
        return _INI.format(
            home=self.home,
            sql_port=self.sql_port,
            http_port=self.http_port,
            connections=self.connections,
            buffers=self.buffers,
            dirty_buffers=self.buffers * 3 // 4,
            threads=max(1, os.cpu_count() or 1),
            max_rows=self.max_rows,
        )

    def _lock(self) -> None:
        fd = os.open(self.home / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise VirtuosoError(
                f"another mkg runs the Virtuoso of {self.home}: stop it first"
            ) from None
        self._lock_fd = fd

    def _has_password(self) -> bool:
        return (self.home / _PASSWORD_FILE).is_file()

    def _create(self) -> None:
        """Make a new database, and give dba and dav their own passwords (listening nowhere)."""
        for name in (*_DATABASE_FILES, _PASSWORD_FILE):
            (self.home / name).unlink(missing_ok=True)
        password, dav = _new_password(), _new_password()
        ini = str(self.home / "virtuoso.ini")
        self._once([self.server, "+foreground", "+configfile", ini, "+checkpoint-only"])
        self._once(
            [self.server, "+foreground", "+configfile", ini, "+checkpoint-only"]
            + ["+pwdold", "dba", "+pwddba", password, "+pwddav", dav]
        )
        path = self.home / _PASSWORD_FILE
        path.write_text(password + "\n", encoding="ascii")
        os.chmod(path, 0o600)
        self._password = password

    def _once(self, command: list[str]) -> None:
        done = subprocess.run(
            command, cwd=self.home, capture_output=True, text=True, timeout=300, check=False
        )
        if done.returncode != 0:
            tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
            raise VirtuosoError(f"{self.server} could not create its database: {' / '.join(tail)}")

    def _run(self, timeout: float) -> None:
        log = (self.home / "server.log").open("ab")
        ini = str(self.home / "virtuoso.ini")
        self.process = subprocess.Popen(
            [self.server, "+foreground", "+configfile", ini],
            cwd=self.home,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 (nothing else runs in this process yet)
        )
        log.close()
        deadline = time.monotonic() + timeout
        http = urllib3.PoolManager(retries=False)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise VirtuosoError(f"Virtuoso stopped while starting:\n{self.log_tail()}")
            try:
                answer = http.request(
                    "GET",
                    self.sparql_url,
                    fields={"query": "ASK {}"},
                    headers={"Accept": "application/sparql-results+json"},
                    timeout=2.0,
                )
                if answer.status == 200:
                    return
            except urllib3.exceptions.HTTPError:
                pass
            time.sleep(0.2)
        raise VirtuosoError(f"Virtuoso did not answer in {timeout:g} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 15) -> str:
        """Return the end of the server's log."""
        text = ""
        for name in ("virtuoso.log", "server.log"):
            path = self.home / name
            if path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace")
                break
        return "\n".join(text.strip().splitlines()[-lines:])

    def isql(self) -> "Isql":
        """Return a client of its SQL port, as dba."""
        return Isql(f"127.0.0.1:{self.sql_port}", self.password, client=self.client)

    def stop(self) -> None:
        """Stop the server (it checkpoints first), and let go of its directory."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None


def check_isql(stdout: str, stderr: str) -> str:
    """Return isql-vt's output, or raise VirtuosoError with the first error it reports.

    isql-vt first tries an empty password and says 'Bad login' before it reads the real one
    from its input: that one line is no error.
    """
    if "Connected to OpenLink Virtuoso" not in stdout:
        raise VirtuosoError(f"isql-vt could not connect: {' '.join(stderr.split())[:300]}")
    errors = [
        block.strip() for block in stderr.split("*** Error")[1:] if "CL034: Bad login" not in block
    ]
    if errors:
        raise VirtuosoError("Virtuoso: " + " ".join(errors[0].split())[:500])
    return stdout


class Isql:
    """isql-vt on the SQL port `address` (HOST:PORT) of a Virtuoso, as dba."""

    def __init__(self, address: str, password: str, *, client: str | None = None) -> None:
        self.address = address
        self.password = password
        self.client = client or find_virtuoso_client()

    def run(self, statements: list[str], *, timeout: float = 3600.0) -> str:
        """Run SQL statements (each ending with ';'); return what they print.

        Raise VirtuosoError with the first error Virtuoso reports.
        """
        script = "\n".join([self.password, "SET PROMPT OFF;", *statements, "EXIT;", ""])
        try:
            done = subprocess.run(
                [self.client, self.address, "dba"],
                input=script,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise VirtuosoError(f"isql-vt did not finish in {timeout:g} s") from None
        return check_isql(done.stdout, done.stderr)


def find_virtuoso_client() -> str:
    """Return the path of isql-vt, or raise VirtuosoError."""
    found = shutil.which(_CLIENT)
    if found is None:
        raise VirtuosoError(
            f"{_CLIENT} not found: install Virtuoso's client (Debian and Ubuntu: "
            "'apt-get install virtuoso-opensource'), or load through the Graph Store Protocol"
        )
    return found
