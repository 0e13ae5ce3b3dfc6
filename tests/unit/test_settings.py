"""Settings from the environment: the photo limits and where photos live."""

from pathlib import Path

from app.core.settings import Settings


def test_it_keeps_photos_under_the_var_dir_unless_told_otherwise(tmp_path):
    settings = Settings(database_url="sqlite://", secret_key="x", var_dir=tmp_path)

    assert settings.media_dir == tmp_path / "media"
    assert (settings.photo_max_bytes, settings.photo_max_pixels) == (15_000_000, 50_000_000)


def test_it_reads_the_photo_settings_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ONSITE_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("ONSITE_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("ONSITE_PHOTO_MAX_BYTES", "5000000")
    monkeypatch.setenv("ONSITE_PHOTO_MAX_PIXELS", "12000000")
    monkeypatch.setenv("ONSITE_MEDIA_DIR", "/srv/onsite/photos")

    settings = Settings.from_env()

    assert (settings.photo_max_bytes, settings.photo_max_pixels) == (5_000_000, 12_000_000)
    assert settings.media_dir == Path("/srv/onsite/photos")


def test_it_defaults_photos_to_the_media_folder_of_the_var_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ONSITE_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("ONSITE_SECRET_KEY", "from-the-environment")
    monkeypatch.delenv("ONSITE_MEDIA_DIR", raising=False)

    assert Settings.from_env().media_dir == tmp_path / "media"
