"""The language-resolved document model: themes, chart specs, the frame's words and the
:class:`~reporting.model.report.Report` that every renderer reads (``plan``); numbers and dates are
written through :mod:`reporting.lang`."""
