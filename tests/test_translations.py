"""The Chinese catalogue is complete: every text the code and the templates mark for
translation has a Chinese translation that is not fuzzy, so no page shows English to a
user of the Chinese default. Django's ``makemessages`` extracts the texts afresh from
a copy of the source (the catalogue in the tree is left as it is)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = [
    "accounts",
    "audit",
    "config",
    "congress",
    "common",
    "dashboard",
    "demo",
    "imports",
    "notifications",
    "suggestions",
    "templates",
    "static",
    "locale",
    "manage.py",
]
CATALOGUE = Path("locale/zh_Hans/LC_MESSAGES/django.po")

pytestmark = pytest.mark.skipif(
    not (shutil.which("xgettext") and shutil.which("msgattrib")),
    reason="needs GNU gettext (xgettext, msgattrib)",
)


def _msgids(po: str) -> list[str]:
    """The message ids of a catalogue in ``msgattrib`` output, the header left out."""
    ids, current = [], None
    for line in po.splitlines():
        if line.startswith("msgid "):
            current = [line[len("msgid ") :].strip('"')]
        elif line.startswith('"') and current is not None:
            current.append(line.strip('"'))
        elif current is not None:
            ids.append("".join(current))
            current = None
    return [i for i in ids if i]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """A catalogue merged with the texts extracted from a copy of the source."""
    copy = tmp_path_factory.mktemp("source")
    for name in SOURCE:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, copy / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        elif source.exists():
            shutil.copy2(source, copy / name)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    return copy / CATALOGUE


def _attrib(catalogue: Path, flag: str) -> list[str]:
    result = subprocess.run(  # noqa: S603 (gettext's own tool)
        [shutil.which("msgattrib"), flag, str(catalogue)],
        check=True,
        capture_output=True,
        text=True,
    )
    return _msgids(result.stdout)


def test_every_marked_text_has_a_chinese_translation(extracted):
    assert _attrib(extracted, "--untranslated") == []


def test_no_translation_is_fuzzy(extracted):
    assert _attrib(extracted, "--only-fuzzy") == []


def test_the_check_sees_a_missing_translation(extracted, tmp_path):
    """The check itself can fail: a text without a translation is reported."""
    po = extracted.read_text(encoding="utf-8")
    broken = po.replace('msgid "Filed"\nmsgstr "已立案"', 'msgid "Filed"\nmsgstr ""', 1)
    assert broken != po
    catalogue = tmp_path / "django.po"
    catalogue.write_text(broken, encoding="utf-8")
    assert _attrib(catalogue, "--untranslated") == ["Filed"]


def test_the_compiled_catalogue_is_the_catalogue(tmp_path):
    """The committed ``django.mo`` (what the site reads) holds exactly what
    ``django.po`` says: a merge that kept one side's ``.mo`` is caught here."""
    import gettext

    fresh = tmp_path / "django.mo"
    subprocess.run(  # noqa: S603
        ["msgfmt", "--check-format", "-o", str(fresh), str(ROOT / CATALOGUE)],  # noqa: S607
        check=True,
    )
    committed = ROOT / CATALOGUE.with_suffix(".mo")
    with fresh.open("rb") as a, committed.open("rb") as b:
        want = gettext.GNUTranslations(a)._catalog
        have = gettext.GNUTranslations(b)._catalog
    missing = sorted(str(k) for k in want.keys() - have.keys())[:5]
    assert not missing, f"not compiled into django.mo: {missing}"
    changed = sorted(str(k) for k in want if k in have and want[k] != have[k])[:5]
    assert not changed, f"compiled differently: {changed}"
