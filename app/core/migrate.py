"""Alembic is the only way the schema is made, in production and in tests."""

import logging

from alembic import command
from alembic.config import Config

from app.core.database import create_private_sqlite_file
from app.core.settings import ROOT


def alembic_config(database_url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "app" / "migrations"))
    config.attributes["url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    create_private_sqlite_file(database_url)  # its folder too, on a fresh clone
    logging.getLogger("alembic").setLevel(logging.WARNING)
    command.upgrade(alembic_config(database_url), revision)
