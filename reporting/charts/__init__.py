"""Charts: language-resolved chart specs, and the matplotlib builders that draw them."""
