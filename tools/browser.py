"""The dashboard served on this machine and a headless browser to look at it: for the
end-to-end test and ``make screenshots``. The browser is Debian's chromium, never a download."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("SIB_CHROMIUM", "/usr/bin/chromium")
#: Without the background-networking flags chromium keeps trying to reach Google on a closed
#: network; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served(port: int | None = None, env: dict[str, str] | None = None, timeout: float = 90) -> Iterator[str]:
    """``streamlit run app.py`` on a free port until the block ends; yields its address."""
    port = port or free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            # No reloading of sib's modules when a file under the checkout changes while the
            # tests run: a reloaded module's classes are not the ones the others hold.
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        answering(proc, url, timeout)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def answering(proc: subprocess.Popen, url: str, timeout: float = 90) -> None:
    """Wait until the Streamlit server ``proc`` answers its health check at ``url``; an error
    if it exits first or stays silent for ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited: {proc.stderr.read() if proc.stderr else ''}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"streamlit did not answer on {url} within {timeout:.0f} s")
        time.sleep(0.3)


def browser(playwright):
    """Headless Debian chromium, driven by Playwright."""
    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (make system-deps)")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
