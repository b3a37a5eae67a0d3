"""Backup and restore (scripts/backup.sh, scripts/restore.sh) on a throwaway cluster:
a dump restored into a new database gives the same dashboard figures, and the
uploaded letters come back byte for byte."""

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .servers import BASE_DIR

pytestmark = pytest.mark.faults


def tree(folder: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every file under ``folder``."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def letters(pg, database: str) -> list[tuple]:
    with pg.connect(database) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT id, assignment_id, letter, letter_name FROM suggestions_reply"
            " WHERE letter <> '' ORDER BY id"
        )
        rows = cur.fetchall()
    conn.close()
    return rows


def test_a_backup_restored_into_a_new_database_gives_the_same_figures(make_stack):
    stack = make_stack()
    env = {
        **stack.app.env,
        "PATH": f"{stack.pg.bin}{os.pathsep}{os.environ['PATH']}",
    }
    media = stack.app.var / "media"
    backup = stack.folder / "backup"
    restored_media = stack.folder / "restored-media"
    restored_url = stack.pg.url("restored")

    def script(*args: str) -> None:
        subprocess.run(  # noqa: S603 - the project's own scripts
            [shutil.which("bash"), *args],
            cwd=BASE_DIR,
            env=env,
            check=True,
            timeout=120,
        )

    script("scripts/backup.sh", str(backup))
    assert (backup / "db.dump").stat().st_size > 0
    script("scripts/restore.sh", str(backup), restored_url, str(restored_media))

    def figures(url: str) -> dict:
        stack.app.env["DATABASE_URL"] = url
        out = stack.app.manage(
            "stats", "--session", str(stack.data["session"]), "--json"
        )
        # The figures, not when they were computed: a snapshot left stale in the
        # dump is recomputed on each side when read.
        result = json.loads(out)
        result.pop("as_of")
        return result

    before, after = figures(stack.pg.url()), figures(restored_url)
    # Counted are the registered ones (the submitted wait for review).
    assert before["suggestions"] == len(stack.data["replied"])
    assert before["outcomes"]["resolved"] == len(stack.data["replied"])
    assert after == before
    assert not after["stale"]

    original = letters(stack.pg, "app")
    assert len(original) == len(stack.data["replied"])
    assert letters(stack.pg, "restored") == original
    assert tree(restored_media) == tree(media)
    for _, _, name, _ in original:
        assert (restored_media / name).read_bytes().startswith(b"%PDF-")

    # A second restore into the same (now existing) database refuses.
    with pytest.raises(subprocess.CalledProcessError):
        script("scripts/restore.sh", str(backup), restored_url, str(restored_media))
