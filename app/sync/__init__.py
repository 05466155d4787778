"""Offline sync: outbox, wire protocol and sync engine (no Qt here)."""
