"""Bilingual reports from one facts dataset: PDF brief, PowerPoint deck, HTML preview.

The flow is data → model → charts → renderers::

    from reporting import BuildOptions, Builder, load_dataset, plan

    loaded = load_dataset("data/facts.yaml")             # validated facts
    report = plan(loaded, "en")                          # language-resolved model
    Builder().build("data/facts.yaml", BuildOptions(formats=("pdf", "pptx")))

Everything the toolkit raises on purpose is a :class:`ReportError`.
"""

# Exports are resolved on first use (PEP 562), so `make-report --help` and
# `python -m reporting` do not pay for pydantic and the renderers up front.
_EXPORTS = {
    "BuildOptions": "pipeline.build", "BuildResult": "pipeline.build", "Builder": "pipeline.build",
    "build_report": "pipeline.build",
    "AssetError": "errors", "DataError": "errors", "OutputError": "errors", "Problem": "errors",
    "ReportError": "errors", "TemplateError": "errors", "UsageError": "errors",
    "Dataset": "dataset.facts", "LoadedDataset": "dataset.load", "load_dataset": "dataset.load",
    "Edition": "lang.editions", "Report": "model.report", "plan": "model.planner",
}


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'reporting' has no attribute {name!r}")


__all__ = [
    "AssetError",
    "BuildOptions",
    "BuildResult",
    "Builder",
    "DataError",
    "Dataset",
    "Edition",
    "LoadedDataset",
    "OutputError",
    "Problem",
    "Report",
    "ReportError",
    "TemplateError",
    "UsageError",
    "build_report",
    "load_dataset",
    "plan",
]
