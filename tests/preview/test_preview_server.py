"""``make-report preview`` as a user runs it: a process serving a project made by
``make-report init``, driven over HTTP while the test edits the project's files."""

from __future__ import annotations

import html
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from preview_helpers import DATASET, NEW_MAU, NEW_MAU_EN, NEW_MAU_ZH, set_value, value_line, visible, wait_for

pytestmark = pytest.mark.slow

COVER_ZH = "小红书2020年度回顾"
COVER_EN = "Xiaohongshu (RED): 2020 in Review"


def page_when(preview, test, what: str) -> str:
    """The page, once ``test(page)`` holds."""
    found = {}

    def check():
        found["page"] = preview.page()
        return test(found["page"])

    wait_for(check, what)
    return found["page"]


def problems_in(page: str) -> list[str]:
    overlay = re.search(r'<section id="reporting-preview-problems".*?</section>', page, re.S)
    found = re.findall(r"<li><code>(.*?)</code></li>", overlay.group(0)) if overlay else []
    return [html.unescape(text) for text in found]


def free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


def it_serves_the_cover_and_follows_the_dataset_through_a_bad_edit_and_back(project, start_preview):
    port = free_port()
    preview = start_preview(project, "--port", str(port))  # the last --port given wins
    assert preview.url == f"http://127.0.0.1:{port}/"
    first = preview.page()
    assert COVER_ZH in first and COVER_EN in first
    assert not NEW_MAU_ZH.search(first) and "超过1亿" in first

    dataset = project / DATASET
    good = dataset.read_text(encoding="utf-8")
    set_value(dataset, "mau", NEW_MAU)
    page = page_when(preview, lambda text: NEW_MAU_ZH.search(text), "the new figure")
    assert NEW_MAU_EN.search(page)
    assert not problems_in(page)

    set_value(dataset, "mau", "123456789: x")  # a YAML syntax error
    page = page_when(preview, lambda text: problems_in(text), "the problems overlay")
    line = value_line(dataset, "mau")
    assert problems_in(page) == [f"data/xiaohongshu-2020.yaml:{line}: YAML syntax error: mapping values are not allowed here"]
    assert NEW_MAU_ZH.search(page) and COVER_ZH in page  # the last good page stays underneath

    dataset.write_text(good, encoding="utf-8")
    page = page_when(preview, lambda text: not problems_in(text), "the overlay to go")
    assert not NEW_MAU_ZH.search(page) and "超过1亿" in page
    assert preview.process.poll() is None  # bad input never ends the server


def it_refuses_paths_outside_its_routes_and_other_hosts(read_only_preview):
    preview = read_only_preview
    for path in ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
                 "/%252e%252e/etc/passwd", "/_preview/..%2f..%2fetc/passwd", "/..\\..\\etc\\passwd"):
        status, _headers, body = preview.request(path)
        assert status in (400, 404), (path, status)
        assert b"root:" not in body
    for path in ("/etc/passwd", "/data/xiaohongshu-2020.yaml", "/report.toml", "/templates/", "/data/"):
        status, _headers, body = preview.request(path)
        assert status == 404, path  # no file by path, no directory listing
    for host in ("evil.example", "evil.example:%d" % preview.port, "127.0.0.1.evil.example", ""):
        status, _headers, body = preview.request("/", host=host)
        assert status == 403, host
        assert COVER_ZH.encode() not in body
    for host in ("localhost:%d" % preview.port, "127.0.0.1:%d" % preview.port, "LOCALHOST"):
        assert preview.request("/", host=host)[0] == 200, host
    status, _headers, _body = preview.request("/brief.pdf", headers={"Sec-Fetch-Site": "cross-site",
                                                                       "Sec-Fetch-Mode": "no-cors"})
    assert status == 403  # another site's page cannot make this machine build


def it_listens_on_loopback_only(read_only_preview):
    preview = read_only_preview
    port = f"{preview.port:04X}"
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            if local.endswith(f":{port}") and state == "0A":  # 0A: LISTEN
                listening.append((table, local))
    assert listening == [("/proc/net/tcp", f"0100007F:{port}")]


def it_keeps_the_preview_content_security_policy(read_only_preview):
    preview = read_only_preview
    status, headers, body = preview.request("/")
    page = body.decode()
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page).group(1)
    directives = {part.split()[0]: part.split()[1:] for part in meta.replace("&#x27;", "'").split("; ")}
    assert directives == {
        "default-src": ["'none'"], "img-src": ["data:", "file:"], "style-src": ["'unsafe-inline'", "file:"],
        "font-src": ["data:", "file:"], "script-src": ["'self'"], "connect-src": ["'self'"],
    }
    assert headers["content-security-policy"] == meta.replace("&#x27;", "'")
    assert headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in page and '<script src="/_preview/refresh.js" defer></script>' in page
    status, headers, script = preview.request("/_preview/refresh.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript") and b"EventSource" in script


