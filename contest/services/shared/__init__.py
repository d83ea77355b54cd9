"""Pieces every service package may use: audit recording, errors, problems, paging, the caches, health, rich text."""
