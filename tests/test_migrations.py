"""The migrations build exactly the models' schema, and downgrade to nothing."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import academy.models  # noqa: F401  (every model on the metadata)
from academy import migrate
from academy.db import Base
from tests.conftest import fresh_database_url


def test_upgrade_gives_the_models_schema_and_downgrade_removes_it(tmp_path_factory):
    url = fresh_database_url(tmp_path_factory, "migrations")
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            migrate.upgrade(connection)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            drift = compare_metadata(context, Base.metadata)
        assert drift == [], f"models and migrations differ: {drift}"

        with engine.begin() as connection:
            migrate.downgrade(connection, "base")
        tables = set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
        assert tables == set()

        with engine.begin() as connection:  # and up again, from base
            migrate.upgrade(connection)
        assert set(Base.metadata.tables) <= set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
