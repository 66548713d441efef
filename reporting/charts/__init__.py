"""Charts drawn with matplotlib from the model's chart specs, with a cache in memory and on disk."""
