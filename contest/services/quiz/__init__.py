"""The timed quiz: attempts, the draw from a bank's pool, receipts, integrity flags, disqualification."""
