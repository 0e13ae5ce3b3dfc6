"""``onsite``: the Litestar CLI with Onsite's admin commands (create-user, migrate, load-demo, serve; backup, restore
and media migrate in ``app/operations/cli.py``)."""

import asyncio
import os

import click
from click import Group
from litestar import Litestar
from litestar.plugins import CLIPluginProtocol


async def _with_session(app: Litestar, work):
    from app.core.database import make_engine, make_sessionmaker

    engine = make_engine(app.state.settings.database_url)
    try:
        async with make_sessionmaker(engine)() as db:
            return await work(db)
    finally:
        await engine.dispose()


class OnsiteCLIPlugin(CLIPluginProtocol):
    def on_cli_init(self, cli: Group) -> None:
        from app.operations.cli import add_operations_commands

        add_operations_commands(cli)

        @cli.command(name="migrate", help="Apply the database migrations (alembic upgrade head).")
        def migrate(app: Litestar) -> None:
            from app.core.migrate import upgrade

            upgrade(app.state.settings.database_url)
            click.echo("Database is up to date.")

        @cli.command(name="prune", help="Delete what is past its keep time (stored answers, sessions, sign-ins).")
        def prune(app: Litestar) -> None:
            from app.retention import prune as prune_now

            async def work(db):
                return await prune_now(db, app.state.settings, app.state.clock())

            for kind, count in asyncio.run(_with_session(app, work)).items():
                click.echo(f"{kind}: {count} deleted")

        @cli.command(name="worker", help="Run the scheduler (messages, clocks, escalations, prune) in its own process.")
        def worker(app: Litestar) -> None:
            from app.notify.scheduler import run_worker

            click.echo("Onsite worker running (one leader among all server and worker processes).")
            asyncio.run(run_worker(app.state.settings, app.state.clock))

        @cli.command(name="create-user", help="Create a user, e.g. the first manager of a fresh install.")
        @click.option("--username", required=True)
        @click.option("--name", "display_name", required=True)
        @click.option(
            "--role",
            type=click.Choice(["engineer", "clerk", "coordinator", "manager", "follow_up", "reception", "regional"]),
            default="manager",
            show_default=True,
        )
        @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
        def create_user(app: Litestar, username: str, display_name: str, role: str, password: str) -> None:
            from app.accounts import service
            from app.core.errors import DomainError

            async def work(db):
                office = await service.default_office(db)
                form = service.parse_user_form(
                    {
                        "username": username,
                        "display_name": display_name,
                        "role": role,
                        "locale": "",
                        "password": password,
                    },
                    creating=True,
                )
                return await service.create_user(db, form, office_id=office.id, now=app.state.clock())

            try:
                user = asyncio.run(_with_session(app, work))
            except DomainError as error:
                raise click.ClickException(error.message) from error
            click.echo(f"Created {user.role} {user.username}.")

        @cli.command(name="load-demo", help="Load demo data into an empty database.")
        def load_demo(app: Litestar) -> None:
            from app.demo.load import load_demo_data

            def work(db):
                return load_demo_data(db, app.state.clock(), app.state.settings)

            loaded = asyncio.run(_with_session(app, work))
            click.echo("Demo data loaded." if loaded else "The database already has users; demo data skipped.")

        @cli.command(name="serve", help="Migrate, optionally load demo data, and serve the app.")
        @click.option("--demo/--no-demo", default=False, help="Load demo data on first start.")
        def serve(app: Litestar, demo: bool) -> None:
            import uvicorn

            from app.core.migrate import upgrade
            from app.demo.load import DEMO_LOGINS, DEMO_PASSWORD, load_demo_data

            settings = app.state.settings
            upgrade(settings.database_url)
            if demo:
                asyncio.run(_with_session(app, lambda db: load_demo_data(db, app.state.clock(), app.state.settings)))
            url = f"http://{settings.host}:{settings.port}"
            click.echo(f"\n  Onsite is running at {url}\n")
            if demo:
                click.echo(f"  Demo logins (password: {DEMO_PASSWORD}):")
                for username, name, role, office in DEMO_LOGINS:
                    click.echo(f"    {username:<15} {role:<12} {office:<8} {name}")
                click.echo("")
            if settings.workers > 1 and settings.channels_backend == "memory":
                raise click.ClickException(
                    "Several workers need ONSITE_CHANNELS_BACKEND=postgres or redis, "
                    "so that every board hears every change."
                )
            uvicorn.run(
                "app.main:create_app",
                factory=True,
                host=settings.host,
                port=settings.port,
                workers=settings.workers,
                timeout_graceful_shutdown=3,
                proxy_headers=False,  # the app reads X-Forwarded-* itself, from ONSITE_TRUSTED_PROXIES only
                log_level="warning",
            )


def main() -> None:
    from litestar.cli.main import litestar_group

    os.environ.setdefault("LITESTAR_APP", "app.main:create_app")
    litestar_group()
