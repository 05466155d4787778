"""Doorstep test suite, mirroring the package tree."""
