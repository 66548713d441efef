"""Hostile and huge inputs: every one ends in bounded time and memory, with one line.

Each case runs in a process of its own under a memory cap (``RLIMIT_AS``) and a CPU cap
(``RLIMIT_CPU``), set by ``tests/hostile_child.py``: a reader that expands an alias bomb
or decompresses a zip bomb is killed by the cap (or fails with ``MemoryError``) and the
test fails; within its budgets the toolkit refuses the input with one line naming the
file and what was too large. Caps, not timings: no test measures how long anything took.
"""

from __future__ import annotations

import re
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from reporting.resources import templates_dir

HERE = Path(__file__).parent
CHILD = HERE / "hostile_child.py"
MINIMAL = HERE / "fixtures" / "minimal.yaml"
MAKE_REPORT = str(Path(sys.executable).with_name("make-report"))
MEMORY_MB = 1000
"""The memory cap of a ``make-report`` command here: the shipped deck builds in less."""
CPU_SECONDS = 120


def capped(*args: str, cwd: Path | None = None, memory_mb: int = MEMORY_MB) -> subprocess.CompletedProcess:
    """``make-report ARGS`` under the caps; its exit status, stdout and stderr."""
    return subprocess.run([sys.executable, str(CHILD), str(memory_mb), str(CPU_SECONDS), "exec", MAKE_REPORT, *args],
                          capture_output=True, text=True, cwd=cwd, env={**os.environ, "NO_COLOR": "1"})


def capped_cases(cases: list[tuple[str, Path, dict]], memory_mb: int = 700) -> list[tuple[str, str]]:
    """Each case (kind, path, limits) run by ``hostile_child.py`` under the caps, in one process."""
    done = subprocess.run([sys.executable, str(CHILD), str(memory_mb), str(CPU_SECONDS), "cases"],
                          input=json.dumps([[kind, str(path), limits] for kind, path, limits in cases]),
                          capture_output=True, text=True)
    assert done.returncode == 0, f"the capped process ended with {done.returncode}: {done.stderr[-2000:]}"
    return [tuple(outcome) for outcome in json.loads(done.stdout)]


def one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> str:
    """The command failed with exit 1 and a message without a traceback holding every
    fragment (``check`` lists its problems on stdout, a build on stderr): the message."""
    said = result.stdout + result.stderr
    assert result.returncode == 1, (result.returncode, said[-3000:])
    assert "Traceback" not in said, said[-3000:]
    for fragment in fragments:
        assert fragment in said, said[-3000:]
    return said


def project(tmp_path: Path, dataset_text: str | None = None, config_extra: str = "") -> Path:
    """A project folder: the minimal dataset (or ``dataset_text``) and a report.toml."""
    folder = tmp_path / "project"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "dataset.yaml").write_text(dataset_text or MINIMAL.read_text(encoding="utf-8"),
                                                  encoding="utf-8")
    (folder / "report.toml").write_text('[project]\ndataset = "data/dataset.yaml"\n' + config_extra,
                                        encoding="utf-8")
    return folder


# --------------------------------------------------------------------------- YAML aliases


def alias_bomb(levels: int = 9, fan_out: int = 9, word: str = "lol") -> str:
    """A "billion laughs" document: each level an anchored list of ``fan_out`` aliases of
    the level below; the last stands for ``fan_out ** levels`` words."""
    lines = [f"lol0: &lol0 [{', '.join([repr(word)] * fan_out)}]"]
    for level in range(1, levels + 1):
        lines.append(f"lol{level}: &lol{level} [{', '.join([f'*lol{level - 1}'] * fan_out)}]")
    return "\n".join(lines) + "\n"


def it_refuses_a_yaml_alias_bomb_in_check_and_build(tmp_path):
    folder = project(tmp_path, MINIMAL.read_text(encoding="utf-8") + alias_bomb())
    for args in (["check"], ["--format", "html", "--out", str(tmp_path / "out")]):
        result = capped(*args, cwd=folder)
        message = one_line_error(result, "data/dataset.yaml:", "yaml_nodes", "more than 1,000,000")
        assert len([line for line in message.splitlines() if "dataset.yaml" in line]) == 1
    assert not list((tmp_path / "out").glob("*"))


