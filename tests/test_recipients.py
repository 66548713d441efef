"""Recipient batches: the recipients table, per-recipient figures, the manifest, local and Dask builds."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from child_signals import default_sigint
from click.testing import CliRunner

from reporting.cli import main
from reporting.dataset.load import load_dataset
from reporting.dataset.recipients import read_recipients
from reporting.errors import DataError, UsageError
from reporting.model.planner import plan
from reporting.pipeline.batch_manifest import NAME, Entry, read_manifest, write_manifest

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "xiaohongshu-2020.yaml"
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.yaml"

SIX_BRANDS = """recipient,name_zh,name_en,mau
brand-a,品牌甲,Brand A,123456789
brand-b,品牌乙,Brand B,234567890
brand-c,品牌丙,Brand C,98765432
brand-bad,坏行,Bad row,lots
brand-d,品牌丁,Brand D,150000000
brand-e,品牌戊,Brand E,300000000
brand-f,品牌己,Brand F,45000000
"""
"""Six good brands (each its own monthly active users) and one bad row (line 5, column mau)."""


def _figure_text(loaded) -> str:
    from reporting.lang.numbers import plain

    report = plan(loaded, "zh", sections=["community"])
    figure = next(f for f in report.key_figures if f.id == "mau")
    return plain(figure.number.get("zh"))


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    return text.replace("\u2060", "").replace("\u00a0", " ")


def manifest_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def subprocess_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["OPENBLAS_NUM_THREADS"] = "1"
    return env


# -- the table --------------------------------------------------------------------------------


def it_reports_every_bad_row_by_row_and_column_and_keeps_the_good_ones(tmp_path):
    table = tmp_path / "brands.csv"
    table.write_text("recipient,name_en,mau\n"
                     "a,Brand A,1000\n"
                     ",No id,2000\n"
                     "b,Brand B,n/a\n"
                     "a,Again,3000\n"
                     "../x,Bad id,4000\n"
                     "c,Brand C,\"1,234,567\"\n", encoding="utf-8")
    result = read_recipients(table, load_dataset(SHIPPED))
    shown = str(table)
    assert [str(problem).replace(shown, "brands.csv") for problem in result.problems] == [
        "brands.csv:3: recipient: every row needs a recipient id",
        "brands.csv:4: mau: expected a number, got 'n/a'",
        "brands.csv:5: recipient: 'a' appears twice: first at brands.csv:2",
        "brands.csv:6: recipient: '../x' cannot be part of a file name: use letters, digits, '_', '.' and '-'",
    ]
    assert [(row.id, row.figures) for row in result.rows] == [("a", {"mau": 1000}), ("c", {"mau": 1234567})]
    assert result.rows[0].name.en == "Brand A" and result.rows[0].name.zh == "Brand A"  # one name: both languages
    assert result.bad_rows == 4


def it_names_the_cell_of_a_bad_value_in_a_workbook(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Recipients"
    sheet.append(["Brands of 2020"])
    sheet.append(["recipient", "name_zh", "mau"])
    sheet.append(["brand-a", "品牌甲", 123456789])
    sheet.append(["brand-b", "品牌乙", "many"])
    path = tmp_path / "brands.xlsx"
    book.save(path)
    result = read_recipients(path, load_dataset(SHIPPED))
    assert [str(p).replace(str(path), "brands.xlsx") for p in result.problems] == [
        "brands.xlsx:Recipients!C4: mau: expected a number, got 'many'"]
    assert [(row.id, row.figures, row.name.zh) for row in result.rows] == [("brand-a", {"mau": 123456789}, "品牌甲")]


def it_refuses_a_column_that_is_no_fact_or_a_derived_one(tmp_path):
    table = tmp_path / "brands.csv"
    table.write_text("recipient,maus,post90_users\na,1,2\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_recipients(table, load_dataset(SHIPPED))
    messages = [f"{p.field}: {p.message}" for p in caught.value.problems]
    assert messages[0].startswith("maus: no fact has the id 'maus'")
    assert messages[1] == ("post90_users: 'post90_users' is derived (percent_of of mau, post90_share): "
                           "give the figures it is computed from")


# -- the recipient's dataset ------------------------------------------------------------------


def it_recomputes_derived_figures_from_a_recipients_values():
    shared = load_dataset(MINIMAL)
    own = load_dataset(MINIMAL, overrides={"users": 4_500_000})
    assert shared.values["users_2023"] == pytest.approx(2_500_000 / 1.125)
    assert own.values["users"] == 4_500_000
    assert own.values["users_2023"] == pytest.approx(4_500_000 / 1.125)


def with_recipient_name(tmp_path: Path) -> Path:
    text = MINIMAL.read_text(encoding="utf-8").replace(
        'lead: {zh: "用户{users}。", en: "{users}."}',
        'lead: {zh: "致{recipient:name}：用户{users}。", en: "For {recipient:name}: {users}."}')
    path = tmp_path / "named.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def it_fills_the_recipients_name_and_refuses_it_outside_a_batch(tmp_path):
    from reporting.dataset.facts import Localized

    path = with_recipient_name(tmp_path)
    loaded = load_dataset(path, recipient=Localized(zh="品牌甲", en="Brand A"))
    report = plan(loaded, "bilingual")
    lead = report.sections[0].lead
    assert lead.get("zh").startswith("致品牌甲：") and lead.get("en").startswith("For Brand A: ")
    assert report.recipient.get("en") == "Brand A"
    with pytest.raises(UsageError, match=r"\{recipient:name\} names the recipient of a batch edition"):
        plan(load_dataset(path), "bilingual")
    (tmp_path / "report.toml").write_text('[project]\ndataset = "named.yaml"\n', encoding="utf-8")
    checked = run("check", "--project", str(tmp_path))
    assert checked.exit_code == 0, checked.output  # not an unknown fact


def it_does_not_import_dask_unless_a_scheduler_is_named():
    code = ("import sys, reporting.cli, reporting.pipeline.recipients, reporting.verify.check;"
            "assert not {'dask', 'distributed'} & set(sys.modules), sorted(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True, env=subprocess_env())


def it_keeps_a_manifest_entry_current_only_while_its_files_are_unchanged(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF one")
    from reporting.pipeline.batch_manifest import file_sha256

    entry = Entry("a", "brands.csv:2", "ok", files=("a.pdf",), pages=2, sha256=(file_sha256(tmp_path / "a.pdf"),),
                  inputs="abc", name_zh="甲", name_en="A", figures=(("mau", "123456789"),))
    write_manifest(tmp_path / NAME, [entry, Entry("b", "brands.csv:3", "invalid", message="mau: expected a number")])
    read = read_manifest(tmp_path / NAME)
    assert read["a"] == entry and read["b"].status == "invalid"
    assert read["a"].current(tmp_path, "abc") and not read["a"].current(tmp_path, "other inputs")
    (tmp_path / "a.pdf").write_bytes(b"%PDF two")
    assert not read["a"].current(tmp_path, "abc")


# -- building -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def brands_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("recipients") / "brands.csv"
    path.write_text(SIX_BRANDS, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def local_batch(brands_csv, tmp_path_factory):
    """Six brands (and one bad row) built here: the executive brief, two pages each."""
    out = tmp_path_factory.mktemp("local-batch")
    result = run("batch", "--recipients", str(brands_csv), "--data", str(SHIPPED), "--audience", "executive",
                 "--out", str(out))
    return out, result


def assert_six_brands(out: Path, result) -> None:
    assert result.exit_code == 1  # the bad row
    assert f"{brands_csv_name(result)}:5: mau: expected a number, got 'lots'" in result.stderr
    rows = {row["recipient"]: row for row in manifest_rows(out / NAME)}
    assert set(rows) == {"brand-a", "brand-b", "brand-c", "brand-d", "brand-e", "brand-f", "brand-bad"}
    assert rows["brand-bad"]["status"] == "invalid" and rows["brand-bad"]["message"] == \
        "mau: expected a number, got 'lots'"
    for line in SIX_BRANDS.splitlines()[1:]:
        recipient, _zh, _en, value = line.split(",")
        if recipient == "brand-bad":
            continue
        row = rows[recipient]
        assert row["status"] == "ok" and row["pages"] == "2" and row["figures"] == f"mau={value}"
        pdf = out / row["files"]
        assert pdf.name == f"xiaohongshu-2020_executive_bilingual_{recipient}.pdf"
        figure = _figure_text(load_dataset(SHIPPED, overrides={"mau": int(value)}))
        assert figure in pdf_text(pdf), (recipient, figure)
    assert _figure_text(load_dataset(SHIPPED, overrides={"mau": 123456789})) == "超过1.2346亿"


def brands_csv_name(result) -> str:
    return next(line.split(":")[0] for line in result.stderr.splitlines() if line.endswith("got 'lots'"))


@pytest.mark.slow
@pytest.mark.forks  # builds here: forks the PDF workers from this process (see conftest.py)
def it_builds_each_brand_with_its_own_figure_and_reports_the_bad_row(local_batch):
    out, result = local_batch
    assert_six_brands(out, result)
    assert "done 6 failed 0" in result.stderr and "/min" in result.stderr and "left" in result.stderr


@pytest.mark.slow
@pytest.mark.forks  # builds here: forks the PDF workers from this process (see conftest.py)
def it_verifies_the_batch_each_against_its_own_figures(local_batch):
    out, _ = local_batch
    result = run("verify", "--data", str(SHIPPED), str(out / NAME))
    assert result.exit_code == 0, result.output
    assert result.output.count(" ok\n") == 6
    # Against the shared figures a brand's brief is wrong: its own number is unknown there.
    one = next(out.glob("*_brand-a.pdf"))
    assert run("verify", "--data", str(SHIPPED), str(one)).exit_code == 1


@pytest.mark.slow
@pytest.mark.forks  # builds here: forks the PDF workers from this process (see conftest.py)
def it_skips_every_current_recipient_on_a_second_run(local_batch, brands_csv):
    out, _ = local_batch
    before = {path.name: path.stat().st_mtime_ns for path in out.glob("*.pdf")}
    again = run("batch", "--recipients", str(brands_csv), "--data", str(SHIPPED), "--audience", "executive",
                "--out", str(out))
    assert again.exit_code == 1  # the bad row is still bad
    assert "0 built, 6 current (skipped), 0 failed, 1 bad row(s)" in again.stderr
    assert {path.name: path.stat().st_mtime_ns for path in out.glob("*.pdf")} == before


@pytest.mark.slow
@pytest.mark.forks  # builds here: forks the PDF workers from this process (see conftest.py)
def it_finds_a_changed_output_in_verify_and_builds_it_again(brands_csv, tmp_path):
    table = tmp_path / "two.csv"
    table.write_text("recipient,mau\none,111111111\ntwo,222222222\n", encoding="utf-8")
    args = ["batch", "--recipients", str(table), "--data", str(MINIMAL.parent.parent.parent / "data" /
            "xiaohongshu-2020.yaml"), "--audience", "executive", "--out", str(tmp_path / "out"), "--jobs", "1"]
    assert run(*args).exit_code == 0
    one = next((tmp_path / "out").glob("*_one.pdf"))
    one.write_bytes(one.read_bytes() + b"\n")
    failed = run("verify", "--data", str(SHIPPED), str(tmp_path / "out" / NAME))
    assert failed.exit_code == 1 and "changed since the batch wrote it" in failed.output
    again = run(*args)
    assert "1 built, 1 current (skipped)" in again.stderr
    assert run("verify", "--data", str(SHIPPED), str(tmp_path / "out" / NAME)).exit_code == 0


@pytest.mark.slow
@pytest.mark.forks  # builds here: forks the PDF workers from this process (see conftest.py)
def it_builds_the_other_recipients_when_one_fails_in_the_build(tmp_path):
    dataset = with_recipient_name(tmp_path)
    table = tmp_path / "r.csv"
    # -5 passes the table (a number) but not the dataset (users are never negative).
    table.write_text("recipient,name_zh,name_en,users\nok,好,Good,3000000\nneg,负,Negative,-5\n", encoding="utf-8")
    # A template names the recipient too: report.recipient on the cover.
    cover = (ROOT / "templates" / "brief" / "partials" / "cover.html").read_text(encoding="utf-8")
    marker = '{{ t(report.organisation, "p", "cover-org") }}'
    assert marker in cover
    (tmp_path / "tpl" / "brief" / "partials").mkdir(parents=True)
    (tmp_path / "tpl" / "brief" / "partials" / "cover.html").write_text(cover.replace(
        marker, marker + '{% if report.recipient %}<div id="to">{{ t(report.recipient, "p", "cover-org") }}</div>'
                         '{% endif %}'), encoding="utf-8")
    result = run("batch", "--recipients", str(table), "--data", str(dataset), "--out", str(tmp_path / "out"),
                 "--format", "pdf", "--format", "html", "--templates", str(tmp_path / "tpl"))
    assert result.exit_code == 1
    assert "make-report: error: recipient neg" in result.stderr
    html = (tmp_path / "out" / "acme-2024_default_bilingual_ok.html").read_text(encoding="utf-8")
    assert "For Good:" in html and "致好：" in html
    to = html[html.index('<div id="to">'):]
    assert "好" in to[:to.index("</div>")] and "Good" in to[:to.index("</div>")]
    rows = {row["recipient"]: row for row in manifest_rows(tmp_path / "out" / NAME)}
    assert rows["ok"]["status"] == "ok" and len(rows["ok"]["sha256"].split(";")) == 2
    # Named at the recipient's cell, with the recipient's value (not the dataset's line and value).
    assert rows["neg"]["status"] == "failed"
    assert f"{table}:3: users: a count cannot be negative (got -5)" in rows["neg"]["message"]
    assert not list((tmp_path / "out").glob("*_neg.*"))


# -- on a Dask cluster ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.forks  # builds here: forks the PDF workers from this process (see conftest.py)
def it_builds_the_same_briefs_on_a_local_dask_cluster(brands_csv, local_batch, tmp_path):
    import distributed
    out = tmp_path / "cluster"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0",
                                  env={"PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"}) as cluster:
        result = run("batch", "--recipients", str(brands_csv), "--data", str(SHIPPED), "--audience", "executive",
                     "--out", str(out), "--scheduler", cluster.scheduler_address)
    assert_six_brands(out, result)
    local = {row["recipient"]: row["sha256"] for row in manifest_rows(local_batch[0] / NAME)}
    remote = {row["recipient"]: row["sha256"] for row in manifest_rows(out / NAME)}
    assert remote == local  # the same bytes, wherever built
    assert run("verify", "--data", str(SHIPPED), str(out / NAME)).exit_code == 0


@pytest.fixture
def scheduler_process(tmp_path):
    """``dask scheduler`` and one ``dask worker``, each a process of its own on 127.0.0.1."""
    env = subprocess_env()
    scheduler_file = tmp_path / "scheduler.json"
    logs = (tmp_path / "scheduler.log").open("wb"), (tmp_path / "worker.log").open("wb")
    scheduler = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                  "--port", "0", "--no-dashboard", "--scheduler-file", str(scheduler_file)],
                                 env=env, stdout=logs[0], stderr=subprocess.STDOUT)
    processes = [scheduler]
    try:
        deadline = time.monotonic() + 120
        while not scheduler_file.exists() and time.monotonic() < deadline and scheduler.poll() is None:
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        processes.append(subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address,
                                           "--nthreads", "1", "--nworkers", "1", "--no-dashboard",
                                           "--host", "127.0.0.1"], env=env, stdout=logs[1], stderr=subprocess.STDOUT))
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in reversed(processes):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            log.close()


@pytest.mark.slow
def it_builds_through_a_scheduler_started_as_its_own_process(scheduler_process, tmp_path):
    table = tmp_path / "two.csv"
    table.write_text("recipient,name_en,mau\nx,Brand X,123456789\ny,Brand Y,222222222\n", encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "reporting", "batch", "--recipients", str(table), "--data",
                             str(SHIPPED), "--audience", "executive", "--out", str(out), "--scheduler",
                             scheduler_process], env=subprocess_env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "2 built" in result.stderr
    assert "超过1.2346亿" in pdf_text(next(out.glob("*_x.pdf")))
    assert run("verify", "--data", str(SHIPPED), str(out / NAME)).exit_code == 0


def it_says_when_no_scheduler_answers(tmp_path):
    table = tmp_path / "one.csv"
    table.write_text("recipient,mau\nx,123456789\n", encoding="utf-8")
    import socket

    with socket.socket() as free:  # a port nobody listens on
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    from reporting.pipeline import cluster

    with pytest.raises(UsageError, match=f"no Dask scheduler answers at tcp://127.0.0.1:{port}"):
        from reporting.dataset.recipients import read_recipients as read
        from reporting.pipeline.build import BuildOptions

        rows = read(table, load_dataset(SHIPPED)).rows
        cluster.build_on_cluster(f"tcp://127.0.0.1:{port}", SHIPPED, rows, BuildOptions(out_dir=tmp_path), print,
                                 timeout=2)


@pytest.mark.slow
def it_stops_on_ctrl_c_keeping_what_finished_and_goes_on_from_there(tmp_path):
    import signal

    table = tmp_path / "many.csv"
    table.write_text("recipient,mau\n" + "".join(f"b{n},{100_000_000 + n}\n" for n in range(8)), encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "reporting", "batch", "--recipients", str(table), "--data", str(SHIPPED),
               "--audience", "executive", "--out", str(out)]
    seen = []
    with subprocess.Popen(command, env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, preexec_fn=default_sigint) as process:
        for line in process.stderr:  # the first recipient done: stop the batch
            seen.append(line)
            if " ok\n" in line:
                process.send_signal(signal.SIGINT)
                break
        rest = process.stderr.read()
        assert process.wait(timeout=120) == 130, "".join(seen) + rest
    assert "Traceback" not in rest and "interrupted (SIGINT)" in rest
    rows = manifest_rows(out / NAME)
    finished = [row for row in rows if row["status"] == "ok"]
    assert finished and {row["status"] for row in rows} <= {"ok", "not built"} and len(rows) == 8
    for row in finished:
        assert (out / row["files"]).is_file()
    assert sorted(path.name for path in out.iterdir()) == sorted([NAME] + [row["files"] for row in finished])
    again = subprocess.run(command, env=subprocess_env(), capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert f"{8 - len(finished)} built, {len(finished)} current (skipped)" in again.stderr
