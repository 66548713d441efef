"""The dataset: its schema (pydantic), YAML read with line numbers, derived figures, text hazards and its
reference documentation.

Imports of the toolkit only what lies below it: :mod:`reporting.lang`, :mod:`reporting.errors` and
:mod:`reporting.zips`."""
