"""The content-addressed photo store, on disk and in an S3 bucket: whole files, one per content, no way out."""

import io

import pytest
from PIL import Image

from app.core.settings import Settings
from app.media.images import normalise_photo
from app.media.store import LocalPhotoStore, photo_key, photo_store, read_all, sha256_of


@pytest.fixture
def photo():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, "PNG")
    return normalise_photo(buffer.getvalue(), max_bytes=1_000_000, max_pixels=1_000_000)


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    settings = Settings(database_url="sqlite://", secret_key="x" * 32, var_dir=tmp_path)
    if request.param == "s3":
        bucket = request.getfixturevalue("s3_server").new_bucket()
        settings = Settings(database_url="sqlite://", secret_key="x" * 32, media_backend="s3", s3=bucket)
    return photo_store(settings)


def test_it_saves_a_photo_and_its_thumbnail_under_the_first_two_letters_of_its_sha256(store, photo):
    written = store.save(photo)

    sha256 = photo.sha256
    keys = [f"{sha256[:2]}/{sha256}.jpg", f"{sha256[:2]}/{sha256}.thumb.jpg"]
    assert sorted(written) == sorted(store.list_keys()) == keys
    assert read_all(store, photo_key(sha256)) == photo.image
    assert read_all(store, photo_key(sha256, thumbnail=True)) == photo.thumbnail


def test_it_streams_a_stored_photo_in_chunks_with_its_size(store, photo):
    store.save(photo)

    stored = store.open(photo_key(photo.sha256))

    assert stored.size == len(photo.image)
    assert sha256_of(stored.chunks) == photo.sha256


def test_it_answers_none_for_a_photo_it_does_not_hold(store, photo):
    assert store.open(photo_key(photo.sha256)) is None


def test_it_writes_the_same_photo_once(store, photo):
    assert len(store.save(photo)) == 2

    assert store.save(photo) == []
    assert len(list(store.list_keys())) == 2


def test_it_discards_only_the_files_one_save_wrote(store, photo):
    store.save(photo)

    store.discard(store.save(photo))  # the second save wrote nothing: the first photo's files stay

    assert read_all(store, photo_key(photo.sha256)) == photo.image


def test_it_discards_what_a_refused_upload_wrote(store, photo):
    store.discard(store.save(photo))

    assert list(store.list_keys()) == []


def test_it_puts_a_file_read_in_chunks_under_its_key(store, photo):
    store.put(photo_key(photo.sha256), io.BytesIO(photo.image))

    assert read_all(store, photo_key(photo.sha256)) == photo.image


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "ab/../../secret", "a" * 63, "A" * 64, "g" * 64, "", "a" * 64 + "/", "a" * 64 + "\n"]
)
def test_it_refuses_names_that_are_not_a_sha256(store, name):
    with pytest.raises(ValueError):
        photo_key(name)
    with pytest.raises(ValueError):
        store.open(f"{name[:2]}/{name}.jpg")
    with pytest.raises(ValueError):
        store.put(f"{name[:2]}/{name}.jpg", io.BytesIO(b""))


def test_it_checks_that_the_store_can_be_used(store):
    store.check()


def test_it_keeps_photos_on_disk_readable_by_the_server_only(tmp_path, photo):
    store = LocalPhotoStore(tmp_path)
    store.save(photo)

    assert store.path(photo_key(photo.sha256)).stat().st_mode & 0o077 == 0
    assert sorted(path.name for path in tmp_path.rglob("*")) == sorted(
        [photo.sha256[:2], f"{photo.sha256}.jpg", f"{photo.sha256}.thumb.jpg"]
    )  # no temporary files left
