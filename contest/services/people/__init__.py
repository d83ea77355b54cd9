"""People and units: accounts, registration, the unit tree, unit members, privacy; a rename is announced (events)."""
