"""Back up and restore the whole platform: the database and the files folder.

A backup is a folder::

    manifest.json     what it holds: format, backend, schema revision, time, file count
    database.sqlite3  SQLite: a consistent copy made with SQLite's online backup API
    database.dump     PostgreSQL: ``pg_dump --format=custom`` (restored by pg_restore)
    files/            a copy of the files folder (``ACADEMY_FILES_DIR``)

Uploaded course pictures and attachments live in the database, so they travel with
it; the files folder holds what the platform generates (exports, certificates).
Both work while the site is running: the SQLite backup API and pg_dump each read one
consistent snapshot.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from flask import current_app

from academy import __version__
from academy.db import db, utcnow

FORMAT = 1
MANIFEST = "manifest.json"


class BackupError(RuntimeError):
    """The backup or restore cannot go ahead; the message says why, in one line."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    backend: str
    revision: str | None
    files: int


def files_dir() -> Path:
    """The folder of generated and uploaded files."""
    configured = current_app.config.get("FILES_DIR") or ""
    return Path(configured) if configured else Path(current_app.instance_path) / "files"


def _url() -> sa.engine.URL:
    return db.engine.url


def _revision() -> str | None:
    with db.engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    return ",".join(sorted(heads)) or None


def _libpq_environment(url: sa.engine.URL) -> dict[str, str]:
    # Connection details go in the environment, so the password is never in argv.
    environment = dict(os.environ)
    for variable, value in (
        ("PGHOST", url.host),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
    ):
        if value is not None:
            environment[variable] = str(value)
    return environment


def _run(command: list[str], url: sa.engine.URL) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client)")
    result = subprocess.run(
        command, env=_libpq_environment(url), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{command[0]} failed: {detail}")


def _copy_sqlite(source: str, target: str) -> None:
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)
    origin.close()
    copy.close()


def _copy_files(source: Path, target: Path) -> int:
    if not source.is_dir():
        return 0
    shutil.copytree(source, target, dirs_exist_ok=True)
    return sum(1 for path in target.rglob("*") if path.is_file())


def backup(destination: Path) -> BackupSummary:
    """Write a backup folder at ``destination`` (which must not exist or be empty)."""
    if destination.exists() and os.listdir(destination):
        raise BackupError(f"{destination} is not empty; choose a new folder")
    url = _url()
    backend = url.get_backend_name()
    revision = _revision()
    destination.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        _copy_sqlite(url.database or "", str(destination / "database.sqlite3"))
    elif backend == "postgresql":
        _run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={destination / 'database.dump'}"],
            url,
        )
    else:
        raise BackupError(f"cannot back up a {backend} database")
    files = _copy_files(files_dir(), destination / "files")
    manifest = {
        "format": FORMAT,
        "backend": backend,
        "revision": revision,
        "created": utcnow().isoformat(),
        "version": __version__,
        "files": files,
    }
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return BackupSummary(destination, backend, revision, files)


def _read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(f"{source} is not a backup (no readable {MANIFEST})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source} has backup format {manifest.get('format')}, expected {FORMAT}")
    return manifest


def _is_empty() -> bool:
    tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
    return not tables


def restore(source: Path, *, replace: bool = False) -> BackupSummary:
    """Restore the backup at ``source`` into the configured database and files folder.

    Raises:
        BackupError: Not a backup, another database kind, or the database holds data
            and ``replace`` is False.
    """
    manifest = _read_manifest(source)
    url = _url()
    backend = url.get_backend_name()
    if manifest["backend"] != backend:
        raise BackupError(f"this is a {manifest['backend']} backup; the database is {backend}")
    if not replace and not _is_empty():
        raise BackupError("the database is not empty; pass --replace to overwrite it")
    db.session.remove()
    db.engine.dispose()
    if backend == "sqlite":
        _copy_sqlite(str(source / "database.sqlite3"), url.database or "")
    else:
        command = ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={url.database}"]
        if replace:
            command += ["--clean", "--if-exists"]
        _run([*command, str(source / "database.dump")], url)
    files = _copy_files(source / "files", files_dir())
    return BackupSummary(source, backend, manifest.get("revision"), files)
