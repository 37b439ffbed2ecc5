"""Typesetting: the Word package, the reference document, PDF, and one unit rendered."""
