"""Static files in production: whitenoise's storage (compressed, each name carrying a hash of
its content), with each file's URL worked out once per process.

The manifest of hashed names is read when the process starts and does not change while it
runs, so neither does a file's URL; every page asks for seven of them, at about 40 µs each."""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force or settings.DEBUG:  # DEBUG answers the plain name, as Django's storage does
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            found = self._urls[name] = super().url(name)
            return found
