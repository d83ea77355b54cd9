"""The timed quiz: attempts, the draw from a bank's pool, receipts, integrity flags, the category chosen at the start,
practice."""
