"""Organizing bodies: who owns contests and banks, their members and what each role may do."""
