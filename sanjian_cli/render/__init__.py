"""Renderers: turn the plain data of the library into text, markdown, JSON and tables."""
