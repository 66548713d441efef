"""Renderers: HTML (Jinja2), PDF (WeasyPrint) and PowerPoint (python-pptx), all reading the Report model."""
