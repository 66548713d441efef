"""The preview's HTTP server (aiohttp): the page, its event stream, the PDF and the deck.

Routes, and nothing else (no files from disk by path, no directory listing):

- ``GET /?audience=A&lang=L``: the report as a complete page (toolbar, problems overlay,
  refresh script), rendered again first when an input changed since;
- ``GET /_preview/events?...``: Server-Sent Events, the page's version on every change;
- ``GET /_preview/refresh.js``: the refresh script;
- ``GET /brief.pdf?...``, ``GET /deck.pptx?...``: built on request into the preview's own
  scratch folder, kept until an input changes.

Every request is checked first: the ``Host`` header must name this server (a page on
another site cannot reach it through DNS rebinding), a path with ``.``/``..`` segments
(also percent-encoded) or a backslash is refused, and so are requests a browser marks as
cross-site, except following a link to the page itself.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import shutil
import signal
import socket
import tempfile
import threading
import time
import traceback
from contextlib import suppress
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

from aiohttp import web

from ..pipeline.build import Builder
from ..errors import DataError, ReportError, UsageError
from ..pipeline.pdfworker import PdfWorker
from ..scratch import interruptions_held
from .bench import Bench, build_output, render_page, warm_up
from .inputs import ProjectInputs, Selection, Settings
from .requestlog import request_errors_in_one_line
from .page import EVENTS_PATH, SCRIPT_PATH, Toolbar, compose, problems_page
from .state import View, Views, problem_lines
from .watcher import watch

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
HEARTBEAT_S = 15.0
"""Seconds between comments on an idle event stream, so a dead connection is noticed."""
OUTPUT_TYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class PortInUse(UsageError):
    """The port asked for is taken (exit status 2)."""


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (0: any free port). Raises
    :class:`PortInUse`, or :class:`UsageError` for an address this machine does not have."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as error:
        raise UsageError(f"cannot listen on {host!r}: {error.strerror}") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a port in TIME_WAIT after a restart
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise PortInUse(
                f"port {port} on {host} is in use; choose another with --port (--port 0 takes any free one)"
            ) from None
        raise UsageError(f"cannot listen on {host} port {port}: {error.strerror}") from None
    return sock


def host_name(header: str | None) -> str | None:
    """The host of a ``Host`` header, without port or brackets, lower case."""
    if not header:
        return None
    header = header.strip().lower()
    if header.startswith("["):
        end = header.find("]")
        return header[1:end] if end > 0 else None
    return header.rsplit(":", 1)[0].rstrip(".") if ":" in header else header.rstrip(".")


def allowed_hosts(host: str) -> Callable[[str | None], bool]:
    """Which ``Host`` headers to answer: the loopback names, and when serving on another
    address, that address and any IP literal (DNS rebinding needs a domain name)."""
    loopback = host in LOOPBACK_NAMES

    def allowed(header: str | None) -> bool:
        name = host_name(header)
        if name is None:
            return False
        if name in LOOPBACK_NAMES or (not loopback and name == host.lower()):
            return True
        if loopback:
            return False
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            return False

    return allowed


def refused_path(raw_path: str) -> bool:
    """True for a path with ``.`` or ``..`` segments (however percent-encoded), a
    backslash or a NUL: no route has them, so they are refused before routing."""
    path = raw_path.split("?", 1)[0]
    for _ in range(3):  # %252e%252e is %2e%2e once decoded, and .. twice
        path = unquote(path)
    if "\\" in path or "\x00" in path:
        return True
    return any(segment in (".", "..") for segment in path.split("/"))


@dataclass
class Built:
    generation: int
    path: Path


class PreviewServer:
    """The preview: views rendered by ``pages`` (a :class:`Bench`), the PDF and deck by
    ``outputs``, written under ``workdir``. ``log`` takes a line for the terminal."""

    def __init__(
        self,
        settings: Settings,
        initial: Selection,
        pages: Bench,
        outputs: Bench,
        workdir: Path,
        host: str,
        log: Callable[[str], None],
    ):
        self.settings = settings
        self.initial = initial
        self.pages = pages
        self.outputs = outputs
        self.workdir = workdir
        self.log = log
        self.views = Views()
        self.audiences: tuple[str, ...] = ()
        self.own_edition: dict[Selection, str] = {}
        self.dataset_files: frozenset[Path] = frozenset()
        """The files the dataset was last read from: watched wherever they are."""
        self._replan = asyncio.Event()
        self.host_allowed = allowed_hosts(host)
        self.stopping = asyncio.Event()
        self._built: dict[tuple[Selection, str], Built] = {}
        self._build_locks: dict[tuple[Selection, str], asyncio.Lock] = {}
        self._tasks: set[asyncio.Task] = set()
        self._script = resources.files(__package__).joinpath("refresh.js").read_bytes()

    # --- the application ------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        app.router.add_get("/", self.page)
        app.router.add_get(SCRIPT_PATH, self.script)
        app.router.add_get(EVENTS_PATH, self.events)
        app.router.add_get("/brief.pdf", lambda request: self.output(request, "pdf"))
        app.router.add_get("/deck.pptx", lambda request: self.output(request, "pptx"))
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler):
        if not self.host_allowed(request.headers.get("Host")):
            return self._headers(web.Response(status=403, text="Forbidden: this server answers only for localhost\n"))
        if refused_path(request.raw_path):
            return self._headers(web.Response(status=400, text="Bad request: path refused\n"))
        # Another site, or a page served from another port of this machine (the same
        # "site" to a browser, which ignores ports), may open the page, never make this
        # machine build or stream events: its Origin is not this server's.
        if request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site") and not (
            request.headers.get("Sec-Fetch-Mode") == "navigate" and request.path == "/"
        ):
            return self._headers(web.Response(status=403, text="Forbidden: cross-site request\n"))
        origin = request.headers.get("Origin")
        if origin is not None and origin.lower() != f"{request.scheme}://{request.host}".lower():
            return self._headers(web.Response(status=403, text="Forbidden: request from another origin\n"))
        try:
            response = await handler(request)
        except web.HTTPException as error:
            return self._headers(web.Response(status=error.status, text=f"{error.text}\n"))
        return self._headers(response)

    @staticmethod
    def _headers(response: web.StreamResponse) -> web.StreamResponse:
        if not response.prepared:
            for key, value in COMMON_HEADERS.items():
                response.headers.setdefault(key, value)
            if response.content_type not in OUTPUT_TYPES.values():
                response.headers.setdefault("Content-Security-Policy", "default-src 'none'")
        return response

    def _selection(self, request: web.Request) -> Selection:
        query = request.query
        if not query:
            return self.initial
        try:
            return Selection.parse(query.get("audience"), query.get("lang"))
        except UsageError as error:
            raise web.HTTPBadRequest(text=f"400: Bad Request: {error}") from None  # any text, unlike a reason

    # --- the page ---------------------------------------------------------------------

    async def page(self, request: web.Request) -> web.Response:
        view = self.views.get(self._selection(request))
        await self.refresh(view)
        toolbar = Toolbar(view.selection, self.audiences, self.own_edition.get(view.selection))
        html, policy = compose(view.good_html, view.problems, view.version, toolbar)
        return web.Response(
            text=html, content_type="text/html", charset="utf-8", headers={"Content-Security-Policy": policy}
        )

    async def script(self, request: web.Request) -> web.Response:
        return web.Response(body=self._script, content_type="text/javascript", charset="utf-8")

    async def refresh(self, view: View) -> None:
        """Render ``view`` again if an input changed since it was last rendered."""
        async with view.lock:
            if not self.views.stale(view):
                return
            generation = self.views.generation
            started = time.perf_counter()
            html = None
            try:
                page = await asyncio.wrap_future(self.pages.submit(render_page, view.selection))
                html, self.audiences, self.own_edition[view.selection] = page.html, page.audiences, page.own_edition
                if page.dataset_files != self.dataset_files:  # a spreadsheet named, or another one
                    self.dataset_files = page.dataset_files
                    self._replan.set()
                problems: list[str] = []
            except Exception as error:  # the server never dies of bad input, nor of a bug
                if not isinstance(error, ReportError):
                    self.log("".join(traceback.format_exception(error)).rstrip())
                problems = problem_lines(error)
            changed = view.record(generation, html, problems)
            name = f"{view.selection.audience or 'default'}/{view.selection.edition or 'own edition'}"
            seconds = time.perf_counter() - started
            if problems:
                if changed:
                    count = len(problems)
                    self.log(
                        f"{name}: {count} problem{'s' if count != 1 else ''} in the input "
                        f"({seconds:.2f} s); the page keeps its last good render:"
                    )
                    for line in problems:
                        self.log(f"  {line}")
            else:
                self.log(f"{name}: rendered in {seconds:.2f} s" + ("" if changed else " (unchanged)"))

    async def _first_render(self) -> None:
        """The first page ready before it is asked for; then chart drawing made ready,
        while nobody waits, for the first edit that changes a chart."""
        await self.refresh(self.views.get(self.initial))
        with suppress(Exception):  # bad input: the page says so already
            await asyncio.wrap_future(self.pages.submit(warm_up, self.initial))

    async def on_change(self, paths: set[Path]) -> None:
        """A batch of changed inputs: every open page's view is rendered again now, the
        others when next asked for; the PDF and deck when next asked for."""
        self.views.generation += 1
        self.pages.note(paths)
        self.outputs.note(paths)
        shown = ", ".join(sorted(path.name for path in paths)[:5])
        self.log(f"changed: {shown}" + (f" and {len(paths) - 5} more" if len(paths) > 5 else ""))
        for view in self.views.watched():
            self._spawn(self.refresh(view))

    def _spawn(self, coroutine) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- the event stream -----------------------------------------------------------

    async def events(self, request: web.Request) -> web.StreamResponse:
        view = self.views.get(self._selection(request))
        queue = view.subscribe()
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"})
        self._headers(response)
        try:
            await response.prepare(request)
            await response.write(b"retry: 1000\n\n")
            if self.views.stale(view):
                self._spawn(self.refresh(view))
            version: int | None = view.version
            while version is not None and not self.stopping.is_set():
                await response.write(f"event: version\ndata: {version}\n\n".encode())
                version = await self._next_version(queue, response)
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            view.unsubscribe(queue)
        return response

    async def _next_version(self, queue: asyncio.Queue, response: web.StreamResponse) -> int | None:
        """The next version put in ``queue``; a comment on the stream while waiting."""
        while True:
            try:
                return await asyncio.wait_for(queue.get(), HEARTBEAT_S)
            except asyncio.TimeoutError:
                await response.write(b": still here\n\n")

    # --- the PDF brief and the deck -------------------------------------------------------

    async def output(self, request: web.Request, fmt: str) -> web.StreamResponse:
        selection = self._selection(request)
        key = (selection, fmt)
        lock = self._build_locks.setdefault(key, asyncio.Lock())
        async with lock:
            built = self._built.get(key)
            if built is None or built.generation != self.views.generation or not built.path.is_file():
                generation = self.views.generation
                folder = self.workdir / f"{selection.audience or 'default'}-{selection.edition or 'own'}"
                started = time.perf_counter()
                try:
                    path, timings = await asyncio.wrap_future(self.outputs.submit(build_output, selection, fmt, folder))
                except Exception as error:
                    if not isinstance(error, ReportError):
                        self.log("".join(traceback.format_exception(error)).rstrip())
                    problems = problem_lines(error)
                    self.log(f"{fmt}: not built: {problems[0]}")
                    return web.Response(
                        status=422,
                        text=problems_page(f"The {fmt} could not be built", problems),
                        content_type="text/html",
                        charset="utf-8",
                    )
                stages = ", ".join(f"{stage} {seconds:.2f}" for stage, seconds in timings.items())
                self.log(f"{path.name}: built in {time.perf_counter() - started:.2f} s ({stages})")
                built = self._built[key] = Built(generation, path)
        disposition = "inline" if fmt == "pdf" else "attachment"
        return web.FileResponse(
            built.path,
            headers={
                "Content-Type": OUTPUT_TYPES[fmt],
                "Content-Disposition": f'{disposition}; filename="{built.path.name}"',
            },
        )

    # --- running --------------------------------------------------------------------

    async def run(self, sock: socket.socket, on_ready: Callable[[str], None]) -> None:
        """Serve on ``sock`` until SIGINT, SIGTERM or SIGHUP; then stop cleanly."""
        loop = asyncio.get_running_loop()
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(signum, self.stopping.set)
        runner = web.AppRunner(self.app(), handle_signals=False, access_log=None)
        await runner.setup()
        with request_errors_in_one_line(self.log):
            await self._serve(runner, sock, on_ready)

    async def _serve(self, runner: web.AppRunner, sock: socket.socket, on_ready: Callable[[str], None]) -> None:
        try:
            site = web.SockSite(runner, sock, shutdown_timeout=1.0)
            await site.start()
            self._spawn(self._first_render())
            on_ready(url_of(sock))
            watch_stop = asyncio.Event()
            watcher = asyncio.ensure_future(self._watch(watch_stop))
            await self.stopping.wait()
            watch_stop.set()  # the watch threads notice within their timeout
            with suppress(asyncio.TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(watcher, 2.0)
            for view in self.views.all():
                for queue in view.subscribers:
                    queue.put_nowait(None)  # every event stream ends
        finally:
            await runner.cleanup()
            for task in list(self._tasks):
                task.cancel()

    async def _watch(self, stop: asyncio.Event) -> None:
        def plan():
            found = ProjectInputs(self.settings).watch_plan()
            return replace(found, files=found.files | self.dataset_files)

        while not stop.is_set():
            try:
                await watch(plan, self.on_change, stop, self.log, replan=self._replan)
            except Exception as error:  # a watched folder removed, too many watches: try again
                self.log(f"watching the inputs failed ({type(error).__name__}: {error}); trying again")
                await asyncio.sleep(1.0)


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve(
    settings: Settings,
    initial: Selection,
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    on_ready: Callable[[str], None],
    log: Callable[[str], None],
) -> None:
    """Run the preview until interrupted. ``on_ready`` gets the address once it listens.

    Side effects: a PDF worker process (forked first, before any thread or socket exists,
    so it holds neither), two threads that build, a scratch folder for the PDF and deck
    (removed on exit). Raises :class:`PortInUse` or :class:`UsageError` before serving.
    """
    if settings.data is not None and not Path(settings.data).is_file():
        raise UsageError(f"dataset not found: {settings.data}")
    outputs_worker = PdfWorker(parallel=True)
    pages = Bench(settings, Builder(parallel=False), "pages")
    outputs = Bench(settings, Builder(pdf_worker=outputs_worker), "outputs")
    try:
        pages.inputs.options(initial)  # an audience the config does not define is misuse, as for a build
    except DataError:
        pass  # a config that does not parse: the page shows why until it is fixed
    workdir: Path | None = None
    try:
        with interruptions_held():  # the folder and its removal below, or neither
            workdir = Path(tempfile.mkdtemp(prefix="make-report-preview-"))
        outputs_worker.start_all()  # WeasyPrint imported and kept, for the first brief asked for
        sock = listen(host, port)
        try:
            server = PreviewServer(settings, initial, pages, outputs, workdir, host, log)
            asyncio.run(server.run(sock, on_ready))
        finally:
            sock.close()
    finally:
        pages.close()
        outputs.close()
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
