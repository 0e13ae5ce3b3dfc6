"""The operators' commands: ``onsite backup``, ``onsite restore`` and ``onsite media migrate``."""

from pathlib import Path

import click
from click import Group
from litestar import Litestar


def add_operations_commands(cli: Group) -> None:
    @cli.command(name="backup", help="Write the database and every photo into one dated archive with checksums.")
    @click.option(
        "--to", "folder", type=click.Path(file_okay=False, path_type=Path), default="backups", show_default=True
    )
    def backup_command(app: Litestar, folder: Path) -> None:
        from app.operations.backup import backup
        from app.operations.dumps import BackupError

        try:
            archive = backup(app.state.settings, folder, app.state.clock())
        except BackupError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Backup written to {archive}")

    @cli.command(
        name="restore", help="Check a backup archive, then load it into an empty database and the photo store."
    )
    @click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def restore_command(app: Litestar, archive: Path) -> None:
        from app.operations.backup import restore
        from app.operations.dumps import BackupError

        try:
            restored = restore(app.state.settings, archive, progress=click.echo)
        except BackupError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Restored {restored.database} and {restored.photos} photo files.")

    @cli.group(name="media", help="Photo storage.")
    def media() -> None:
        pass

    @media.command(name="migrate", help="Copy the photos on disk into the S3 bucket and check every copy's hash.")
    @click.option(
        "--from",
        "source",
        type=click.Path(file_okay=False, exists=True, path_type=Path),
        default=None,
        help="The photo folder (default: ONSITE_MEDIA_DIR).",
    )
    def migrate_media(app: Litestar, source: Path | None) -> None:
        from app.media.store import LocalPhotoStore, photo_store
        from app.operations.media_copy import copy_photos

        settings = app.state.settings
        if settings.media_backend != "s3":
            raise click.ClickException("Set ONSITE_MEDIA_BACKEND=s3 and the ONSITE_S3_* settings of the bucket first.")
        report = copy_photos(LocalPhotoStore(source or Path(settings.media_dir)), photo_store(settings), click.echo)
        if report.mismatched:
            raise click.ClickException(f"{len(report.mismatched)} file(s) differ in the bucket; run it again.")
        click.echo(f"{report.copied} files copied to {settings.s3.bucket} and checked.")
