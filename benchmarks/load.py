"""A bounded load test: simulated users of every role doing their daily work.

    python benchmarks/load.py --base http://127.0.0.1:8000 [--users 50] [--duration 60]

Runs against a server with the demo data (``make load`` sets one up: PostgreSQL,
gunicorn, a Celery worker) and only ever against 127.0.0.1 or localhost; stops by
itself after ``--duration`` seconds. Each simulated user is a thread with a
``requests`` session: it signs in once before the clock starts (sign-in hashes the
password and is not part of the daily work measured), then repeats its role's
actions, chosen at random with the weights below, with a think time drawn uniformly
from ``--think`` (default 2–8 s, 5 s on average) between two actions: a busy clerk
clicking through a work list; a person reading a suggestion takes longer. An action
may load two pages (a list, then an item it links to) without a pause between them.

Roles (of 50 users): 18 deputies (workbench, own suggestions, a detail page, the
inbox; draft and submit a suggestion; rate a reply), 10 unit clerks (the unit's
assignments and one of them; acknowledge; reply), 6 staff (review queue, lists,
detail pages, the adjustment requests; register and assign a submitted suggestion),
4 leaders (dashboard, key suggestions, overdue list, a key suggestion), 12 anonymous
readers (the published replies and one of them). Pages are read as HTML with the
session; the writes go through the API with the user's token (the same services).
Users sharing an account split the work items by id so that two never race for the
same one (a 409 would count as an error).

Prints requests per second and, per page, the count, p50/p95/p99/max in ms and the
errors (any status >= 400 or no answer). ``--json FILE`` writes the same figures.
Exit status 1 when there was an error.
"""

import argparse
import json
import random
import re
import sys
import threading
import time
from collections import defaultdict
from urllib.parse import urlsplit

import requests

PASSWORD = "demo2023"  # noqa: S105 - the demo accounts' published password
TIMEOUT = 30
# (role, demo accounts taking turns, how many of the users, whether the accounts
# see the same work items: then the role's users split them, else each account's)
MIX = [
    ("deputy", ["deputy", "deputy2"], 18, False),
    ("unit", ["unit", "unit2"], 10, False),
    ("staff", ["staff", "admin"], 6, True),
    ("leader", ["leader"], 4, False),
    ("public", [None], 12, False),
]


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.recording = False

    def add(self, page: str, seconds: float, error: str | None) -> None:
        if not self.recording:
            return
        with self.lock:
            self.times[page].append(seconds)
            if error:
                self.errors[page].append(error)


