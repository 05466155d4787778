"""Tests for store."""
