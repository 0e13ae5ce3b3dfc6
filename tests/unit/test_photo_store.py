"""The content-addressed photo store: whole files, one per content, and no way out of its folder."""

import io

import pytest
from PIL import Image

from app.media.images import normalise_photo
from app.media.store import PhotoStore


@pytest.fixture
def photo():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, "PNG")
    return normalise_photo(buffer.getvalue(), max_bytes=1_000_000, max_pixels=1_000_000)


def test_it_saves_a_photo_and_its_thumbnail_under_the_first_two_letters_of_its_sha256(tmp_path, photo):
    written = PhotoStore(tmp_path).save(photo)

    sha256 = photo.sha256
    assert sorted(written) == sorted(tmp_path.glob("*/*.jpg"))
    assert (tmp_path / sha256[:2] / f"{sha256}.jpg").read_bytes() == photo.image
    assert (tmp_path / sha256[:2] / f"{sha256}.thumb.jpg").read_bytes() == photo.thumbnail


def test_it_keeps_one_file_when_the_same_photo_is_saved_twice(tmp_path, photo):
    store = PhotoStore(tmp_path)
    store.save(photo)
    first_write = store.path(photo.sha256).stat().st_mtime_ns

    store.save(photo)

    assert sorted(path.name for path in tmp_path.rglob("*")) == sorted(
        [photo.sha256[:2], f"{photo.sha256}.jpg", f"{photo.sha256}.thumb.jpg"]
    )  # no temporary files left
    assert store.path(photo.sha256).stat().st_mtime_ns == first_write


def test_it_says_whether_a_photo_is_stored(tmp_path, photo):
    store = PhotoStore(tmp_path)
    assert not store.exists(photo.sha256)

    store.save(photo)

    assert store.exists(photo.sha256)
    assert store.path(photo.sha256, thumbnail=True).exists()


def test_it_keeps_photos_readable_by_the_server_only(tmp_path, photo):
    store = PhotoStore(tmp_path)
    store.save(photo)

    assert store.path(photo.sha256).stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "ab/../../secret", "a" * 63, "A" * 64, "g" * 64, "", "a" * 64 + "/", "a" * 64 + "\n"]
)
def test_it_refuses_names_that_are_not_a_sha256(tmp_path, name):
    store = PhotoStore(tmp_path)

    with pytest.raises(ValueError):
        store.path(name)
    with pytest.raises(ValueError):
        store.exists(name)


def test_it_discards_only_the_files_one_save_wrote(tmp_path, photo):
    store = PhotoStore(tmp_path)
    store.save(photo)

    store.discard(store.save(photo))  # the second save wrote nothing: the first photo's files stay

    assert store.exists(photo.sha256) and store.path(photo.sha256, thumbnail=True).exists()
