"""The file system the app serves files from: a path that cannot name a file is simply not found."""

from typing import Any

from litestar.file_system import BaseLocalFileSystem
from litestar.types import PathType


class LocalFiles(BaseLocalFileSystem):
    """Local files, where a NUL byte, an over-long name or a file used as a folder means "no such file".

    The operating system refuses such paths with ``ValueError`` or an ``OSError`` other than "not found",
    which Litestar would turn into a 500; every one of them is a 404 to whoever asked.
    """

    async def info(self, path: PathType, **kwargs: Any):
        if "\x00" in str(path):
            raise FileNotFoundError(str(path).replace("\x00", "\\0"))
        try:
            return await super().info(path, **kwargs)
        except FileNotFoundError:
            raise
        except (ValueError, OSError) as error:
            raise FileNotFoundError(str(path)) from error
