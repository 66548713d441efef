"""How quickly ``make-report preview`` follows a save, as a browser sees it.

Starts ``make-report preview`` on a project made by ``make-report init`` (the shipped
dataset), holds its event stream open as a page does, and times, for each kind of edit,
from the moment the file is written (in place, as most editors save) to

- *event*: the refresh event reaching the client, and
- *page*: the new page fetched (what the browser then swaps in).

Then the warm PDF: ``GET /brief.pdf`` after a dataset edit, against WeasyPrint's own
layout and writing of the same brief's HTML in a warm process (fonts loaded).

    .venv/bin/python benchmarks/preview_latency.py [--runs 10]

Prints the reference loop (see bench.py), then the tables in Markdown.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import selectors
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # reporting, for its number format
from bench import machine_speed  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATASET = "data/xiaohongshu-2020.yaml"


class Server:
    """``make-report preview --port 0 --no-open`` in ``project``, with an open event stream."""

    def __init__(self, project: Path, env: dict[str, str], log: Path):
        self.log = open(log, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "reporting", "preview", "--port", "0", "--no-open"],
            cwd=project, env=env, stdout=subprocess.PIPE, stderr=self.log, start_new_session=True)
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        if not selector.select(300):
            raise SystemExit("the preview printed no address")
        url = self.process.stdout.readline().decode().strip()
        match = re.fullmatch(r"http://([\d.]+):(\d+)/", url)
        if not match:
            raise SystemExit(f"the preview did not start: {url!r}, see {log}")
        self.host, self.port = match.group(1), int(match.group(2))
        self.events = socket.create_connection((self.host, self.port))
        self.events.sendall(f"GET /_preview/events HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n".encode())
        self.buffer = b""
        self.next_event(timeout=300)  # the version of the page as it is

    def next_event(self, timeout: float = 60.0) -> float:
        """Wait for the next ``version`` event; the time it arrived (perf_counter)."""
        self.events.settimeout(timeout)
        while True:
            match = re.search(rb"event: version\ndata: \d+\n\n", self.buffer)
            if match:
                self.buffer = self.buffer[match.end():]
                return time.perf_counter()
            chunk = self.events.recv(65536)  # a comment every 15 s keeps it from timing out
            if not chunk:
                raise SystemExit("the event stream closed")
            self.buffer += chunk

    def get(self, path: str) -> bytes:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=300)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            if response.status not in (200, 422):
                raise SystemExit(f"GET {path}: {response.status}")
            return body
        finally:
            connection.close()

    def stop(self) -> None:
        self.events.close()
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process.stdout.close()
        self.log.close()


def set_value(path: Path, fact_id: str, value) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {fact_id}")
    at = next(i for i in range(start + 1, len(lines)) if lines[i].strip().startswith("value:"))
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    lines[at] = f"{indent}value: {value}\n"
    path.write_text("".join(lines), encoding="utf-8")


def timed_edit(server: Server, edit, shows, limit: float = 120.0) -> tuple[float, float]:
    """Seconds from ``edit()`` having written its file to the event after which the page
    ``shows`` the edit, and to that page fetched."""
    edit()
    written = time.perf_counter()
    while time.perf_counter() - written < limit:
        event = server.next_event(timeout=limit)
        page = server.get("/").decode("utf-8")
        if shows(page):
            return event - written, time.perf_counter() - written
    raise SystemExit(f"the page did not show the edit within {limit:.0f} s")


def printed(project: Path, fact_id: str, value: int) -> str:
    """How the report prints fact ``fact_id`` in Chinese once its value is ``value``:
    planned by the toolkit from an edited copy of the dataset (outside the project, so
    the preview does not see it)."""
    from reporting import load_dataset, plan
    from reporting.verify.check import report_figures

    copy = project.parent / "expected.yaml"
    copy.write_text((project / DATASET).read_text(encoding="utf-8"), encoding="utf-8")
    set_value(copy, fact_id, value)
    return report_figures(plan(load_dataset(copy), "bilingual"))[fact_id].text.get("zh")


def problems(page: str) -> bool:
    return 'id="reporting-preview-problems"' in page


def measure_edits(server: Server, project: Path, runs: int, first: int = 0) -> dict[str, list[tuple[float, float]]]:
    """``runs`` rounds of each kind of edit; figures from round ``first`` on, each new."""
    dataset = project / DATASET
    css = project / "templates" / "brief" / "custom.css"
    good = dataset.read_text(encoding="utf-8")
    css_text = css.read_text(encoding="utf-8")
    results: dict[str, list[tuple[float, float]]] = {}
    for run in range(first, first + runs):
        # A figure the text prints (300 million notes): a new value each time.
        value = 301_000_000 + run * 10_000_000
        text = printed(project, "notes_2020", value)
        results.setdefault("figure in the text (notes_2020)", []).append(timed_edit(
            server, lambda: set_value(dataset, "notes_2020", value),
            lambda page: text in page and not problems(page)))
        # A figure a chart draws too (monthly active users): that chart is drawn anew.
        value = 123_000_000 + run * 1_000_000
        text = printed(project, "mau", value)
        results.setdefault("figure in a chart (mau; the chart redrawn)", []).append(timed_edit(
            server, lambda: set_value(dataset, "mau", value),
            lambda page: text in page and not problems(page)))
        # A CSS rule in the project's custom.css.
        rule = f".bench-{run} {{ color: #123456; }}\n"
        results.setdefault("CSS rule (templates/brief/custom.css)", []).append(timed_edit(
            server, lambda: css.write_text(css_text + rule, encoding="utf-8"), lambda page: rule.strip() in page))
        # A YAML syntax error: the overlay; then the fix: the overlay gone.
        results.setdefault("YAML syntax error: the overlay shown", []).append(timed_edit(
            server, lambda: set_value(dataset, "mau", "1: x"), problems))
        results.setdefault("the fix: the overlay gone", []).append(timed_edit(
            server, lambda: dataset.write_text(good, encoding="utf-8"), lambda page: not problems(page)))
    return results


def measure_pdf(server: Server, project: Path, runs: int) -> list[float]:
    """Seconds of ``GET /brief.pdf`` after a dataset edit (the page refreshed first)."""
    dataset = project / DATASET
    server.get("/brief.pdf")  # the worker's first brief: fonts loaded
    times = []
    for run in range(runs):
        value = 401_000_000 + run * 10_000_000
        timed_edit(server, lambda: set_value(dataset, "notes_2020", value), lambda page: not problems(page))
        start = time.perf_counter()
        body = server.get("/brief.pdf")
        times.append(time.perf_counter() - start)
        assert body.startswith(b"%PDF"), body[:200]
    return times


WEASYPRINT_ALONE = """
import sys, time
from pathlib import Path
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
html = Path(sys.argv[1]); runs = int(sys.argv[2])
font_config = FontConfiguration()
def once():
    start = time.perf_counter()
    HTML(string=html.read_text(encoding="utf-8"), base_url=str(html.parent)).render(
        font_config=font_config, pdf_variant="pdf/ua-1").write_pdf(html.with_suffix(".pdf"), pdf_variant="pdf/ua-1")
    return time.perf_counter() - start
