"""Store fixtures for the view queries, shared with the sync tests."""

from __future__ import annotations

from tests.sync.conftest import clock, empty_store, template

__all__ = ["clock", "empty_store", "template"]
