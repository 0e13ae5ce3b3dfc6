"""A real S3 API on a free port: moto's standalone server in a subprocess, one per test session (and worker)."""

import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import boto3

from app.core.settings import S3Settings
from tests.helpers.servers import free_port


class MotoServer:
    def __init__(self, log_dir: Path) -> None:
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log = log_dir / f"moto-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "MotoServer":
        command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.log.read_text()[-3000:])
            try:
                with urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("moto_server did not start in 30 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def new_bucket(self) -> S3Settings:
        """A fresh, empty bucket, so that tests never see each other's photos."""
        s3 = S3Settings(
            endpoint=self.endpoint, bucket=f"photos-{uuid.uuid4().hex[:12]}", access_key="test", secret_key="test"
        )
        keys = {"aws_access_key_id": s3.access_key, "aws_secret_access_key": s3.secret_key}
        boto3.client("s3", endpoint_url=s3.endpoint, region_name=s3.region, **keys).create_bucket(Bucket=s3.bucket)
        return s3
