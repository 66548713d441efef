"""The floor: the least any tool could do to produce our outputs.

Imports the same libraries, renders the toolkit's own HTML output to PDF with
WeasyPrint, and loads and saves its deck with python-pptx. Nothing else.

    python benchmarks/floor.py OUT.html OUT.pptx WORKDIR
"""

import sys
from pathlib import Path

import babel.numbers  # noqa: F401  (imported by the toolkit too)
import jinja2  # noqa: F401
import matplotlib.figure  # noqa: F401
import pptx
import pydantic  # noqa: F401
import weasyprint

html, deck, work = (Path(arg) for arg in sys.argv[1:4])
weasyprint.HTML(string=html.read_text(encoding="utf-8"), base_url=str(html.parent)).write_pdf(work / "floor.pdf")
pptx.Presentation(str(deck)).save(str(work / "floor.pptx"))
