"""Chart models: pure functions from data and a view to what a chart shows."""
