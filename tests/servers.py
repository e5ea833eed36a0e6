"""Real servers for the delivery tests, started by the tests on 127.0.0.1 (free ports).

* `s3_server()`: moto's ThreadedMotoServer, an S3-compatible store spoken to over HTTP; it can be
  stopped and started again on the same port (its data lives in this process, so it survives).
* `scrapyd_server(root)`: a real ``scrapyd`` subprocess with a temporary scrapyd.conf (loopback,
  basic auth, its own eggs/logs/dbs dirs), ready once ``daemonstatus.json`` answers.
* `project_copy(dst, url)`: the project's files as a fresh clone has them, with the
  ``[deploy:local]`` target pointed at a test Scrapyd, for the real ``scrapyd-deploy``.
* `crawl(...)`: ``scrapy crawl kabar`` as a subprocess (started, not waited for), for tests that
  kill it or watch it.
* `Turnstile` / `turnstile_serving(root)`: a demo site whose every response waits for the test's
  leave, so a test stops a crawl at a request of its choosing (the crawl can neither move on nor end
  while the test looks at what it wrote); `kill_at` SIGKILLs it so.
* `s3_proxy(target)`: an HTTP proxy in front of the S3 server that answers slowly and can hold
  the first batch PUT (forwarded or not) until the test lets it go, to catch a crawl mid-upload.

Nothing here talks to anything but 127.0.0.1.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}
SCRAPYD_USER = "newscrawl-test"
SCRAPYD_PASSWORD = "not-a-real-secret"  # noqa: S105 - a throwaway password for a loopback test server


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(check: Any, timeout: float, what: str, interval: float = 0.1) -> Any:
    """Poll `check()` until it returns something truthy; fail the test with `what` on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


