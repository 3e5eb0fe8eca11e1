""".env.example names every setting a deployment may set, and only those: what settings.py
reads, what the container's entrypoint reads, and what compose.yaml fills in itself."""

import re
from pathlib import Path

from django.conf import settings

from softlanding.testing import variables_read_by_settings


def read(path: str) -> str:
    return Path(settings.BASE_DIR, path).read_text()


def variables_in_env_example() -> set[str]:
    """Every NAME=… line, set or commented out (a commented one keeps the default)."""
    return set(re.findall(r"^(?:# )?([A-Z][A-Z0-9_]+)=", read(".env.example"), flags=re.M))


def variables_substituted(path: str) -> set[str]:
    return set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", read(path)))


def test_env_example_names_every_setting():
    assert variables_read_by_settings() - variables_in_env_example() == set()


def test_env_example_names_nothing_that_is_not_read():
    read_somewhere = (
        variables_read_by_settings()
        | variables_substituted("scripts/entrypoint")
        | variables_substituted("compose.yaml")
    )
    assert variables_in_env_example() - read_somewhere == set()


def test_the_example_keeps_sign_up_to_invites():
    assert re.search(r"^SIGNUP=invite$", read(".env.example"), flags=re.M)
