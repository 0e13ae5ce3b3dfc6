"""``onsite create-user`` makes the first manager of a fresh install."""

import sys
from pathlib import Path

import pytest
from sqlmodel import select

from app.accounts.models import User
from tests.helpers.servers import run_cli

ONSITE = Path(sys.executable).parent / "onsite"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_it_creates_the_first_manager_from_the_command_line(database_url, db, tmp_path):
    result = run_cli(
        database_url,
        "create-user",
        "--username",
        "boss",
        "--name",
        "The Boss",
        "--role",
        "manager",
        "--password",
        "a-long-password",
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Created manager boss." in result.stdout
    user = (await db.exec(select(User).where(User.username == "boss"))).one()
    assert user.role == "manager" and user.password_hash.startswith("$argon2")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_it_explains_a_refused_user_on_the_command_line(database_url, db, tmp_path):
    result = run_cli(
        database_url,
        "create-user",
        "--username",
        "b",
        "--name",
        "B",
        "--password",
        "a-long-password",
        tmp_path=tmp_path,
    )
    assert result.returncode != 0
    assert "lowercase letters" in result.stderr + result.stdout
