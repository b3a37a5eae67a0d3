"""Full-page screenshots of each role's main pages, in Chinese, at 1366 and 390 px.

    make screenshots            (or: .venv/bin/python scripts/screenshots.py)

The demo data goes into a scratch directory of its own (var/screenshots-demo, on
SQLite: DATABASE_URL is ignored), loaded once and reused afterwards (--fresh loads it
again). A runserver on a free port serves it; the demo's people sign in through the
login page, and each page of demo/tour.py is written to
var/screenshots/<role>-<page>-<width>.png. --roles and --widths narrow the tour.
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEMO_PASSWORD = "demo2023"  # noqa: S105  (the demo accounts', printed by make run)
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
WIDTHS = (1366, 390)
HEIGHTS = {1366: 768, 390: 844}


def demo_environment(var_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        DJANGO_VAR_DIR=str(var_dir),
        DJANGO_DEMO="true",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    command = [PYTHON, "manage.py", *args]
    subprocess.run(command, cwd=BASE_DIR, env=env, check=True)  # noqa: S603


def prepare_data(var_dir: Path, env: dict[str, str], fresh: bool) -> None:
    marker = var_dir / ".demo-loaded"
    if fresh and var_dir.exists():
        shutil.rmtree(var_dir)
    var_dir.mkdir(parents=True, exist_ok=True)
    manage(env, "migrate", "--noinput", "-v", "0")
    if not marker.exists():
        print("Loading the demo data (about half a minute)…", flush=True)
        manage(env, "load_demo")
        marker.touch()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    log = open(Path(env["DJANGO_VAR_DIR"]) / "runserver.log", "w")  # noqa: SIM115
    server = subprocess.Popen(  # noqa: S603  (our own manage.py)
        [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/public/", timeout=2)
            return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"runserver did not start; see {log.name}")


def tour_urls(env: dict[str, str], roles: list[str] | None):
    """The tour's pages of ``roles`` (all by default) over the demo data, Django set
    up on the scratch database: {role: [(name, path), ...]}."""
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from demo import tour

    examples = tour.demo_examples()
    return {role: tour.main_pages(role, examples) for role in roles or tour.ROLES}


def shoot(base_url: str, pages, widths, out_dir: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from demo.tour import DEMO_USERNAMES

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
        )
        for role, role_pages in pages.items():
            context = browser.new_context(
                base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai"
            )
            page = context.new_page()
            username = DEMO_USERNAMES[role]
            if username is not None:
                page.goto("/accounts/login/")
                page.fill("[name=username]", username)
                page.fill("[name=password]", DEMO_PASSWORD)
                with page.expect_navigation():
                    page.click("[data-action=login]")
            for width in widths:
                page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
                for name, path in role_pages:
                    page.goto(path, wait_until="networkidle")
                    target = out_dir / f"{role}-{name}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    written.append(target)
                    print(f"  {target.relative_to(BASE_DIR)}", flush=True)
            context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="load the demo again")
    parser.add_argument("--roles", nargs="*", help="only these roles")
    parser.add_argument("--widths", nargs="*", type=int, default=list(WIDTHS))
    parser.add_argument(
        "--var-dir", type=Path, default=BASE_DIR / "var" / "screenshots-demo"
    )
    parser.add_argument("--out", type=Path, default=BASE_DIR / "var" / "screenshots")
    args = parser.parse_args()

    for width in args.widths:
        HEIGHTS.setdefault(width, 900)
    env = demo_environment(args.var_dir.resolve())
    prepare_data(args.var_dir, env, args.fresh)
    pages = tour_urls(env, args.roles)
    args.out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = start_server(env, port)
    try:
        written = shoot(f"http://127.0.0.1:{port}", pages, args.widths, args.out)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"{len(written)} screenshots in {args.out}")


if __name__ == "__main__":
    main()