class User:
    """One simulated person: a session (pages) and, for writes, an API token."""

    def __init__(self, base, role, username, index, peers, recorder, shared):
        self.base, self.role, self.username = base, role, username
        self.index, self.peers = index, peers  # this user's share of the account's work
        self.recorder, self.shared = recorder, shared
        self.http = requests.Session()
        self.api = requests.Session()
        self.rng = random.Random(f"{role}-{index}-{username}")  # noqa: S311 - not crypto

    # --- requests ---------------------------------------------------------------------

    def request(self, page: str, method: str, path: str, session=None, **kwargs):
        session = session or self.http
        started = time.perf_counter()
        error = None
        try:
            response = session.request(
                method, self.base + path, timeout=TIMEOUT, **kwargs
            )
            if response.status_code >= 400:
                error = f"{response.status_code} {method} {path} {response.text[:200]}"
        except requests.RequestException as exc:
            response, error = None, f"{type(exc).__name__} {method} {path}"
        self.recorder.add(page, time.perf_counter() - started, error)
        return response

    def get(self, page: str, path: str):
        return self.request(page, "GET", path)

    def api_get(self, page: str, path: str) -> list[dict]:
        response = self.request(page, "GET", path, session=self.api)
        if response is None or response.status_code != 200:
            return []
        return response.json().get("results", [])

    def api_post(self, page: str, path: str, body: dict | None = None):
        return self.request(page, "POST", path, session=self.api, json=body or {})

    def mine(self, items: list[dict]) -> list[dict]:
        """The items this user takes among the users sharing its account."""
        return [i for i in items if i["id"] % self.peers == self.index % self.peers]

    # --- setup ------------------------------------------------------------------------

    def sign_in(self) -> None:
        if self.username is None:
            return
        page = self.http.get(f"{self.base}/accounts/login/", timeout=TIMEOUT)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        answer = self.http.post(
            f"{self.base}/accounts/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token[1],
            },
            headers={"Referer": f"{self.base}/accounts/login/"},
            timeout=TIMEOUT,
        )
        if "/accounts/login/" in answer.url:
            raise SystemExit(f"could not sign in as {self.username}")
        key = self.api.post(
            f"{self.base}/api/v1/auth/token/",
            json={"username": self.username, "password": PASSWORD},
            timeout=TIMEOUT,
        ).json()["token"]
        self.api.headers["Authorization"] = f"Token {key}"

    # --- the roles' work --------------------------------------------------------------

    def pick(self, ids: list[int]):
        return self.rng.choice(ids) if ids else None

    def deputy(self) -> None:
        def detail():
            self.list_then_detail(
                "my suggestions", "/suggestions/mine/", r"/suggestions/(\d+)/"
            )

        def draft():
            created = self.api_post(
                "API draft suggestion",
                "/api/v1/suggestions/",
                {
                    "session": self.shared["session"],
                    "title": f"关于改进社区养老服务的建议（负载测试 {self.rng.randrange(10**6)}）",
                    "body": "建议增加社区日间照料中心的服务时段，并完善助餐补贴。",
                    "category": self.shared["category"],
                },
            )
            if created is not None and created.status_code == 201:
                pk = created.json()["id"]
                self.api_post("API submit", f"/api/v1/suggestions/{pk}/submit/")

        def rate():
            items = self.mine(
                self.api_get(
                    "API suggestions (deputy)",
                    "/api/v1/suggestions/?status=replied&page_size=50",
                )
            )
            me = self.shared["me"].get(self.username)
            led = [i for i in items if (i.get("lead_deputy") or {}).get("id") == me]
            if led:
                pk = self.rng.choice(led)["id"]
                self.api_post(
                    "API evaluate",
                    f"/api/v1/suggestions/{pk}/evaluate/",
                    {"rating": "satisfied", "comment": "答复及时，问题已解决。"},
                )

        self.choose(
            [
                (3, lambda: self.get("workbench", "/workbench/")),
                (2, lambda: self.get("my suggestions", "/suggestions/mine/")),
                (3, detail),
                (2, lambda: self.get("inbox", "/notifications/")),
                (1, draft),
                (1, rate),
            ]
        )

    def unit(self) -> None:
        def detail():
            self.list_then_detail(
                "unit assignments",
                "/assignments/",
                r"/assignments/(\d+)/",
                "assignment detail",
            )

        def acknowledge():
            items = self.mine(
                self.api_get(
                    "API assignments",
                    "/api/v1/assignments/?active=true&acknowledged=false&page_size=50",
                )
            )
            if items:
                pk = self.rng.choice(items)["id"]
                self.api_post(
                    "API acknowledge", f"/api/v1/assignments/{pk}/acknowledge/"
                )

        def reply():
            items = self.mine(
                self.api_get(
                    "API assignments",
                    "/api/v1/assignments/?active=true&acknowledged=true&replied=false&role=lead&page_size=50",
                )
            )
            if items:
                pk = self.rng.choice(items)["id"]
                self.api_post(
                    "API reply",
                    f"/api/v1/assignments/{pk}/reply/",
                    {
                        "outcome": "resolved",
                        "body": "经研究，已列入今年工作计划并落实。",
                    },
                )

        self.choose(
            [
                (2, lambda: self.get("unit assignments", "/assignments/")),
                (4, detail),
                (1, lambda: self.get("workbench", "/workbench/")),
                (1, acknowledge),
                (1, reply),
            ]
        )

    def staff(self) -> None:
        def detail():
            self.list_then_detail(
                "suggestion list", "/suggestions/", r"/suggestions/(\d+)/"
            )

        def register_and_assign():
            items = self.mine(
                self.api_get(
                    "API suggestions (staff)",
                    "/api/v1/suggestions/?status=submitted&page_size=50",
                )
            )
            if not items:
                return
            pk = self.rng.choice(items)["id"]
            registered = self.api_post(
                "API register",
                f"/api/v1/suggestions/{pk}/register/",
                {"category": self.shared["category"]},
            )
            if registered is not None and registered.status_code == 200:
                self.api_post(
                    "API assign",
                    f"/api/v1/suggestions/{pk}/assign/",
                    {"lead_unit": self.shared["unit"]},
                )

        self.choose(
            [
                (3, lambda: self.get("review queue", "/suggestions/review/")),
                (1, lambda: self.get("suggestion list", "/suggestions/?page=2")),
                (4, detail),
                (1, lambda: self.get("adjustment requests", "/requests/")),
                (2, register_and_assign),
            ]
        )

    def leader(self) -> None:
        def key_detail():
            self.list_then_detail(
                "key suggestions", "/suggestions/key/", r"/suggestions/(\d+)/"
            )

        actions = [
            (1, lambda: self.get("key suggestions", "/suggestions/key/")),
            (2, lambda: self.get("overdue list", "/suggestions/overdue/")),
            (2, key_detail),
        ]
        if self.shared["dashboard"]:
            actions.append((3, lambda: self.get("dashboard", "/dashboard/")))
        self.choose(actions)

    def public(self) -> None:
        def detail():
            path = self.pick(self.shared["public_ids"])
            if path:
                self.get("public reply", path)

        body = self.shared["public_body"]
        self.choose(
            [
                (1, lambda: self.get("public home", "/public/")),
                (2, lambda: self.get("public list", body)),
                (1, lambda: self.get("public list", f"{body}?page=2")),
                (4, detail),
            ]
        )

    def list_then_detail(
        self, page: str, path: str, pattern: str, detail: str = "suggestion detail"
    ) -> None:
        """A list page, then one of the items it links to (as a person clicks)."""
        response = self.get(page, path)
        if response is None or response.status_code != 200:
            return
        ids = sorted({int(x) for x in re.findall(f'href="{pattern}"', response.text)})
        pk = self.pick(ids)
        if pk:
            self.get(detail, re.sub(r"\(.*\)", str(pk), pattern))

    def choose(self, actions) -> None:
        weights = [w for w, _ in actions]
        self.rng.choices([a for _, a in actions], weights=weights)[0]()

    def run(self, until: float, think: tuple[float, float]) -> None:
        work = getattr(self, self.role)
        # Users start spread over the first think time, as people do.
        time.sleep(self.rng.uniform(0, think[1]))
        while time.monotonic() < until:
            work()
            pause = self.rng.uniform(*think)
            time.sleep(max(0.0, min(pause, until - time.monotonic())))


