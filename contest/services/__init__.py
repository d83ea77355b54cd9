"""Domain operations: they take explicit arguments and never read the request."""
