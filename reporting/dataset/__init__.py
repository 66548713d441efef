"""The dataset: schema, readers (YAML, spreadsheets) and its reference documentation."""
