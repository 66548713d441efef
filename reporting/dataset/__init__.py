"""The dataset: its schema (pydantic), YAML read with line numbers, derived figures, text hazards and its
reference documentation.

Imports nothing of the toolkit but :mod:`reporting.errors`."""
