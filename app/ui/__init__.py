"""All Qt code: windows, dialogs, item models and workers. The only place PySide6 is imported."""
