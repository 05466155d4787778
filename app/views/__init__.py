"""Read-only queries behind the desktop screens: plain SQLAlchemy Core over the local store."""