once()  # fonts loaded, as in the preview's warm worker
print(" ".join(f"{once():.4f}" for _ in range(runs)))
"""


def weasyprint_alone(project: Path, env: dict[str, str], runs: int) -> list[float]:
    """WeasyPrint's own time for the default brief's HTML, warm, in a process of its own."""
    out = project / "bench-out"
    subprocess.run([sys.executable, "-m", "reporting", "--format", "html", "--out", str(out)],
                   cwd=project, env=env, check=True, capture_output=True)
    [html] = out.glob("*.html")
    result = subprocess.run([sys.executable, "-c", WEASYPRINT_ALONE, str(html), str(runs)],
                            env=env, check=True, capture_output=True, text=True)
    return [float(value) for value in result.stdout.split()]


def row(name: str, values: list[float]) -> str:
    return f"| {name} | {statistics.median(values):.3f} | {max(values):.3f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="edits of each kind (default 10)")
    args = parser.parse_args()
    print(f"reference loop: {machine_speed():.2f} s")
    with tempfile.TemporaryDirectory(prefix="preview-bench-") as work:
        work = Path(work)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(work / "cache")}
        project = work / "brief"
        subprocess.run([sys.executable, "-m", "reporting", "init", str(project)], env=env, check=True,
                       capture_output=True)
        server = Server(project, env, work / "preview.log")
        try:
            # One round unmeasured: the server has drawn the charts into the fresh cache and
            # made chart drawing ready (see Builder.warm_up) before a user's first edit.
            measure_edits(server, project, 1, first=args.runs)
            edits = measure_edits(server, project, args.runs)
            pdf = measure_pdf(server, project, args.runs)
        finally:
            server.stop()
        alone = weasyprint_alone(project, env, args.runs)

    print()
    print(f"| edit, saved in place ({args.runs} of each) | save → event at the client, median s | max s |")
    print("| --- | --- | --- |")
    for name, values in edits.items():
        print(row(name, [event for event, _page in values]))
    print()
    print(f"| edit ({args.runs} of each) | save → new page fetched, median s | max s |")
    print("| --- | --- | --- |")
    for name, values in edits.items():
        print(row(name, [page for _event, page in values]))
    print()
    print(f"| PDF brief ({args.runs} runs) | median s | max s |")
    print("| --- | --- | --- |")
    print(row("`GET /brief.pdf` after a dataset edit (warm worker)", pdf))
    print(row("WeasyPrint alone on the same brief's HTML, warm", alone))
    slowest_event = max(event for values in edits.values() for event, _page in values)
    print()
    print(f"target: save to refresh event under 0.5 s: median "
          f"{statistics.median(e for v in edits.values() for e, _ in v):.3f} s, slowest {slowest_event:.3f} s")
    margin = statistics.median(pdf) - statistics.median(alone)
    print(f"target: warm PDF rebuild within WeasyPrint alone + 0.3 s: {margin:+.3f} s "
          f"({'met' if margin <= 0.3 else 'missed'})")


if __name__ == "__main__":
    main()
