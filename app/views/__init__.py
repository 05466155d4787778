"""Non-Qt queries behind the desktop screens, testable without a display."""
