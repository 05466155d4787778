"""The main window's screens; each takes a ``UiSession`` and reads only the local store."""
