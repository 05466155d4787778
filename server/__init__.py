"""Doorstep's central platform API: FastAPI over SQLAlchemy 2 (PostgreSQL; SQLite for demos)."""
