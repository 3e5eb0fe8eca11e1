"""The Containerfile copies the project folder by folder (never `COPY . .`, so that a local
data folder and its key file cannot come along): every app must be on its list."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings


def copied_into_the_image() -> set[str]:
    text = Path(settings.BASE_DIR, "Containerfile").read_text()
    return set(re.findall(r"^COPY (\S+) ", text, flags=re.M))


def test_every_app_of_ours_is_in_the_image():
    tops = {config.name.split(".")[0] for config in apps.get_app_configs()}
    ours = {top for top in tops if Path(settings.BASE_DIR, top).is_dir()}
    assert len(ours) > 10
    assert ours - copied_into_the_image() == set()


def test_what_every_app_needs_is_in_the_image():
    assert {"manage.py", "templates", "static", "scripts"} <= copied_into_the_image()
    # Every folder Django reads catalogues from: without it the image would speak English only.
    for folder in settings.LOCALE_PATHS:
        assert Path(folder).relative_to(settings.BASE_DIR).as_posix() in copied_into_the_image()


def test_nothing_is_copied_wholesale():
    assert "." not in copied_into_the_image()
