"""Printing forms with reportlab: blank, filled and in batches."""
