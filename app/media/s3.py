"""Photos in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW), under the same keys as on disk.

Uploads go through boto3's transfer manager (multipart beyond 8 MB, in chunks), downloads are read from the
response body in chunks: the server never holds more than a chunk of a file it moves. Objects are written once
(the key is the content's hash) and never overwritten."""

from collections.abc import Iterator
from typing import BinaryIO

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

from app.core.settings import S3Settings
from app.media.images import ProcessedPhoto
from app.media.store import CHUNK, StoredFile, is_photo_key, photo_key

TRANSFER = TransferConfig(multipart_threshold=8 * 1024 * 1024, multipart_chunksize=8 * 1024 * 1024, use_threads=False)
_MISSING = {"404", "NoSuchKey", "NotFound"}


class S3PhotoStore:
    backend = "s3"

    def __init__(self, s3: S3Settings) -> None:
        self.bucket = s3.bucket
        self.client = boto3.session.Session().client(
            "s3",
            endpoint_url=s3.endpoint or None,
            aws_access_key_id=s3.access_key or None,
            aws_secret_access_key=s3.secret_key or None,
            region_name=s3.region,
            config=Config(
                signature_version="s3v4",
                # MinIO and Ceph answer on one host name: path-style; AWS itself picks virtual hosts
                s3={"addressing_style": "path" if s3.endpoint else "auto"},
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=5,
                read_timeout=30,
            ),
        )

    def save(self, photo: ProcessedPhoto) -> list[str]:
        written = []
        for content, thumbnail in ((photo.thumbnail, True), (photo.image, False)):
            key = photo_key(photo.sha256, thumbnail=thumbnail)
            if not self._exists(key):
                self.client.put_object(Bucket=self.bucket, Key=key, Body=content, ContentType="image/jpeg")
                written.append(key)
        return written

    def discard(self, written: list[str]) -> None:
        for key in written:
            self.client.delete_object(Bucket=self.bucket, Key=key)

    def open(self, key: str) -> StoredFile | None:
        _check(key)
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response["Error"]["Code"] in _MISSING:
                return None
            raise
        return StoredFile(answer["ContentLength"], _chunks_of(answer["Body"]))

    def put(self, key: str, source: BinaryIO) -> None:
        _check(key)
        if not self._exists(key):
            extra = {"ContentType": "image/jpeg"}
            self.client.upload_fileobj(source, self.bucket, key, ExtraArgs=extra, Config=TRANSFER)

    def list_keys(self) -> Iterator[str]:
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
            for item in page.get("Contents", []):
                if is_photo_key(item["Key"]):
                    yield item["Key"]

    def check(self) -> None:
        self.client.head_bucket(Bucket=self.bucket)

    def _exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response["Error"]["Code"] in _MISSING:
                return False
            raise
        return True


def _check(key: str) -> None:
    if not is_photo_key(key):
        raise ValueError(f"not a photo key: {key[:80]!r}")


def _chunks_of(body) -> Iterator[bytes]:
    try:
        yield from body.iter_chunks(CHUNK)
    finally:
        body.close()
