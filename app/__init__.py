"""Doorstep desktop client: domain model, local store, sync engine and Qt UI."""

__version__ = "0.1.0"
