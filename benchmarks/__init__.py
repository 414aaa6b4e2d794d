"""Benchmarks of the dashboard served the way it runs in production (gunicorn on loopback)."""
