"""Supportability for council IT: redacted logs, self-test, diagnostics and update notices."""
