"""``python -m reporting`` is ``make-report``."""

from .cli import main

main(prog_name="make-report")
