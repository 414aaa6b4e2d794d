"""Rendering: figure, table and text, each from a chart model alone."""
