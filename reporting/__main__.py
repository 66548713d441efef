"""``python -m reporting`` is ``make-report``."""

from .cli import run

run()