def it_counts_text_that_aliases_repeat(tmp_path):
    """A long text repeated by aliases stands for all of its copies."""
    word = "x" * 100_000
    folder = project(tmp_path, MINIMAL.read_text(encoding="utf-8") + alias_bomb(levels=3, fan_out=9, word=word))
    one_line_error(capped("check", cwd=folder), "yaml_text_chars", "more than 20,000,000 characters")


def it_takes_its_budgets_from_report_toml(tmp_path):
    small = project(tmp_path, config_extra="[limits]\nyaml_nodes = 50\n")
    one_line_error(capped("check", cwd=small), "more than 50 lists, mappings and values", "yaml_nodes")
    (small / "report.toml").write_text('[project]\ndataset = "data/dataset.yaml"\n[limits]\nyaml_nodes = 0\n'
                                       'rows = 5\n', encoding="utf-8")
    message = one_line_error(capped("check", cwd=small), "limits.yaml_nodes", "limits.rows: unknown setting")
    assert "report.toml:4: limits.yaml_nodes:" in message


# --------------------------------------------------------------------------- workbooks


def deflated(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


def padded_sheet(rows: int) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData>' + b"<row><c><v>1</v></c></row>" * rows
            + b"</sheetData></worksheet>")


def workbook_with_notes(path: Path, notes: bytes) -> Path:
    """The minimal dataset's facts on sheet ``Facts`` of ``path``, and a sheet ``Notes``
    whose XML is ``notes`` (streamed into the zip: a bomb is never whole in memory here)."""
    from reporting.dataset.facts_sheet import write_facts
    from reporting.dataset.load import load_dataset

    import openpyxl

    plain = path.with_name("plain.xlsx")
    write_facts(list(load_dataset(MINIMAL).dataset.facts), plain, kind="xlsx")
    book = openpyxl.load_workbook(plain)
    book.create_sheet("Notes")["A1"] = "notes"
    book.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == "xl/worksheets/sheet2.xml":
                with target.open(deflated(info.filename), "w", force_zip64=True) as part:
                    for start in range(0, len(notes), 1 << 20):
                        part.write(notes[start:start + (1 << 20)])
            else:
                target.writestr(info, source.read(info.filename))
    plain.unlink()
    return path


def facts_from_project(tmp_path: Path, workbook: Path) -> Path:
    text = MINIMAL.read_text(encoding="utf-8")
    head, _, rest = text.partition("facts:\n")
    _facts, _, tail = rest.partition("key_figures:")
    folder = project(tmp_path, f"{head}facts_from: {workbook.name}\nkey_figures:{tail}")
    workbook.rename(folder / "data" / workbook.name)
    return folder


def it_refuses_a_workbook_that_would_decompress_past_its_budget(tmp_path):
    # 8 million one-cell rows: 200 MB of XML in a zip of a few hundred KB, which openpyxl
    # would turn into gigabytes of cells. The sheet is not even the one with the facts.
    bomb = workbook_with_notes(tmp_path / "facts.xlsx", padded_sheet(8_000_000))
    assert bomb.stat().st_size < 2_000_000
    folder = facts_from_project(tmp_path, bomb)
    one_line_error(capped("check", cwd=folder), "data/facts.xlsx:", "xl/worksheets/sheet2.xml",
                   "more than its budget of 67,108,864", "package_part_bytes")


def it_refuses_a_recipients_workbook_that_would_decompress_past_its_budget(tmp_path):
    """The same bomb given to a batch as its recipients table: one line, nothing built,
    within the test's memory cap; the budget is the project's (report.toml's, lowered here)."""
    folder = project(tmp_path)
    bomb = workbook_with_notes(folder / "recipients.xlsx", padded_sheet(8_000_000))
    out = tmp_path / "out"
    one_line_error(capped("batch", "--recipients", "recipients.xlsx", "--out", str(out), cwd=folder),
                   "recipients.xlsx:", "xl/worksheets/sheet2.xml", "more than its budget of 67,108,864",
                   "package_part_bytes")
    assert not out.exists() or not list(out.iterdir())
    bomb.unlink()
    workbook_with_notes(bomb, padded_sheet(300_000))  # 8 MB of XML
    (folder / "report.toml").write_text('[project]\ndataset = "data/dataset.yaml"\n[limits]\n'
                                        'package_part_bytes = 4000000\n', encoding="utf-8")
    one_line_error(capped("batch", "--recipients", "recipients.xlsx", "--out", str(out), cwd=folder),
                   "more than its budget of 4,000,000")