def shared_facts(base: str) -> dict:
    """What every user needs: the current session, a category, the unit of the
    ``unit`` account, public reply ids, whether /dashboard/ exists."""
    staff = requests.Session()
    key = staff.post(
        f"{base}/api/v1/auth/token/",
        json={"username": "staff", "password": PASSWORD},
        timeout=TIMEOUT,
    ).json()["token"]
    staff.headers["Authorization"] = f"Token {key}"

    def results(path):
        answer = staff.get(base + path, timeout=TIMEOUT)
        answer.raise_for_status()
        return answer.json()["results"]

    sessions = results("/api/v1/sessions/?page_size=200")
    current = next((s for s in sessions if s.get("is_current")), sessions[-1])
    category = results("/api/v1/categories/")[0]["id"]
    me = {}
    unit = None
    for username in ("unit", "deputy", "deputy2"):
        client = requests.Session()
        token = client.post(
            f"{base}/api/v1/auth/token/",
            json={"username": username, "password": PASSWORD},
            timeout=TIMEOUT,
        ).json()["token"]
        client.headers["Authorization"] = f"Token {token}"
        info = client.get(f"{base}/api/v1/me/", timeout=TIMEOUT).json()
        if username == "unit":
            unit = (
                info["unit"]["id"] if isinstance(info["unit"], dict) else info["unit"]
            )
        else:
            deputy = info.get("deputy")
            me[username] = deputy["id"] if isinstance(deputy, dict) else deputy
    # The first body the public's home lists, and the replies on its first page.
    home = requests.get(f"{base}/public/", timeout=TIMEOUT).text
    bodies = re.findall(r'href="(/public/bodies/\d+/)"', home)
    public_body = bodies[0] if bodies else "/public/"
    public = requests.get(f"{base}{public_body}", timeout=TIMEOUT).text
    public_ids = sorted(set(re.findall(r'href="(/public/bodies/\d+/\d+/)"', public)))
    leader = requests.Session()
    # The dashboard page comes with another part of the project: used when present.
    dashboard = leader.get(f"{base}/dashboard/", timeout=TIMEOUT).status_code != 404
    return {
        "session": current["id"],
        "category": category,
        "unit": unit,
        "me": me,
        "public_ids": public_ids,
        "public_body": public_body,
        "dashboard": dashboard,
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def report(recorder: Recorder, elapsed: float, users: int) -> dict:
    rows = []
    for page in sorted(recorder.times):
        values = recorder.times[page]
        rows.append(
            {
                "page": page,
                "count": len(values),
                "p50_ms": round(percentile(values, 50) * 1000),
                "p95_ms": round(percentile(values, 95) * 1000),
                "p99_ms": round(percentile(values, 99) * 1000),
                "max_ms": round(max(values) * 1000),
                "errors": len(recorder.errors.get(page, [])),
            }
        )
    every = [t for v in recorder.times.values() for t in v]
    total = len(every)
    return {
        "users": users,
        "seconds": round(elapsed, 1),
        "requests": total,
        "requests_per_second": round(total / elapsed, 1) if elapsed else 0,
        "p50_ms": round(percentile(every, 50) * 1000) if every else None,
        "p95_ms": round(percentile(every, 95) * 1000) if every else None,
        "p99_ms": round(percentile(every, 99) * 1000) if every else None,
        "errors": sum(len(e) for e in recorder.errors.values()),
        "error_samples": [e for v in recorder.errors.values() for e in v][:20],
        "pages": rows,
    }


def print_report(figures: dict) -> None:
    print(
        f"\n{figures['users']} users, {figures['seconds']} s: {figures['requests']} "
        f"requests, {figures['requests_per_second']} per second, errors: "
        f"{figures['errors']}; all requests p50 {figures['p50_ms']} ms, p95 "
        f"{figures['p95_ms']} ms, p99 {figures['p99_ms']} ms\n"
    )
    print("| page | requests | p50 ms | p95 ms | p99 ms | max ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in figures["pages"]:
        print(
            f"| {r['page']} | {r['count']} | {r['p50_ms']} | {r['p95_ms']} | "
            f"{r['p99_ms']} | {r['max_ms']} | {r['errors']} |"
        )
    for sample in figures["error_samples"]:
        print(f"error: {sample}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--think", type=float, nargs=2, default=(2.0, 8.0))
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    base = args.base.rstrip("/")
    if urlsplit(base).hostname not in {"127.0.0.1", "localhost"}:
        parser.error("the load test only runs against 127.0.0.1 or localhost")

    shared = shared_facts(base)
    recorder = Recorder()
    total = sum(n for _, _, n, _ in MIX)
    users = []
    for role, accounts, n, shared_items in MIX:
        share = max(1, round(n * args.users / total))
        for i in range(share):
            username = accounts[i % len(accounts)]
            if shared_items:
                index, peers = i, share
            else:
                index, peers = i // len(accounts), -(-share // len(accounts))
            users.append(User(base, role, username, index, peers, recorder, shared))
    users = users[: args.users]
    print(f"signing in {len(users)} users …", file=sys.stderr)
    for user in users:
        user.sign_in()
    print(
        f"running {args.duration:.0f} s (dashboard page: "
        f"{'yes' if shared['dashboard'] else 'absent, skipped'}) …",
        file=sys.stderr,
    )
    recorder.recording = True
    started = time.monotonic()
    until = started + args.duration
    threads = [
        threading.Thread(target=u.run, args=(until, tuple(args.think)), daemon=True)
        for u in users
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.duration + TIMEOUT + 10)
    elapsed = time.monotonic() - started
    recorder.recording = False
    figures = report(recorder, elapsed, len(users))
    print_report(figures)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(figures, out, ensure_ascii=False, indent=2)
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
