"""The sync engine: applying pushed mutations and serving the change feed."""
