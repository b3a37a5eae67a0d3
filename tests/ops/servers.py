"""Throwaway servers for the fault tests: a PostgreSQL cluster made with ``initdb`` in a
temporary folder, a ``redis-server``, gunicorn and Celery processes, each on a free
port of 127.0.0.1, so that the machine's shared PostgreSQL (5432) and Redis (6379)
are never touched. Every process starts in a process group of its own and
``Processes.close`` kills them all.

PostgreSQL refuses to run as root: as root the cluster belongs to the ``postgres``
system user (``runuser -u postgres --``); as anyone else, to that user.
"""

import contextlib
import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def pg_bin_dir() -> Path | None:
    """The newest PostgreSQL server installation with initdb and pg_ctl."""
    found = []
    for folder in glob.glob("/usr/lib/postgresql/*/bin"):
        path = Path(folder)
        if (path / "initdb").exists() and (path / "pg_ctl").exists():
            with contextlib.suppress(ValueError):
                found.append((float(path.parent.name), path))
    return max(found)[1] if found else None


def missing_tools() -> str | None:
    """Why the fault tests cannot run here, or None."""
    if pg_bin_dir() is None:
        return "PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb, pg_ctl)"
    if not shutil.which("redis-server"):
        return "redis-server"
    if (
        not shutil.which("gunicorn")
        and not (Path(sys.executable).parent / "gunicorn").exists()
    ):
        return "gunicorn"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "the postgres system user (PostgreSQL does not run as root)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, *, timeout: float, what: str, interval: float = 0.1):
    """Poll ``predicate`` until it returns something true; raise after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def scratch_folder(prefix: str) -> Path:
    """A fresh folder that the PostgreSQL user may enter: in ``FAULTS_ROOT`` if set
    (``.ci/run`` sets it, and after the run stops whatever a folder's ``pids`` file
    and ``data/postmaster.pid`` name, should a test have been killed), else in /tmp."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=os.environ.get("FAULTS_ROOT")))
    folder.chmod(0o755)
    return folder


def note_pid(folder: Path, pid: int) -> None:
    """Record a started process group for ``.ci/run``'s cleanup."""
    with (folder / "pids").open("a") as pids:
        pids.write(f"{pid}\n")


class PgCluster:
    """``initdb`` in ``folder/data`` (trust authentication, user ``postgres``), served
    on a free port with its socket in ``folder``."""

    def __init__(self, folder: Path, port: int | None = None):
        self.bin = pg_bin_dir()
        self.folder = folder
        self.data = folder / "data"
        self.log = folder / "postgres.log"
        self.port = port or free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str, timeout: float = 120) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(  # noqa: S603 - fixed programs, our own arguments
            command,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=timeout,
            cwd=self.folder,
            start_new_session=True,
        )

    def _chown(self, path: Path) -> None:
        if self.as_root:
            user = pwd.getpwnam("postgres")
            for root, dirs, files in os.walk(path):
                os.chown(root, user.pw_uid, user.pw_gid)
                for name in dirs + files:
                    os.lchown(os.path.join(root, name), user.pw_uid, user.pw_gid)

    def init(self) -> "PgCluster":
        self._chown(self.folder)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        return self

    def copy_to(self, folder: Path) -> "PgCluster":
        """A copy of this (stopped) cluster in ``folder``, on a port of its own."""
        shutil.copytree(self.data, folder / "data", symlinks=True)
        clone = PgCluster(folder)
        clone._chown(folder)
        return clone

    def start(self) -> "PgCluster":
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "start",
        )
        return self

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError):
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database: str = "app") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        done = subprocess.run(  # noqa: S603 - a fixed program
            [
                str(self.bin / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-v",
                "ON_ERROR_STOP=1",
                "-qAtX",
                "-c",
                sql,
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return done.stdout.strip()

    def connect(self, database: str = "app"):
        import psycopg2

        return psycopg2.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database
        )


class RedisServer:
    """A ``redis-server`` without persistence on a free port."""

    def __init__(self, folder: Path):
        self.folder, self.port, self.process = folder, free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(  # noqa: S603 - a fixed command line
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        note_pid(self.folder, self.process.pid)
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)

        def pings():
            try:
                return client.ping()
            except redis.ConnectionError:
                return False

        wait_until(pings, timeout=10, what="redis-server to answer")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


class Processes:
    """The app's processes (manage.py commands, gunicorn, Celery) on one database and
    broker, with a ``DJANGO_VAR_DIR`` of their own; ``close`` kills what started."""

    def __init__(self, folder: Path, database_url: str, redis_url: str, **env):
        self.folder = folder
        self.var = folder / "var"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "DJANGO_VAR_DIR": str(self.var),
            "DJANGO_MEDIA_ROOT": str(self.var / "media"),
            "SMS_LOG_FILE": str(self.var / "sms" / "outbox.log"),
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "PYTHONUNBUFFERED": "1",
            # Production settings, over plain HTTP on 127.0.0.1.
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "fault-tests-" + "k" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "DJANGO_LOG_FORMAT": "json",
            **env,
        }
        self.env.pop("EMAIL_URL", None)  # e-mail as files in var/mail
        self.started: list[tuple[str, subprocess.Popen, Path]] = []

    def manage(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run(  # noqa: S603 - our own interpreter
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr}")
        return done.stdout

    def python(self, module: str, *args: str, timeout: float = 300) -> str:
        done = subprocess.run(  # noqa: S603 - our own interpreter
            [sys.executable, "-m", module, *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode:
            raise RuntimeError(f"python -m {module} failed:\n{done.stderr}")
        return done.stdout

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log = self.folder / f"{name}.log"
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and args
            command,
            cwd=BASE_DIR,
            env=self.env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        note_pid(self.folder, process.pid)
        self.started.append((name, process, log))
        return process

    def gunicorn(self, workers: int = 2) -> str:
        port = free_port()
        process = self._spawn(
            "gunicorn",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config=config/gunicorn.conf.py",
                "config.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--timeout=30",
                "--graceful-timeout=5",
            ],
        )
        base = f"http://127.0.0.1:{port}"

        def answers():
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.logs()}")
            try:
                return requests.get(f"{base}/public/", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        wait_until(answers, timeout=60, what="gunicorn to serve")
        return base

    def celery(self, *args: str, name: str = "worker") -> subprocess.Popen:
        return self._spawn(
            name, [sys.executable, "-m", "celery", "-A", "config", *args, "-l", "info"]
        )

    def worker(self) -> subprocess.Popen:
        return self.celery(
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"faults-{os.getpid()}@%h",
        )

    def beat(self) -> subprocess.Popen:
        return self.celery(
            "beat", f"--schedule={self.folder / 'beat-schedule'}", name="beat"
        )

    def alive(self, name: str) -> bool:
        return any(n == name and p.poll() is None for n, p, _ in self.started)

    def log(self, name: str) -> str:
        """The whole log of the processes called ``name``."""
        return "".join(
            log.read_text(errors="replace")
            for n, _, log in self.started
            if n == name and log.exists()
        )

    def logs(self) -> str:
        parts = []
        for name, _, log in self.started:
            text = log.read_text(errors="replace") if log.exists() else ""
            parts.append(f"--- {name} (last 4000 characters)\n{text[-4000:]}")
        return "\n".join(parts)

    def close(self) -> None:
        for _, process, _ in reversed(self.started):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for _, process, _ in reversed(self.started):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def seed(processes: Processes) -> dict:
    """Run ``tests.ops.seed`` against the processes' database; its JSON summary."""
    out = processes.python("tests.ops.seed")
    return json.loads(out.strip().splitlines()[-1])
