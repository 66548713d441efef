"""Languages and editions, and how numbers and periods read in each language (Babel).

The bottom of the package, under the dataset: the dataset parses and checks exact numbers and
periods, the model formats them, so both use these types. Imports nothing of the toolkit."""
