"""The view: its declared parameters, URL round trip and defaults."""
