"""The project: ``report.toml``, its themes and audiences, and ``make-report init``."""