@dataclass
class S3Server:
    """A moto S3 server on 127.0.0.1:port."""

    port: int
    server: Any = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        """Environment for a crawl that delivers here."""
        return {**AWS_ENV, "AWS_ENDPOINT_URL": self.url}

    def start(self) -> None:
        from moto.server import ThreadedMotoServer  # noqa: PLC0415 - slow to import; only S3 tests need it

        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()
        wait_until(self._answers, 10, "the S3 server to answer")

    def _answers(self) -> bool:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
            return True
        return False

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def client(self) -> Any:
        import boto3  # noqa: PLC0415 - slow to import; only S3 tests need it

        return boto3.session.Session(
            aws_access_key_id=AWS_ENV["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=AWS_ENV["AWS_SECRET_ACCESS_KEY"],
            region_name=AWS_ENV["AWS_DEFAULT_REGION"],
        ).client("s3", endpoint_url=self.url)

    def create_bucket(self, name: str) -> None:
        self.client().create_bucket(Bucket=name)

    def objects(self, bucket: str) -> dict[str, bytes]:
        """Every object of `bucket`: key -> content."""
        client = self.client()
        keys = [o["Key"] for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
                for o in page.get("Contents", [])]
        return {key: client.get_object(Bucket=bucket, Key=key)["Body"].read() for key in sorted(keys)}

    def articles(self, bucket: str) -> list[dict[str, Any]]:
        """Every JSON line of every object in `bucket`, in key order."""
        bodies = self.objects(bucket).values()
        return [json.loads(line) for body in bodies for line in body.splitlines() if line.strip()]


@contextlib.contextmanager
def s3_server() -> Iterator[S3Server]:
    """A running moto S3 server; stopped at the end."""
    server = S3Server(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class ScrapydServer:
    """A running scrapyd subprocess."""

    root: Path
    port: int
    proc: subprocess.Popen[bytes] | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def api(self, endpoint: str, params: dict[str, Any] | None = None, *, post: bool = False) -> dict[str, Any]:
        """GET (or POST) a Scrapyd JSON endpoint with the test credentials."""
        encoded = urllib.parse.urlencode(params or {})
        if post:
            request = urllib.request.Request(f"{self.url}/{endpoint}", data=encoded.encode(), method="POST")
        else:
            request = urllib.request.Request(f"{self.url}/{endpoint}{'?' + encoded if encoded else ''}")
        token = base64.b64encode(f"{SCRAPYD_USER}:{SCRAPYD_PASSWORD}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def job_state(self, jobid: str) -> str | None:
        jobs = self.api("listjobs.json")
        for state in ("pending", "running", "finished"):
            if any(job["id"] == jobid for job in jobs[state]):
                return state
        return None

    def wait_finished(self, jobid: str, timeout: float = 120) -> None:
        wait_until(lambda: self.job_state(jobid) == "finished", timeout, f"Scrapyd job {jobid} to finish", 0.3)

    def cancel_all(self, project: str = "newscrawl") -> None:
        """Cancel every pending or running job and wait until none is left."""
        jobs = self.api("listjobs.json")
        for job in jobs["pending"] + jobs["running"]:
            self.api("cancel.json", {"project": project, "job": job["id"]}, post=True)
        def ended() -> bool:
            jobs = self.api("listjobs.json")
            return not jobs["pending"] + jobs["running"]

        wait_until(ended, 60, "cancelled jobs to end", 0.3)

    def job_log(self, jobid: str, project: str = "newscrawl", spider: str = "kabar") -> str:
        path = self.root / "logs" / project / spider / f"{jobid}.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def output(self) -> str:
        path = self.root / "scrapyd.out"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


SCRAPYD_CONF = """\
[scrapyd]
bind_address = 127.0.0.1
http_port = {port}
eggs_dir = {root}/eggs
logs_dir = {root}/logs
dbs_dir = {root}/dbs
items_dir =
jobs_to_keep = 20
poll_interval = 0.2
max_proc = 4
"""


@contextlib.contextmanager
def scrapyd_server(root: Path, env: dict[str, str] | None = None, conf: str = "") -> Iterator[ScrapydServer]:
    """Scrapyd on a free loopback port, configured in `root` (and `conf`'s lines), basic auth from the environment."""
    root.mkdir(parents=True, exist_ok=True)
    server = ScrapydServer(root, free_port())
    (root / "scrapyd.conf").write_text(SCRAPYD_CONF.format(port=server.port, root=root) + conf, encoding="utf-8")
    server.env = {
        **os.environ,
        **(env or {}),
        "SCRAPYD_USERNAME": SCRAPYD_USER,
        "SCRAPYD_PASSWORD": SCRAPYD_PASSWORD,
    }
    with (root / "scrapyd.out").open("wb") as out:
        # cwd=root: Scrapyd reads ./scrapyd.conf, and jobs run there, away from the repository
        # (so the deployed egg, not the source tree, is what they import).
        server.proc = subprocess.Popen(
            [sys.executable, "-m", "scrapyd", "--pidfile="],
            cwd=root, env=server.env, stdout=out, stderr=subprocess.STDOUT,
        )
        try:
            wait_until(lambda: _daemon_up(server), 60, f"scrapyd on port {server.port}", 0.2)
            yield server
        finally:
            server.proc.terminate()
            try:
                server.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.proc.kill()
                server.proc.wait()


def _daemon_up(server: ScrapydServer) -> bool:
    assert server.proc is not None
    if server.proc.poll() is not None:
        raise AssertionError(f"scrapyd exited ({server.proc.returncode}):\n{server.output()}")
    try:
        return server.api("daemonstatus.json").get("status") == "ok"
    except OSError:
        return False


PROJECT_FILES = ("scrapy.cfg", "setup.py", "pyproject.toml", "README.md", "newscrawl")


def project_copy(dst: Path, scrapyd_url: str) -> Path:
    """The project as a fresh clone has it, its ``[deploy:local]`` url pointed at `scrapyd_url`."""
    dst.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dst / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif src.exists():
            shutil.copy2(src, dst / name)
    cfg = dst / "scrapy.cfg"
    text = cfg.read_text(encoding="utf-8")
    if "url = http://127.0.0.1:6800\n" not in text:
        raise AssertionError("scrapy.cfg has no [deploy:local] url = http://127.0.0.1:6800")
    cfg.write_text(text.replace("url = http://127.0.0.1:6800\n", f"url = {scrapyd_url}\n"), encoding="utf-8")
    return dst


def deploy(project: Path, target: str = "local") -> subprocess.CompletedProcess[str]:
    """Run the real ``scrapyd-deploy`` in `project`, credentials in the environment only."""
    env = {**os.environ, "SCRAPYD_USERNAME": SCRAPYD_USER, "SCRAPYD_PASSWORD": SCRAPYD_PASSWORD}
    return subprocess.run(
        [str(BIN / "scrapyd-deploy"), target, "--version", "test"],
        cwd=project, env=env, capture_output=True, text=True, timeout=180, check=False,
    )


def crawl(
    out_dir: Path,
    args: dict[str, str],
    settings: dict[str, str],
    env: dict[str, str] | None = None,
) -> subprocess.Popen[str]:
    """Start ``scrapy crawl kabar`` in the repository; its log goes to out_dir/crawl.log."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "kabar"]
    for key, value in args.items():
        cmd += ["-a", f"{key}={value}"]
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    log = (out_dir / "crawl.log").open("w", encoding="utf-8")
    return subprocess.Popen(
        cmd, cwd=REPO, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT, text=True,
    )


@contextlib.contextmanager
def serving_with(handler: type[Any], root: Path, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve `root` on loopback `host` (a free port) with a request handler of the test's own; the base URL."""
    server = ThreadingHTTPServer((host, 0), partial(handler, directory=str(root)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class Turnstile:
    """Requests pass one at a time, each when the test lets it: `held()` waits for the next one to ask."""

    def __init__(self) -> None:
        self._asking = threading.Semaphore(0)
        self._passes = threading.Semaphore(0)
        self._open = threading.Event()

    def wait_turn(self) -> None:
        """In the server's thread: wait until the test lets this request through (or opened the gate)."""
        if self._open.is_set():
            return
        self._asking.release()
        while not self._open.is_set() and not self._passes.acquire(timeout=0.05):
            pass

    def held(self, timeout: float) -> bool:
        """Wait until a request waits at the turnstile; False when none asked within `timeout` seconds."""
        return self._asking.acquire(timeout=timeout)

    def let_through(self) -> None:
        """Let the request waiting at the turnstile go on."""
        self._passes.release()

    def open(self) -> None:
        """Let every request through from now on (at the end of a test, so no server thread stays blocked)."""
        self._open.set()


@contextlib.contextmanager
def turnstile_serving(root: Path, served: list[str]) -> Iterator[tuple[str, Turnstile]]:
    """Serve a demo site like tests/sites/serve.py, each response waiting at a `Turnstile`; `served` lists the
    paths answered."""
    from serve import SiteHandler  # noqa: PLC0415 - tests/sites is put on sys.path by tests/conftest.py

    gate = Turnstile()

    class GatedHandler(SiteHandler):
        def _respond(self, *, body: bool) -> None:
            gate.wait_turn()
            served.append(self.path)  # before the answer: the crawl cannot have it uncounted
            super()._respond(body=body)

    with serving_with(GatedHandler, root) as base:
        try:
            yield base, gate
        finally:
            gate.open()


def stop_at(gate: Turnstile, ready: Any, timeout: float, what: str) -> None:
    """Let the crawl's requests through one at a time until, with one held, `ready()` holds; return with that
    request held (the crawl, one request at a time, waits for it: it writes nothing more until it is answered)."""
    deadline = time.monotonic() + timeout
    while True:
        if not gate.held(max(0.0, deadline - time.monotonic())):
            raise AssertionError(f"timed out after {timeout}s (or the crawl asked for nothing more) waiting for {what}")
        if ready():
            return
        gate.let_through()


def kill_at(proc: subprocess.Popen[str], gate: Turnstile, ready: Any, what: str, timeout: float = 90) -> None:
    """SIGKILL the crawl `proc` once `ready()` holds with one of its requests held at `gate` (`stop_at`)."""
    try:
        stop_at(gate, ready, timeout, what)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def slow_serving(root: Path, delay: float) -> Iterator[str]:
    """Serve a demo site like tests/sites/serve.py does, but `delay` seconds late for every request."""
    from serve import SiteHandler  # noqa: PLC0415 - tests/sites is put on sys.path by tests/conftest.py

    class SlowHandler(SiteHandler):
        def _respond(self, *, body: bool) -> None:
            time.sleep(delay)
            super()._respond(body=body)

    with serving_with(SlowHandler, root) as base:
        yield base


# Headers that belong to one connection, not to the request (RFC 9110 7.6.1), or that the proxy answers itself.
_HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer",
                         "upgrade", "expect", "content-length"})


@dataclass
class S3Proxy:
    """What the S3 proxy saw, and the PUT it holds.

    `refuse_puts`, while set, answers every PUT 503 (S3 down for writes). `hold` arms the hold:
    the first PUT of a key containing ``/kabar/`` is held until `release` is set; with
    `store_held` it is first forwarded (S3 has the object; the answer never comes), else never.
    A held request's connection is then closed without an answer. A request whose body does not
    arrive whole (its client was killed) is dropped, as S3 drops it, and its key kept in `cut_short`.
    """

    target: str
    delay: float = 0.05
    url: str = ""
    hold: bool = False
    store_held: bool = False
    refuse_puts: threading.Event = field(default_factory=threading.Event)  # while set: every PUT gets a 503
    refused: dict[str, bytes] = field(default_factory=dict)  # what the refused PUTs carried, by key
    held_key: str = ""
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    puts: list[str] = field(default_factory=list)  # keys of the PUTs forwarded to S3
    cut_short: list[str] = field(default_factory=list)  # keys of the requests whose body never came whole
    lock: threading.Lock = field(default_factory=threading.Lock)

    def env(self) -> dict[str, str]:
        """Environment for a crawl that delivers through the proxy."""
        return {**AWS_ENV, "AWS_ENDPOINT_URL": self.url}

    def forward(self, method: str, target: str, headers: list[tuple[str, str]], body: bytes) -> tuple[int, Any, bytes]:
        """The S3 server's answer to one request."""
        host, port = urllib.parse.urlsplit(self.target).netloc.split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        try:
            connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            for name, value in headers:
                connection.putheader(name, value)
            connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            answer = connection.getresponse()
            return answer.status, answer.getheaders(), answer.read()
        finally:
            connection.close()


class _CutShort(Exception):  # noqa: N818 - what happened, not an error of the proxy's
    """The client's connection ended before its request's body was whole (a killed crawl)."""


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    proxy: S3Proxy

    def _read(self, size: int) -> bytes:
        data = self.rfile.read(size)
        if len(data) < size:
            raise _CutShort
        return data

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                line = self.rfile.readline()
                if not line:
                    raise _CutShort
                size = int(line.split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self._read(size))
                self.rfile.readline()
        return self._read(int(self.headers.get("Content-Length") or 0))

    def _relay(self) -> None:
        try:
            body = self._body()
        except (_CutShort, ConnectionError):
            # As S3 does, a request whose body never arrived whole is dropped, never stored: a crawl
            # killed between its headers (and botocore's "Expect: 100-continue") and its body would
            # otherwise leave an empty object under a checksum of the whole.
            with self.proxy.lock:
                self.proxy.cut_short.append(urllib.parse.urlsplit(self.path).path)
            self.close_connection = True
            return
        self._pass_on(body)

    def _pass_on(self, body: bytes) -> None:
        proxy = self.proxy
        headers = [(k, v) for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP]
        key = urllib.parse.urlsplit(self.path).path
        with proxy.lock:
            hold = proxy.hold and self.command == "PUT" and "/kabar/" in key and not proxy.held_key
            if hold:
                proxy.held_key = key
        if hold:
            if proxy.store_held:
                proxy.forward(self.command, self.path, headers, body)
                with proxy.lock:
                    proxy.puts.append(key)
            proxy.held.set()
            proxy.release.wait(timeout=120)
            self.close_connection = True
            return
        time.sleep(proxy.delay)  # a slow store: every answer takes a while
        if self.command == "PUT" and proxy.refuse_puts.is_set():
            with proxy.lock:
                proxy.refused[key] = body
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, answer_headers, payload = proxy.forward(self.command, self.path, headers, body)
        if self.command == "PUT" and status < 300:
            with proxy.lock:
                proxy.puts.append(key)
        self.send_response(status)
        length = str(len(payload))
        for name, value in answer_headers:
            if name.lower() == "content-length" and self.command == "HEAD":
                length = value  # the size of what a GET would return
            elif name.lower() not in _HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", length)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _relay  # noqa: N815 - http.server's method names

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Quiet."""


@contextlib.contextmanager
def s3_proxy(target: str, **options: Any) -> Iterator[S3Proxy]:
    """A slow HTTP proxy on 127.0.0.1 (a free port) in front of the S3 server at `target`."""
    proxy = S3Proxy(target, **options)
    handler = type("BoundProxyHandler", (_ProxyHandler,), {"proxy": proxy})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    proxy.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield proxy
    finally:
        proxy.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