def it_reads_only_the_sheet_it_uses(tmp_path):
    # A sheet the facts are not on is never parsed: broken XML there changes nothing.
    broken = workbook_with_notes(tmp_path / "facts.xlsx", b"<worksheet><sheetData><row>")
    [(status, message)] = capped_cases([("table", broken, {})])
    assert (status, message) == ("ok", "")


def it_refuses_a_table_of_more_rows_than_its_budget(tmp_path):
    csv_file = tmp_path / "recipients.csv"
    csv_file.write_text("id,users\n" + "".join(f"r{n},{n}\n" for n in range(1, 2002)), encoding="utf-8")
    workbook = tmp_path / "recipients.xlsx"
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["id", "users"])
    for n in range(1, 2002):
        book.active.append([f"r{n}", n])
    book.save(workbook)
    outcomes = capped_cases([("table", csv_file, {"table_rows": 2000}), ("table", workbook, {"table_rows": 2000}),
                             ("table", csv_file, {"table_rows": 2001})])
    assert outcomes[0][0] == outcomes[1][0] == "refused"
    assert "recipients.csv:2002: the table has more than 2,000 rows" in outcomes[0][1]
    assert "raise [limits] table_rows in report.toml" in outcomes[1][1]
    assert outcomes[2] == ("ok", "")


# --------------------------------------------------------------------------- masters and decks


