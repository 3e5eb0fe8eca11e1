"""The catalogues are whole: every message of the source translated in every language, nothing
fuzzy, every placeholder and tag carried over, the compiled files in step with the .po files.

A half-translated page is worse than an English one: it mixes languages at the moment someone
reads slowly. These checks are what keep `make messages` and the catalogues honest."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from softlanding import catalogue_files as po

LANGUAGES = po.translated_languages()
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", ".tools", ".test-data*", "staticfiles", "__pycache__", "*.mo", "node_modules"
)


def _messages(language: str) -> list[po.Message]:
    return po.read(po.catalogue_path(language))[1:]


def _plural_count(language: str) -> int:
    header = po.read(po.catalogue_path(language))[0].translations[0]
    found = re.search(r"nplurals=(\d+)", header)
    assert found, f"{language}: the header has no Plural-Forms"
    return int(found.group(1))


def test_every_language_of_the_settings_has_a_catalogue():
    assert LANGUAGES, "no language besides the source language"
    for language in LANGUAGES:
        assert po.catalogue_path(language).exists(), language


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_header_names_the_language(language):
    header = po.read(po.catalogue_path(language))[0]
    assert f"Language: {language}\n" in header.translations[0]
    assert "fuzzy" not in header.flags


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    forms = _plural_count(language)
    problems = []
    for message in _messages(language):
        if "fuzzy" in message.flags:
            problems.append(f"fuzzy: {message.msgid!r}")
        if not all(text.strip() for text in message.translations):
            problems.append(f"missing: {message.msgid!r}")
        if message.plural and len(message.translations) != forms:
            count = len(message.translations)
            problems.append(f"{count} of {forms} plural forms: {message.msgid!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_and_tags_are_carried_over(language):
    problems = []
    for message in _messages(language):
        originals = [message.msgid, message.plural] if message.plural else [message.msgid]
        allowed = set(po.placeholders(" ".join(originals)))
        for index, text in enumerate(message.translations):
            used = set(po.placeholders(text))
            # A singular form may leave the count out ("once" for "%(n)s times"), nothing else.
            whole = index > 0 or not message.plural
            if used - allowed or (whole and used != allowed):
                problems.append(f"placeholders {sorted(used)} ≠ {sorted(allowed)}: {text!r}")
            if po.tags(text) != po.tags(originals[-1 if index else 0]):
                problems.append(f"tags differ: {text!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_the_same_as_the_po_file(language):
    compiled = po.catalogue_path(language).with_suffix(".mo")
    with compiled.open("rb") as file:
        catalog = gettext.GNUTranslations(file)._catalog  # type: ignore[attr-defined]
    expected: dict = {}
    for message in _messages(language):
        if "fuzzy" in message.flags or not all(message.translations):
            continue  # msgfmt leaves these out; the test above names them
        key = f"{message.context}\x04{message.msgid}" if message.context else message.msgid
        if message.plural:
            expected |= {(key, i): text for i, text in enumerate(message.translations)}
        else:
            expected[key] = message.translations[0]
    found = {key: text for key, text in catalog.items() if key != ""}
    assert found == expected, "run `make messages`: the .mo file is older than its .po file"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext (CI installs it)")
def test_the_catalogues_hold_exactly_the_strings_of_the_source(tmp_path):
    # The same command `make messages` runs, on a copy of the tree, keeping the template (.pot).
    tree = tmp_path / "tree"
    shutil.copytree(settings.BASE_DIR, tree, ignore=NOT_COPIED)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", LANGUAGES[0], "--keep-pot"],
        cwd=tree,
        env=os.environ | {"SOFTLANDING_DATA_DIR": str(settings.DATA_DIR)},
        check=True,
        capture_output=True,
    )
    source = {message.key for message in po.read(tree / "locale" / "django.pot")[1:]}
    for language in LANGUAGES:
        present = {message.key for message in _messages(language)}
        missing, stale = source - present, present - source
        assert not missing, f"{language}: not in the catalogue yet (make messages): {missing}"
        assert not stale, f"{language}: no longer in the source (make messages): {stale}"


def test_adding_a_language_is_one_folder_and_one_line(settings, tmp_path):
    # The folder is found by `makemessages --all` (Makefile) and by Django at run time.
    assert [Path(p) for p in settings.LOCALE_PATHS] == [Path(settings.BASE_DIR, "locale")]
    folders = {p.name for p in Path(settings.BASE_DIR, "locale").iterdir() if p.is_dir()}
    assert folders == set(LANGUAGES)
