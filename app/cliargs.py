"""Argument types shared by the laptop's and the platform's command lines."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def bounded_int(name: str, low: int, high: int) -> Callable[[str], int]:
    """An argparse ``type`` accepting a whole number from ``low`` to ``high`` inclusive."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{name} must be a whole number from {low:,} to {high:,}; got '{text}'."
            ) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"{name} must be a whole number from {low:,} to {high:,}; got {value:,}."
            )
        return value

    return parse
