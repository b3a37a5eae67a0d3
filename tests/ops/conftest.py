"""Fixtures of the fault tests (marker ``faults``): throwaway servers per test.

A migrated and seeded cluster is made once per run (``golden``: initdb, migrate,
``tests.ops.seed``) and stopped; each test gets a copy of its data folder (and of the
uploaded files) on ports of its own, so that a test may stop and restart its servers
freely. Skipped with the reason when the server programs are missing, failed instead
when ``REQUIRE_FAULTS=1`` (as ``.ci/run`` sets).
"""

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from .servers import PgCluster, Processes, RedisServer, missing_tools, scratch_folder

KEEP = os.environ.get("FAULTS_KEEP_FOLDERS") == "1"


@pytest.fixture(scope="session")
def fault_tools():
    reason = missing_tools()
    if reason:
        if os.environ.get("REQUIRE_FAULTS") == "1":
            pytest.fail(f"REQUIRE_FAULTS=1 but this machine lacks {reason}")
        pytest.skip(f"the fault tests need {reason}")


@dataclass
class Golden:
    cluster: PgCluster
    media: Path
    data: dict


@pytest.fixture(scope="session")
def golden(fault_tools):
    folder = scratch_folder("ds-faults-golden-")
    cluster = PgCluster(folder).init().start()
    processes = Processes(folder, cluster.url(), "")
    try:
        cluster.psql("CREATE DATABASE app")
        processes.manage("migrate", "--noinput")
        out = processes.python("tests.ops.seed")
        data = json.loads(out.strip().splitlines()[-1])
    finally:
        processes.close()
        cluster.stop()
    yield Golden(cluster, processes.var / "media", data)
    if not KEEP:
        shutil.rmtree(folder, ignore_errors=True)


class Stack:
    """One test's PostgreSQL (a copy of the golden cluster), Redis and app processes."""

    def __init__(self, golden: Golden, **env):
        self.folder = scratch_folder("ds-faults-")
        self.data = golden.data
        self.golden, self.env = golden, env
        self.pg = self.redis = self.app = None

    def start(self) -> "Stack":
        self.pg = self.golden.cluster.copy_to(self.folder).start()
        self.redis = RedisServer(self.folder).start()
        self.app = Processes(self.folder, self.pg.url(), self.redis.url, **self.env)
        shutil.copytree(self.golden.media, self.app.var / "media")
        return self

    def close(self) -> None:
        if self.app is not None:
            self.app.close()
        if self.redis is not None:
            self.redis.stop()
        if self.pg is not None:
            self.pg.stop()
        if not KEEP:
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def make_stack(golden):
    stacks = []

    def make(**env) -> Stack:
        stack = Stack(golden, **env)
        stacks.append(stack)
        return stack.start()

    yield make
    for stack in stacks:
        if stack.app is not None:
            print(stack.app.logs())  # shown when the test failed
        stack.close()
