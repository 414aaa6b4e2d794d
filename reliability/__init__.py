"""Reliability checks of the dashboard: broken data, hostile input and load under gunicorn."""