def it_tells_open_pages_of_each_change(project, start_preview):
    preview = start_preview(project)
    preview.page()
    connection = socket.create_connection((preview.host, preview.port))
    try:
        connection.sendall(f"GET /_preview/events HTTP/1.1\r\nHost: 127.0.0.1:{preview.port}\r\n\r\n".encode())
        received = b""

        def versions() -> list[int]:
            return [int(v) for v in re.findall(rb"event: version\ndata: (\d+)\n\n", received)]

        def read_until(count: int) -> list[int]:
            nonlocal received
            connection.settimeout(120)
            while len(versions()) < count:
                received += connection.recv(65536)
            return versions()

        first = read_until(1)[0]
        set_value(project / DATASET, "mau", NEW_MAU)
        assert read_until(2)[1] == first + 1
        assert b"text/event-stream" in received.split(b"\r\n\r\n")[0]
    finally:
        connection.close()


def it_switches_audience_and_edition_from_the_query(read_only_preview):
    preview = read_only_preview
    english = preview.page("/?audience=press&lang=en")
    assert 'lang="en"' in english and COVER_EN in english and COVER_ZH not in english
    assert '<option value="press" selected>' in english and '<option value="en" selected>' in english
    assert 'href="/brief.pdf?audience=press&amp;lang=en"' in english
    unknown = preview.page("/?audience=nobody")
    assert any("unknown audience 'nobody'" in p and "press" in p for p in problems_in(unknown))
    assert preview.request("/?audience=%3Cscript%3E")[0] == 400
    status, _headers, body = preview.request("/?audience=%E4%B8%AD%0A")
    assert status == 400 and "not an audience name" in body.decode()
    assert preview.request("/?lang=fr")[0] == 400


def it_shows_a_broken_config_with_its_line_and_follows_template_edits(project, start_preview):
    preview = start_preview(project)
    assert "Embargoed until" not in preview.page()
    override = project / "templates" / "brief" / "brief.html"
    override.write_text('{% extends "brief/base.html" %}\n'
                        '{% block cover_note %}<p class="note" lang="en">Embargoed until 9:00.</p>{% endblock %}\n',
                        encoding="utf-8")
    wait_for(lambda: "Embargoed until 9:00." in preview.page(), "the template edit")

    config = project / "report.toml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good + "\n[audiences.broken\n", encoding="utf-8")
    line = len((good + "\n[audiences.broken\n").splitlines())
    page = page_when(preview, lambda text: problems_in(text), "the config's problem")
    assert any(p.startswith(f"report.toml:{line}: TOML syntax error") for p in problems_in(page)), problems_in(page)
    config.write_text(good, encoding="utf-8")
    wait_for(lambda: not problems_in(preview.page()), "the overlay to go")


def it_stops_cleanly_on_ctrl_c(project, start_preview):
    preview = start_preview(project)
    preview.page()
    preview.request("/brief.pdf")  # the PDF worker has work behind it
    children = preview.children()
    assert preview.interrupt() == 0
    assert "preview stopped" in preview.log() and "Traceback" not in preview.log()
    for pid in children:
        wait_for(lambda: not Path(f"/proc/{pid}").exists() or "(Z)" in _stat(pid), f"worker {pid} to end")


def _stat(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().replace(")", ")", 1).split(")")[1][:4].replace(" ", "(", 1) + ")"
    except OSError:
        return "(Z)"


def it_says_a_port_in_use_in_one_line(project):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "reporting", "preview", "--port", str(port), "--no-open"],
                                cwd=project, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"make-report: error: port {port} on 127.0.0.1 is in use; choose another with --port (--port 0 takes any free one)"
    ]


