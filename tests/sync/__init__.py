"""Tests of the laptop's half of sync: local changes, outbox, push answers and pull pages."""
