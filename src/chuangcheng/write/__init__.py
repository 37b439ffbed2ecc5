"""Writing: the report view with its numbers, typography, and the templates that arrange it."""
