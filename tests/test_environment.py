"""Prove the test plumbing works: PostgreSQL fixtures, a throwaway cluster and offscreen Qt."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontDatabase
from PySide6.QtWidgets import QApplication, QLabel

from tests.conftest import PgUnavailableError, pg_connect, pg_unavailable, start_throwaway_cluster


@pytest.mark.postgres
def test_pg_engine_answers_on_a_fresh_database(pg_engine: sa.Engine) -> None:
    with pg_engine.connect() as conn:
        assert conn.execute(sa.text("select 1")).scalar_one() == 1
        version_num = int(conn.execute(sa.text("show server_version_num")).scalar_one())
        database = conn.execute(sa.text("select current_database()")).scalar_one()
        user_tables = conn.execute(
            sa.text(
                "select count(*) from information_schema.tables"
                " where table_schema not in ('pg_catalog', 'information_schema')"
            )
        ).scalar_one()
    assert version_num >= 130000, f"PostgreSQL 13+ required, server is {version_num}"
    assert database.startswith("doorstep_test_")
    assert user_tables == 0


@pytest.mark.postgres
def test_throwaway_cluster_starts_answers_and_is_removed() -> None:
    # This is the path CI takes when the machine's own server is down, so exercise it directly.
    # A /tmp directory, not tmp_path: as root the cluster runs as `postgres`, who can't enter
    # pytest's root-only base temp dir.
    workdir = Path(tempfile.mkdtemp(prefix="doorstep-pg-selftest-"))
    try:
        cluster = start_throwaway_cluster(workdir)
    except PgUnavailableError as exc:
        pg_unavailable(f"throwaway cluster: {exc}")
    try:
        with pg_connect(cluster.admin_url) as conn:
            row = conn.execute("select inet_server_port(), current_setting('fsync')").fetchone()
        assert row == (cluster.port, "off")
    finally:
        cluster.stop()
    assert not workdir.exists()


def test_qt_renders_text_offscreen(qapp: QApplication) -> None:
    # A non-empty font database plus dark pixels on a white label prove that Qt's system
    # libraries and at least one font are installed, not merely that PySide6 imports.
    assert QFontDatabase.families(), "no fonts: install fonts-dejavu-core"
    label = QLabel("Doorstep")
    label.setStyleSheet("background: white; color: black; font-size: 24px;")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.resize(200, 60)
    pixmap = label.grab()
    assert not pixmap.isNull()
    image = pixmap.toImage()
    dark = sum(
        1
        for x in range(image.width())
        for y in range(image.height())
        if QColor(image.pixel(x, y)).lightness() < 128
    )
    assert dark > 0, "label text did not render"
    assert qapp.platformName() in {"offscreen", "xcb", "wayland"}
