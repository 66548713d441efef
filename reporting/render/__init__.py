"""Renderers: HTML (Jinja2), PDF (WeasyPrint) and the PowerPoint deck (python-pptx), all reading the Report model."""
