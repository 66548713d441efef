"""Bilingual reports from one facts dataset: PDF brief, PowerPoint deck, HTML preview.

A project decides what to build; a job builds it::

    from reporting import Project

    project = Project.open("my-brief")                   # its report.toml
    job = project.job("press", page_size="Letter")       # options > audience > dataset
    job.build()                                          # writes out/…_press_en.pdf here

Underneath, the flow is data → model → charts → renderers::

    from reporting import load_dataset, plan

    loaded = load_dataset("data/facts.yaml")             # validated facts
    report = plan(loaded, "en")                          # language-resolved model

Everything the toolkit raises on purpose is a :class:`ReportError`.
"""

# Exports are resolved on first use (PEP 562), so `make-report --help` and
# `python -m reporting` do not pay for pydantic and the renderers up front.
_EXPORTS = {
    "BuildOptions": "pipeline.build",
    "BuildResult": "pipeline.build",
    "Builder": "pipeline.build",
    "build_report": "pipeline.build",
    "AssetError": "errors",
    "DataError": "errors",
    "OutputError": "errors",
    "Problem": "errors",
    "ReportError": "errors",
    "TemplateError": "errors",
    "UsageError": "errors",
    "Dataset": "dataset.facts",
    "LoadedDataset": "dataset.load",
    "load_dataset": "dataset.load",
    "Edition": "lang.editions",
    "Report": "model.report",
    "plan": "model.planner",
    "Project": "project.job",
    "Job": "project.job",
    "Content": "project.job",
    "Look": "project.job",
    "Output": "project.job",
    "check_project": "project.check",
    "verify_outputs": "verify.check",
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
    "check_project",
    "Content",
    "Job",
    "load_dataset",
    "Look",
    "Output",
    "plan",
    "Project",
    "verify_outputs",
]
