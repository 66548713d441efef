"""The shipped deck and the company example's deck (English first) on twenty-one masters
nobody here designed for: fifteen of LibreOffice's Impress templates (saved as .pptx by
LibreOffice), python-pptx's default, and masters made in the set-up (German layout names
with a half-width body on 4:3, a cover master before the content master, a drawing painted
into the background picture, a dark master with a logo, saved as a .potx). Each deck is
printed to PDF by LibreOffice, and its words are checked where they landed: none over
another or off the slide, none broken inside, none over the master's pictures and drawn
shapes; the sources on two slides at most.

Heavy: the decks are built once per run (two processes), converted in one soffice call,
and measured once; each test reads the measures."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from deck_pdf_checks import broken_words, read_pages, share_at_least, words_off_page, words_over_boxes, \
    words_over_words
from master_makers import MADE, as_potx
from once_per_run import once_per_run

ROOT = Path(__file__).resolve().parent.parent
DATASETS = {"shipped": ROOT / "data" / "xiaohongshu-2020.yaml",
            "company": ROOT / "examples" / "company-results" / "microsoft-fy2023.yaml"}
IMPRESS = ("Beehive", "Blue_Curve", "Blueprint_Plans", "Candy", "Focus", "Grey_Elegant", "Growing_Liberty",
           "Lights", "Metropolis", "Midnightblue", "Portfolio", "Progress", "Vintage", "Vivid", "Yellow_Idea")
"""Fifteen of the Impress templates LibreOffice installs, the worst of them for decks built
without this care among them (Vintage, Blueprint Plans, Metropolis, Portfolio)."""
MASTERS = (*IMPRESS, "python-pptx default", *MADE, "dark 16:9 with a logo, as .potx")
PT = 12700

pytestmark = [pytest.mark.slow, pytest.mark.libreoffice]


def _impress_folder() -> Path | None:
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    folder = Path(soffice).resolve().parent.parent / "share" / "template" / "common" / "presnt"
    return folder if folder.is_dir() else None


def _build(job: tuple[str, str, str, str]) -> str:
    """Build one deck (in a worker process): (master name, master path or "", dataset key, target)."""
    from reporting.dataset.load import load_dataset
    from reporting.model.planner import plan
    from reporting.model.theme import Theme
    from reporting.render.deck.builder import write_deck

    name, master, dataset, target = job
    loaded = load_dataset(DATASETS[dataset])
    report = plan(loaded, "en", english="en-US") if dataset == "company" else plan(loaded, "en")
    write_deck(report, Theme(), Path(target), template=Path(master) if master else None, master_look=bool(master))
    return target


def _art_boxes(deck: Path) -> dict[int, list[tuple[float, float, float, float]]]:
    """Per page (slide), the boxes (pt) of the master's and layout's pictures and drawn shapes
    that text must keep off, with their kind (``pic``, ``sp``, ``backdrop`` ...)."""
    from pptx import Presentation

    from reporting.render.deck.backdrop import artwork

    prs = Presentation(str(deck))
    size = (int(prs.slide_width), int(prs.slide_height))
    cache: dict[int, list] = {}
    out = {}
    for number, slide in enumerate(prs.slides, 1):
        layout = slide.slide_layout
        if id(layout.part) not in cache:
            cache[id(layout.part)] = [(a.box.x / PT, a.box.y / PT, a.box.right / PT, a.box.bottom / PT, a.kind)
                                      for a in artwork(layout, size)]
        out[number] = cache[id(layout.part)]
    return out


def _measure(deck: Path, pdf: Path) -> dict:
    pages = read_pages(pdf)
    vocabulary = {word.strip(".,;:()") for page in pages for word in page.text.split()}
    arts = _art_boxes(deck)
    # Pictures and drawn shapes of the master and layout; not the boxes around drawings painted
    # into a background picture (coarse bands of it, which a footer the master places on its
    # own ground may touch: the layout choice keeps content off them, test_deck_roles).
    obstacles = {page.number: [(x0, top, x1, bottom, kind != "pic")
                               for x0, top, x1, bottom, kind in arts.get(page.number, []) if kind != "backdrop"]
                 for page in pages}
    over_art = words_over_boxes(pages, obstacles)
    sources = [page.number for page in pages if re.search(r"^Sources( \(continued\))?$", page.text, re.M)]
    content = [page for page in pages if page.number not in sources and 1 < page.number < len(pages)]
    return {"pages": len(pages), "over_words": words_over_words(pages), "off_page": words_off_page(pages),
            "broken": broken_words(pages, vocabulary), "over_art": over_art, "sources": sources,
            "share_12pt": share_at_least(content, 12), "share_10pt": share_at_least(content, 10)}


@pytest.fixture(scope="session")
def measured(tmp_path_factory) -> dict[str, dict[str, dict]]:
    """Master → dataset → measures of the deck built on it (once per run)."""
    source = _impress_folder()
    if source is None:
        pytest.skip("LibreOffice (soffice) and its Impress templates are not installed")

    def make(folder: Path) -> dict:
        profile = f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}"
        masters_dir = folder / "masters"
        masters_dir.mkdir()
        subprocess.run(["soffice", profile, "--headless", "--convert-to", "pptx", "--outdir", str(masters_dir),
                        *(str(source / f"{name}.otp") for name in IMPRESS)],
                       check=True, capture_output=True, timeout=1200)
        paths = {name: str(masters_dir / f"{name}.pptx") for name in IMPRESS}
        paths["python-pptx default"] = ""
        for number, (name, maker) in enumerate(MADE.items()):
            paths[name] = str(maker(masters_dir / f"made{number}.pptx"))
        paths["dark 16:9 with a logo, as .potx"] = str(as_potx(Path(paths["dark 16:9 with a logo"]),
                                                              masters_dir / "dark.potx"))
        decks_dir = folder / "decks"
        decks_dir.mkdir()
        jobs = [(name, paths[name], dataset, str(decks_dir / f"{index:02d}-{dataset}.pptx"))
                for index, name in enumerate(MASTERS) for dataset in DATASETS]
        with ProcessPoolExecutor(max_workers=2) as pool:
            list(pool.map(_build, jobs))
        subprocess.run(["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(decks_dir),
                        *(job[3] for job in jobs)], check=True, capture_output=True, timeout=1800)
        out: dict[str, dict] = {}
        for name, _, dataset, target in jobs:
            deck = Path(target)
            out.setdefault(name, {})[dataset] = _measure(deck, deck.with_suffix(".pdf"))
        (folder / "measures.json").write_text(json.dumps(out, indent=1), encoding="utf-8")
        return out

    return once_per_run(tmp_path_factory, "decks-on-masters", make)


@pytest.mark.parametrize("master", MASTERS)
@pytest.mark.parametrize("dataset", DATASETS)
def test_no_word_over_another_off_the_slide_or_broken(measured, master, dataset):
    found = measured[master][dataset]
    problems = found["over_words"] + found["off_page"] + found["broken"]
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("master", MASTERS)
@pytest.mark.parametrize("dataset", DATASETS)
def test_no_text_over_the_master_s_pictures_and_shapes(measured, master, dataset):
    problems = measured[master][dataset]["over_art"]
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("master", MASTERS)
@pytest.mark.parametrize("dataset", DATASETS)
def test_sources_on_two_slides_at_most(measured, master, dataset):
    found = measured[master][dataset]
    assert 1 <= len(found["sources"]) <= 2, found["sources"]


def test_enough_masters_and_most_content_text_readable(measured):
    assert len(measured) >= 20
    shares = {(master, dataset): found["share_10pt"] for master, by in measured.items()
              for dataset, found in by.items()}
    low = {key: round(share, 2) for key, share in shares.items() if share < 0.75}
    assert not low, low
