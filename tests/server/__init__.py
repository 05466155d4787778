"""Tests for the platform API (server/)."""