def padded_package(source: Path, target: Path, part: str, padding_elements: int) -> Path:
    """``source`` (a .pptx) with ``padding_elements`` empty elements added to the XML of
    ``part`` (added as a new part when it has none), streamed into ``target``."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        names = original.namelist()
        for info in original.infolist():
            if info.filename != part:
                out.writestr(info, original.read(info.filename))
        xml = original.read(part) if part in names else (
            b'<?xml version="1.0"?><p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
            b"</p:sld>")
        head, _, tail = xml.rpartition(b"</")
        with out.open(deflated(part), "w", force_zip64=True) as stream:
            stream.write(head)
            chunk = b"<x/>" * 250_000
            for _ in range(padding_elements // 250_000):
                stream.write(chunk)
            stream.write(b"</" + tail)
    return target


@pytest.mark.parametrize("part", ["ppt/theme/theme1.xml", "ppt/slideLayouts/slideLayout1.xml"])
def it_refuses_a_master_whose_parts_are_padded(tmp_path, part):
    master = padded_package(templates_dir() / "deck" / "master.pptx", tmp_path / "master.pptx", part, 30_000_000)
    folder = project(tmp_path, config_extra='[audiences.board]\ndescription = "x"\npptx_template = "master.pptx"\n')
    master.rename(folder / "master.pptx")
    message = one_line_error(capped("check", cwd=folder), f"audiences.board.pptx_template: the deck template's part "
                             f"{part}", "package_part_bytes")
    assert "report.toml:" in message
    one_line_error(capped("--audience", "board", "--format", "pptx", "--out", str(tmp_path / "out"), cwd=folder),
                   "master.pptx:", part, "package_part_bytes")
    assert not list((tmp_path / "out").glob("*"))


def it_verifies_no_padded_deck(tmp_path):
    deck = padded_package(templates_dir() / "deck" / "master.pptx", tmp_path / "deck.pptx",
                          "ppt/slides/slide1.xml", 30_000_000)
    folder = project(tmp_path)
    result = capped("verify", str(deck), cwd=folder)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert "ppt/slides/slide1.xml" in result.stderr and "package_part_bytes" in result.stderr


# --------------------------------------------------------------------------- symlinks out of the sandbox


@pytest.mark.parametrize("target", ["outside", "/etc/hostname", "/proc/self/environ"])
def it_includes_no_file_a_link_takes_out_of_the_template_folder(tmp_path, target):
    if target == "outside":
        secret = tmp_path / "secret.txt"
        secret.write_text("SECRET-OUTSIDE-THE-PROJECT", encoding="utf-8")
        target = str(secret)
    if not Path(target).exists():
        pytest.skip(f"{target} does not exist here")
    folder = project(tmp_path)
    (folder / "report.toml").write_text('[project]\ndataset = "data/dataset.yaml"\ntemplates = "templates"\n',
                                        encoding="utf-8")
    (folder / "templates" / "brief").mkdir(parents=True)
    (folder / "templates" / "brief" / "leak.txt").symlink_to(target)
    (folder / "templates" / "brief" / "brief.html").write_text(
        '{% extends "brief/base.html" %}{% block cover_note %}<p>{% include "brief/leak.txt" %}</p>'
        '{% endblock %}', encoding="utf-8")
    env = {**os.environ, "B25_CANARY": "ENVIRONMENT-CANARY"}
    checked = subprocess.run([MAKE_REPORT, "check"], cwd=folder, capture_output=True, text=True, env=env)
    one_line_error(checked, "templates/brief/leak.txt: a symbolic link to", "outside the folder")
    built = subprocess.run([MAKE_REPORT, "--format", "html", "--out", str(tmp_path / "out")], cwd=folder,
                           capture_output=True, text=True, env=env)
    one_line_error(built, "leak.txt: a symbolic link to", "templates read only files inside their folders")
    assert not list((tmp_path / "out").glob("*"))


def it_still_follows_links_inside_the_template_folder(tmp_path):
    folder = project(tmp_path)
    (folder / "report.toml").write_text('[project]\ndataset = "data/dataset.yaml"\ntemplates = "templates"\n',
                                        encoding="utf-8")
    (folder / "templates" / "brief").mkdir(parents=True)
    (folder / "templates" / "brief" / "note.txt").write_text("INSIDE-NOTE", encoding="utf-8")
    (folder / "templates" / "brief" / "alias.txt").symlink_to("note.txt")
    (folder / "templates" / "brief" / "brief.html").write_text(
        '{% extends "brief/base.html" %}{% block cover_note %}<p>{% include "brief/alias.txt" %}</p>'
        '{% endblock %}', encoding="utf-8")
    [(status, message)] = capped_cases([("template", folder / "templates" / "brief" / "alias.txt", {})])
    assert status == "ok", message
    result = subprocess.run([MAKE_REPORT, "check"], cwd=folder, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --------------------------------------------------------------------------- the preview


def it_ends_the_preview_process_while_a_build_never_ends(tmp_path):
    """A job that never returns (a template looping for hours) does not keep the process
    alive once the preview's benches are closed, as Ctrl-C closes them."""
    folder = project(tmp_path)
    script = (
        "import threading\n"
        "from pathlib import Path\n"
        "from reporting.pipeline.build import Builder\n"
        "from reporting.preview.bench import Bench\n"
        "from reporting.preview.inputs import Settings\n"
        f"bench = Bench(Settings(project=Path({str(folder)!r})), Builder(parallel=False), 'page')\n"
        "started = threading.Event()\n"
        "bench.submit(lambda bench: (started.set(), threading.Event().wait()))\n"
        "queued = bench.submit(lambda bench: 'never run')\n"
        "started.wait()\n"
        "bench.close()\n"
        "print('closed', queued.cancelled(), flush=True)\n"
    )
    # The cap on the wait is a safety net, not a timing: the process ends at once or never.
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "closed True"


def it_verifies_only_regular_files(tmp_path):
    folder = project(tmp_path)
    (tmp_path / "zero.pdf").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "pipe.pptx")
    for name in ("zero.pdf", "pipe.pptx"):
        result = capped("verify", str(tmp_path / name), cwd=folder)
        assert result.returncode == 2, result.stderr[-2000:]
        assert "not a regular file" in result.stderr and "Traceback" not in result.stderr


# --------------------------------------------------------------------------- texts and pictures


