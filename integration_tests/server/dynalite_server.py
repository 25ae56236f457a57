"""Start and stop the pinned dynalite server on a free loopback port."""

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

SERVER_DIR = Path(__file__).resolve().parent
CLI = SERVER_DIR / "node_modules" / "dynalite" / "cli.js"
START_TIMEOUT_SECONDS = 20.0
ERROR_NOT_INSTALLED = (
    "dynalite is not installed at %s: run 'make test' (it runs 'npm ci' in "
    "integration_tests/server) or set DYNAMODB_ENDPOINT_URL"
)
ERROR_NO_NODE = "node is not on PATH: install Node.js or set DYNAMODB_ENDPOINT_URL"
ERROR_NOT_ANSWERING = "dynalite did not answer on %s within %.0f s; its output:\n%s"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except urllib.error.HTTPError:
        return True  # any HTTP answer means the server is up
    except OSError:
        return False


class DynaliteServer:
    """A dynalite process listening on 127.0.0.1 (in memory, no files)."""

    def __init__(self, create_table_ms: int = 200, delete_table_ms: int = 200) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._delays = [
            "--createTableMs",
            str(create_table_ms),
            "--deleteTableMs",
            str(delete_table_ms),
        ]
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> str:
        """Start the server and wait until it answers.

        Returns:
            The server's endpoint URL.

        Raises:
            RuntimeError: If node or dynalite is missing, or the server does
                not answer in time.
        """
        node = shutil.which("node")
        if node is None:
            raise RuntimeError(ERROR_NO_NODE)
        if not CLI.exists():
            raise RuntimeError(ERROR_NOT_INSTALLED % CLI)
        command = [node, str(CLI), "--host", "127.0.0.1", "--port", str(self.port)]
        self._process = subprocess.Popen(
            command + self._delays,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NODE_ENV": "production"},
        )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                break
            if _answers(self.url):
                return self.url
            time.sleep(0.1)
        output = self.stop()
        raise RuntimeError(
            ERROR_NOT_ANSWERING % (self.url, START_TIMEOUT_SECONDS, output)
        )

    def stop(self) -> str:
        """Stop the server (kill it if it does not stop) and return its output."""
        process, self._process = self._process, None
        if process is None:
            return ""
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        assert process.stdout is not None
        return process.stdout.read().decode(errors="replace")
