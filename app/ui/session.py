"""What every desktop screen is given: the signed-in user's store, write API and events."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from app.store.db import Store
from app.sync.local import LocalSync
from app.sync.outbox import LocalChanges
from app.sync.state import Identity


class StoreEvents(QObject):
    """Application-wide notifications; pages listen instead of polling the store.

    ``changed`` fires on the GUI thread after a local write or an applied sync, so models
    re-query; the ``open_*`` signals ask the shell to navigate.
    """

    changed = Signal()
    open_person = Signal(uuid.UUID)
    open_case = Signal(uuid.UUID)
    sync_requested = Signal()


@dataclass
class UiSession:
    """One signed-in user on this laptop. Pages read ``store`` and write through ``changes``."""

    store: Store
    local: LocalSync
    changes: LocalChanges
    identity: Identity
    events: StoreEvents
