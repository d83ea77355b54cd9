"""Question-bank logic in plain Python: readers, validation, the draw, export. No Flask here."""
