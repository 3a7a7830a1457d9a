"""Imports every domain's models so the metadata is complete (Alembic, tests)."""

import importlib

from academy import PACKAGE_DIR, domain_packages

for _domain in domain_packages():
    if (PACKAGE_DIR / _domain / "models.py").exists():
        importlib.import_module(f"academy.{_domain}.models")
