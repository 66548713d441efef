"""Helpers of the preview tests: a ``make-report preview`` process on a project of its own
(always ended by the test that starts it), polling, edits to the dataset."""

from __future__ import annotations

import http.client
import os
import re
import selectors
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

DATASET = "data/xiaohongshu-2020.yaml"


def visible(text: str) -> str:
    """``text`` as a reader sees it: without format characters (Unicode Cf: the word
    joiner that keeps 1 and 亿 on one line, soft hyphens) and with no-break spaces (the one
    that keeps a title's last two words together) as plain spaces."""
    import unicodedata

    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def wait_for(predicate, what: str, timeout: float = 60.0, interval: float = 0.05):
    """Poll ``predicate`` until it returns something true; fail naming ``what``. The
    timeout is a guard against a hang, not a measurement (benchmarks/ measures)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(interval)


class Preview:
    """``make-report preview --port 0 --no-open ARGS`` in ``project``; :meth:`stop` ends it."""

    def __init__(self, project: Path, *args: str, log: Path):
        self.project = project
        self.log_path = log
        self._log = open(log, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "reporting", "preview", "--port", "0", "--no-open", *args],
            cwd=project, stdout=subprocess.PIPE, stderr=self._log, stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: ended whole, whatever happens
        )
        try:
            self.url = self._first_line().strip()
        except BaseException:
            self.stop()
            raise
        parsed = urllib.parse.urlsplit(self.url)
        self.host, self.port = parsed.hostname, parsed.port

    def _first_line(self, timeout: float = 120.0) -> str:
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            pytest.fail(f"preview printed no address; its log:\n{self.log()}")
        line = self.process.stdout.readline().decode()
        if not line.startswith("http://"):
            pytest.fail(f"preview did not start ({line!r}); its log:\n{self.log()}")
        return line

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def request(self, path: str, host: str | None = None, headers: dict | None = None) -> tuple[int, dict, bytes]:
        """GET ``path`` sent as written (no normalisation), with ``host`` as the Host header."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
            connection.putheader("Host", f"{self.host}:{self.port}" if host is None else host)
            for key, value in (headers or {}).items():
                connection.putheader(key, value)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    def page(self, path: str = "/") -> str:
        """The page's text, without invisible format characters (see :func:`visible`)."""
        status, _headers, body = self.request(path)
        assert status == 200, body[:500]
        return visible(body.decode("utf-8"))

    def children(self) -> list[int]:
        """The server's child processes (its PDF worker)."""
        pids = []
        for task in Path(f"/proc/{self.process.pid}/task").glob("*/children"):
            pids += [int(pid) for pid in task.read_text().split()]
        return pids

    def interrupt(self, timeout: float = 60.0) -> int:
        """Ctrl-C; the exit status."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # whatever of its group is left
        except ProcessLookupError:
            pass
        if self.process.poll() is None:
            self.process.wait(30)
        self.process.stdout.close()
        self._log.close()


def value_line(path: Path, fact_id: str) -> int:
    """The line (1-based) of fact ``fact_id``'s ``value:`` in the dataset at ``path``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {fact_id}")
    return next(i for i in range(start + 1, len(lines)) if lines[i].strip().startswith("value:")) + 1


def set_value(path: Path, fact_id: str, value) -> None:
    """Change the ``value:`` line of fact ``fact_id`` in the dataset at ``path`` (in place, as an editor saves)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    offset = value_line(path, fact_id) - 1
    indent = lines[offset][: len(lines[offset]) - len(lines[offset].lstrip())]
    lines[offset] = f"{indent}value: {value}\n"
    path.write_text("".join(lines), encoding="utf-8")


NEW_MAU = 123456789
"""The monthly active users the tests set; the report prints it as 1.23亿 / 123.46 million,
or with more digits (1.2346亿) where the dataset's precision asks for them."""
NEW_MAU_ZH = re.compile(r"超过1\.23\d*亿")
NEW_MAU_EN = re.compile(r"over\s123\.\d+\smillion")  # \s: also the no-break space that joins them
