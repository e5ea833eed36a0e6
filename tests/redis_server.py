"""A real Redis for the tests: Debian's ``redis-server`` on 127.0.0.1, a free port, a temporary dir.

No persistence (``--save ''``, no AOF): a test server holds nothing worth keeping. Every test gets
its own key prefix (`RedisServer.state_uri`, `RedisServer.fresh_group`), so one server serves the
whole session. Nothing here listens on anything but the loopback address.

The benchmarks use it too: ``running_redis(root)`` is a context manager.
"""

from __future__ import annotations

import contextlib
import itertools
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    import redis

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
_names = itertools.count(1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RedisServer:
    """A running redis-server subprocess."""

    root: Path
    port: int
    proc: subprocess.Popen[bytes] | None = None
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.root / "redis.log"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def state_uri(self) -> str:
        """The URI of a new, empty crawl state on this server (a prefix of its own)."""
        return f"{self.url}?prefix=test-state-{next(_names)}"

    def fresh_group(self, name: str = "cluster") -> str:
        """A cluster group name nobody used yet in this session."""
        return f"{name}-{next(_names)}"

    def client(self) -> redis.Redis:
        import redis  # noqa: PLC0415 - only Redis tests need the client

        return redis.Redis(host="127.0.0.1", port=self.port)

    def answers(self) -> bool:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith((b"+PONG", b"-NOAUTH"))
        return False


@contextlib.contextmanager
def running_redis(root: Path, *options: str) -> Iterator[RedisServer]:
    """redis-server on a free loopback port, working in `root` (more `options`, e.g. a password); stopped at the end."""
    root.mkdir(parents=True, exist_ok=True)
    server = RedisServer(root, _free_port())
    cmd = [
        REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(server.port), "--dir", str(root),
        "--save", "", "--appendonly", "no", "--logfile", str(server.log), "--daemonize", "no",
        "--protected-mode", "yes", *options,
    ]
    server.proc = subprocess.Popen(cmd, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while not server.answers():
            if server.proc.poll() is not None:
                log = server.log.read_text(errors="replace") if server.log.exists() else ""
                raise AssertionError(f"redis-server exited ({server.proc.returncode}):\n{log}")
            if time.monotonic() > deadline:
                raise AssertionError(f"redis-server on port {server.port} did not answer within 20s")
            time.sleep(0.05)
        yield server
    finally:
        server.proc.terminate()
        try:
            server.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait()
