"""The WSGI entry point for gunicorn: ``gunicorn 'academy.wsgi:create()'``.

A bad setting stops the server with one line naming it, not a traceback.
"""

from __future__ import annotations

import sys

from flask import Flask

from academy import create_app
from academy.config import ConfigurationError


def create() -> Flask:
    """The app, or exit with one line if the configuration cannot be used."""
    try:
        return create_app()
    except ConfigurationError as error:
        print(f"Error: {error}", file=sys.stderr)
        # 3 is gunicorn's "application failed to load": the master stops, no respawning.
        raise SystemExit(3) from None