def tiny_png(width: int, height: int) -> bytes:
    """A PNG file whose header says ``width`` × ``height`` pixels (its data is not there:
    only the header is ever read before the budget refuses it)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) \
        + chunk(b"IEND", b"")


def master_with_picture(path: Path, png: bytes) -> Path:
    """The shipped master with one more slide showing the picture ``png`` (placed as a
    small picture, then its bytes swapped: python-pptx itself refuses a pixel bomb)."""
    import io

    from pptx import Presentation

    placeholder = tiny_png(10, 10)
    deck = Presentation(str(templates_dir() / "deck" / "master.pptx"))
    slide = deck.slides.add_slide(deck.slide_layouts[0])
    slide.shapes.add_picture(io.BytesIO(placeholder), 0, 0)
    buffer = io.BytesIO()
    deck.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, png if data == placeholder else data)
    return path


def it_refuses_a_pixel_bomb_in_a_master_with_one_line(tmp_path):
    from reporting.errors import AssetError
    from reporting.limits import Limits
    from reporting.render.deck.layouts import open_template

    huge = master_with_picture(tmp_path / "huge.pptx", tiny_png(30_000, 30_000))
    with pytest.raises(AssetError, match=r"huge.pptx: the picture /ppt/media/image\d+.png has more pixels "
                                         r"than Pillow will open, more than its budget of 64,000,000"):
        open_template(huge)
    large = master_with_picture(tmp_path / "large.pptx", tiny_png(9_000, 8_000))
    with pytest.raises(AssetError, match=r"has 9000 × 8000 pixels, more than its budget .* image_pixels"):
        open_template(large)
    assert open_template(large, Limits(image_pixels=80_000_000)).slide_layouts  # a raised budget


def it_takes_the_picture_budget_from_report_toml(tmp_path):
    """``check``, builds and ``deck-layouts`` count a master's pictures against the project's
    ``[limits] image_pixels``: refused by default, built once the project raises it."""
    board = '[audiences.board]\ndescription = "x"\npptx_template = "master.pptx"\n'
    folder = project(tmp_path, config_extra=board)
    master_with_picture(folder / "master.pptx", tiny_png(9_000, 8_000))
    message = one_line_error(capped("check", cwd=folder), "audiences.board.pptx_template:",
                             "has 9000 × 8000 pixels, more than its budget of 64,000,000", "image_pixels")
    assert "report.toml:" in message
    one_line_error(capped("--audience", "board", "--format", "pptx", "--out", str(tmp_path / "out"), cwd=folder),
                   "master.pptx: the picture /ppt/media/", "image_pixels")
    one_line_error(capped("deck-layouts", "master.pptx", cwd=folder), "image_pixels")
    assert not list((tmp_path / "out").glob("*"))
    (folder / "report.toml").write_text('[project]\ndataset = "data/dataset.yaml"\n' + board
                                        + "[limits]\nimage_pixels = 80000000\n", encoding="utf-8")
    assert capped("check", cwd=folder).returncode == 0
    built = capped("--audience", "board", "--format", "pptx", "--out", str(tmp_path / "out"), cwd=folder)
    assert built.returncode == 0, built.stderr[-2000:]
    assert [path.suffix for path in (tmp_path / "out").iterdir()] == [".pptx"]


def it_refuses_a_text_longer_than_its_budget_and_a_file_larger_than_its_budget(tmp_path):
    text = MINIMAL.read_text(encoding="utf-8").replace('en: "Up {growth} by {users:date}."',
                                                       'en: "Up {growth} by {users:date}. ' + "word " * 50_000 + '"')
    long_text = tmp_path / "long.yaml"
    long_text.write_text(text, encoding="utf-8")
    outcomes = capped_cases([("dataset", long_text, {}), ("dataset", long_text, {"text_chars": 300_000}),
                             ("dataset", long_text, {"file_bytes": 100_000})])
    assert outcomes[0][0] == "refused"
    assert re.search(r"long.yaml:\d+: sections\[0\].paragraphs\[0\].text.en: 250,0\d\d characters, more than "
                     r"the budget of 200,000 for one text", outcomes[0][1]), outcomes[0][1]
    assert outcomes[1] == ("ok", "")
    assert outcomes[2][0] == "refused" and "more than its budget of 100,000; raise [limits] file_bytes" \
        in outcomes[2][1]


def it_validates_every_limit_in_report_toml():
    from dataclasses import asdict, fields

    from reporting.limits import DEFAULT_LIMITS, Limits
    from reporting.project.audiences import LimitsConfig

    assert list(LimitsConfig.model_fields) == [item.name for item in fields(Limits)]
    assert LimitsConfig().model_dump() == asdict(DEFAULT_LIMITS)
