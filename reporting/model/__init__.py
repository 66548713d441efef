"""The language-resolved document model: editions, number and date formatting, themes, chart specs and the
:class:`~reporting.model.report.Report` that every renderer reads (``plan``)."""
