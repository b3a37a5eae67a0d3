"""The WSGI entry point settles the process before its first request
(config/runtime.py): every view imported, the loaded objects frozen out of the
garbage collector's full walks."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import gc, json, sys
import config.wsgi
print(json.dumps({
    "frozen": gc.get_freeze_count(),
    "views": "suggestions.views.common" in sys.modules,
    "api": "suggestions.api.views" in sys.modules,
}))
"""


def test_the_wsgi_application_freezes_what_it_loaded():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(  # noqa: S603 (this interpreter, a fixed script)
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["views"] and probe["api"]
    assert probe["frozen"] > 50_000
