"""Rotating, redacted log files in the per-user log folder (platformdirs or $DOORSTEP_HOME/logs)."""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
from pathlib import Path

from app.support.redact import RedactingFilter

LOG_FILE_NAME = "doorstep.log"
# 1 MB x 5 files: weeks of normal use, small enough to attach to a support ticket.
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d]: %(message)s"


class LogSetup:
    """The installed file handler and its filter; ``close()`` takes them out again."""

    def __init__(
        self, handler: logging.Handler, redactor: RedactingFilter, logger: logging.Logger
    ) -> None:
        self.handler = handler
        self.redactor = redactor
        self._logger = logger
        self._previous_level = logger.level

    @property
    def path(self) -> Path:
        """The current log file."""
        assert isinstance(self.handler, logging.FileHandler)
        return Path(self.handler.baseFilename)

    def close(self) -> None:
        """Detach and close the handler, restoring the logger's previous level."""
        self._logger.removeHandler(self.handler)
        self._logger.setLevel(self._previous_level)
        self.handler.close()


def log_files(log_dir: Path) -> list[Path]:
    """The current log and its rotated predecessors, newest first."""
    current = log_dir / LOG_FILE_NAME
    rotated = [log_dir / f"{LOG_FILE_NAME}.{n}" for n in range(1, BACKUP_COUNT + 1)]
    return [path for path in (current, *rotated) if path.is_file()]


def setup_logging(
    log_dir: Path, level: str = "INFO", logger: logging.Logger | None = None
) -> LogSetup:
    """Send ``logger``'s records (the root logger by default) to a rotating, redacted file."""
    target = logger if logger is not None else logging.getLogger()
    log_dir.mkdir(parents=True, exist_ok=True)
    # Logs name record ids and hosts: readable by their owner only, like the store.
    with contextlib.suppress(OSError):
        os.chmod(log_dir, 0o700)
    handler = logging.handlers.RotatingFileHandler(
        log_dir / LOG_FILE_NAME,
        maxBytes=MAX_BYTES,
        backupCount=BACKUP_COUNT,
        encoding="utf-8",
        delay=True,
    )
    redactor = RedactingFilter()
    handler.addFilter(redactor)
    handler.setFormatter(logging.Formatter(FORMAT))
    setup = LogSetup(handler, redactor, target)
    target.addHandler(handler)
    target.setLevel(getattr(logging, level.upper(), logging.INFO))
    return setup
