"""Data: YAML reading, schema, loading, catalog, countries and pure transforms."""
