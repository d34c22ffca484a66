"""`make run` runs on SQLite: every migration must apply there too (raw SQL
that only PostgreSQL understands is guarded by the connection's vendor)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_migration_applies_on_sqlite(tmp_path):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'embedded.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    check = subprocess.run(
        [sys.executable, "manage.py", "showmigrations", "--plan"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "[ ]" not in check.stdout  # nothing left unapplied