def it_builds_the_brief_and_deck_on_request_and_again_after_a_change(project, start_preview):
    from io import BytesIO

    from pypdf import PdfReader

    preview = start_preview(project)

    def pdf_text() -> str:
        status, headers, body = preview.request("/brief.pdf")
        assert status == 200 and headers["content-type"] == "application/pdf", body[:300]
        assert headers["content-disposition"] == 'inline; filename="xiaohongshu-2020_default_bilingual.pdf"'
        return visible("".join(page.extract_text() for page in PdfReader(BytesIO(body)).pages))

    assert "超过1亿" in pdf_text().replace("\n", "")
    built = preview.log().count("_bilingual.pdf: built")
    pdf_text()
    assert preview.log().count("_bilingual.pdf: built") == built  # kept while nothing changed
    set_value(project / DATASET, "mau", NEW_MAU)
    wait_for(lambda: NEW_MAU_ZH.search(preview.page()), "the page to follow the edit")
    assert NEW_MAU_ZH.search(pdf_text().replace("\n", ""))

    status, headers, body = preview.request("/deck.pptx?audience=executive")
    assert status == 200, body[:300]
    assert headers["content-disposition"].startswith('attachment; filename="xiaohongshu-2020_executive_')
    from pptx import Presentation

    deck = Presentation(BytesIO(body))
    assert any(shape.has_chart for slide in deck.slides for shape in slide.shapes)
    assert NEW_MAU_ZH.search(visible("".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes
                                             if shape.has_text_frame)))


def it_answers_a_bad_edit_to_the_brief_with_its_problems(project, start_preview):
    preview = start_preview(project)
    dataset = project / DATASET
    set_value(dataset, "mau", "lots")
    wait_for(lambda: problems_in(preview.page()), "the problem")
    status, _headers, body = preview.request("/brief.pdf")
    assert status == 422
    assert re.search(rb"data/xiaohongshu-2020\.yaml:\d+: facts\[\d+\]\.value", body)


def it_refuses_an_audience_the_config_does_not_define(project):
    result = subprocess.run([sys.executable, "-m", "reporting", "preview", "--audience", "nobody", "--port", "0",
                             "--no-open"], cwd=project, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and result.stdout == ""
    assert "unknown audience 'nobody'" in result.stderr and "press" in result.stderr


def it_follows_a_spreadsheet_the_dataset_takes_its_facts_from_wherever_it_is(project, start_preview):
    sheet = project / "sheets" / "figures.csv"
    sheet.parent.mkdir()
    subprocess.run([sys.executable, "-m", "reporting", "facts", "export", str(sheet)], cwd=project, check=True,
                   capture_output=True)
    dataset = project / DATASET
    lines = dataset.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("facts:\n")
    end = next(i for i in range(start + 1, len(lines)) if re.match(r"[a-z_]+:", lines[i]))
    dataset.write_text("".join(lines[:start] + ["facts_from: ../sheets/figures.csv\n"] + lines[end:]), encoding="utf-8")

    preview = start_preview(project)
    assert "超过1亿" in preview.page()
    rows = sheet.read_text(encoding="utf-8").splitlines(keepends=True)
    [at] = [i for i, row in enumerate(rows) if row.startswith("mau,")]
    assert ",100000000," in rows[at]
    rows[at] = rows[at].replace(",100000000,", f",{NEW_MAU},", 1)
    sheet.write_text("".join(rows), encoding="utf-8")  # outside the dataset's folder
    wait_for(lambda: NEW_MAU_ZH.search(preview.page()), "the sheet's new figure")


def it_refuses_builds_asked_by_a_page_of_another_local_port(read_only_preview):
    """A page served from another port of this machine is the same "site" to a browser
    (Sec-Fetch-Site: same-site) and sends its own Origin: it cannot make this machine build."""
    preview = read_only_preview
    own = f"localhost:{preview.port}"
    for headers in ({"Origin": "http://localhost:5173"}, {"Origin": "null"},
                    {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "cors"}):
        status, _headers, _body = preview.request("/brief.pdf", host=own, headers=headers)
        assert status == 403, headers
    status, _headers, _body = preview.request("/", host=own, headers={"Origin": f"http://{own}"})
    assert status == 200


def it_logs_a_malformed_request_in_one_line(read_only_preview):
    """Requests that are no HTTP (a port scanner, a client speaking TLS to it) are answered
    400 and each logged in one line, not a traceback."""
    import socket

    preview = read_only_preview
    before = preview.log()
    for garbage in (b"GARBAGE\r\n\r\n", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40,
                    b"GET / HTTP/1.1\r\nHost: " + b"x" * 70000 + b"\r\n\r\n"):
        with socket.create_connection((preview.host, preview.port)) as conn:
            conn.sendall(garbage)
            answer = b""
            while chunk := conn.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.0 400"), answer[:80]
    added = wait_for(lambda: preview.log()[len(before):].count("malformed request") == 3 and preview.log()[len(before):],
                     "three lines in the log")
    assert "Traceback" not in added and len(added.strip().splitlines()) == 3, added
    assert preview.request("/")[0] == 200  # still serving
