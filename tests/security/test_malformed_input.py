"""Nothing a client sends is a server error: JSON nested a thousand deep, ids beyond
64 bits, huge and negative numbers, very long strings, NUL and lone surrogates, sent
to every HTML form of the site (as the role that may use it) and to every operation
of the API, answer 4xx (or the form again with its errors), never 5xx."""

import re
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

from suggestions import services
from tests.api.contract import ContractClient

from ..factories import Journey

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
EXTREMES = [
    HUGE,
    str(2**63),
    str(-(2**63) - 1),
    "-1",
    "0",
    "1e400",
    "x" * 20_000,
    "a\x00b",
    "\ud800",
    "[" * 1000,
]


DEEP_JSON = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000


def _form_body(pairs) -> bytes:
    """An urlencoded body; a lone surrogate goes as the bytes it would be."""
    return urlencode(
        [(k, v.encode("utf-8", "surrogatepass")) for k, v in pairs]
    ).encode()


@pytest.fixture
def world(now):
    """Suggestions in the states the forms act on, and whose id fills each route."""
    drafted = Journey()
    drafted.create()
    submitted = Journey()
    submitted.create()
    submitted.submit()
    registered = Journey(session=submitted.session)
    registered.create()
    registered.submit()
    registered.register()
    assigned = Journey(session=submitted.session)
    assigned.create()
    assigned.submit()
    assigned.register()
    assigned.assign()
    request = services.assignment_request_reassignment(
        assignment_id=assigned.lead_assignment().pk,
        actor=assigned.clerk,
        reason="不属于本单位职责。",
    )
    acknowledged = Journey(session=submitted.session)
    acknowledged.create()
    acknowledged.submit()
    acknowledged.register()
    acknowledged.assign()
    acknowledged.acknowledge()
    return {
        "journeys": [drafted, submitted, registered, assigned, acknowledged],
        "request": request,
    }


def _patterns(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _site_routes():
    """The routes of the pages with forms: suggestions, dashboard, accounts."""
    skip = ("api/", "admin/", "i18n/", "audit/", "notifications/", "healthz")
    routes = [
        r.lstrip("^").rstrip("$")
        for r in _patterns(get_resolver())
        if not r.startswith(skip)
    ]
    return sorted(set(routes))


def _fill(route: str, journey, request) -> str:
    if "<int:pk>" not in route:
        return "/" + route
    if route.startswith("requests/"):
        pk = request.pk
    elif route.startswith("assignments/"):
        pk = (
            journey.lead_assignment().pk
            if journey.suggestion.assignments.exists()
            else 1
        )
    elif route.startswith("replies/"):
        pk = 1
    else:
        pk = journey.suggestion.pk
    return "/" + route.replace("<int:pk>", str(pk))


FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', re.I)


def _fields(html: str) -> list[str]:
    skip = {"csrfmiddlewaretoken", "language", "next"}
    return sorted({n for n in FIELD.findall(html) if n not in skip})


def test_every_html_form_survives_extreme_values(world, client):
    """Each route is opened by the deputy, the staff and the unit clerk of each
    journey; wherever a form is shown, it is posted every extreme value in every field
    at once (and in each multi-select twice)."""
    posted = 0
    for route in _site_routes():
        if route.startswith("accounts/logout"):
            continue
        for journey in world["journeys"]:
            url = _fill(route, journey, world["request"])
            for user in (
                journey.deputy,
                journey.cosigner,
                journey.staff,
                journey.clerk,
            ):
                client.force_login(user)
                page = client.get(url)
                assert page.status_code < 500, (url, page.status_code)
                if page.status_code != 200:
                    continue
                html = page["Content-Type"].startswith("text/html")
                fields = _fields(page.content.decode()) if html else []
                has_form = html and b'method="post"' in page.content
                for value in EXTREMES:
                    # The query string of a list page (its filters) and of the rest.
                    query = _form_body(
                        [(f, value) for f in fields] + [("page", value), ("q", value)]
                    )
                    response = client.get(f"{url}?{query.decode()}")
                    assert response.status_code < 500, (url, value[:30])
                    if not has_form:
                        continue
                    pairs = [(f, value) for f in fields for _ in (0, 1)]
                    response = client.post(
                        url,
                        _form_body(pairs),
                        content_type="application/x-www-form-urlencoded",
                    )
                    posted += 1
                    assert response.status_code < 500, (url, fields, value[:30])
            if "<int:pk>" not in route:
                break
    assert posted > 50


@pytest.mark.parametrize(
    "url, field",
    [
        ("suggestions/new/", "co_signers"),
        ("suggestions/new/", "session"),
        ("suggestions/<int:pk>/assign/", "co_units"),
        ("suggestions/<int:pk>/assign/", "lead_unit"),
        ("dashboard/", "session"),
    ],
)
def test_an_id_beyond_64_bits_is_a_form_error(world, client, url, field):
    journey = world["journeys"][2]  # registered: the staff may assign it
    url = _fill(url, journey, world["request"])
    client.force_login(journey.deputy if "new" in url else journey.staff)
    if url.startswith("/dashboard"):
        response = client.get(url, {field: HUGE})
    else:
        response = client.post(url, {field: [HUGE, "1"]})
    assert response.status_code in (200, 400)


def _api_operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            body = (
                operation.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema", {})
            )
            if "$ref" in body:
                name = body["$ref"].rsplit("/", 1)[1]
                body = schema["components"]["schemas"][name]
            properties = list(body.get("properties", {}))
            query = [
                p["name"] for p in operation.get("parameters", []) if p["in"] == "query"
            ]
            yield path, method, properties, query


def test_every_api_operation_survives_extreme_values(world):
    journey = world["journeys"][3]
    for user in (journey.staff, journey.deputy, journey.clerk, None):
        client = ContractClient(headers={"accept-language": "en"})
        if user is not None:
            client.force_authenticate(user)
        for path, method, properties, query in _api_operations():
            for pk in (str(journey.suggestion.pk), HUGE):
                url = re.sub(r"\{[^}]+\}", pk, path)
                call = getattr(client, method)
                if method in ("post", "put", "patch"):
                    for raw in (DEEP_JSON, DEEP_OBJECT):
                        response = call(url, raw, content_type="application/json")
                        assert response.status_code < 500, (method, url, "deep")
                    for value in (HUGE, 2**63, -(2**63) - 1, 10**400, "\x00", [[[]]]):
                        payload = dict.fromkeys(properties, value) or {"x": value}
                        response = call(url, payload, format="json")
                        assert response.status_code < 500, (method, url, value)
                else:
                    response = call(url, dict.fromkeys(query, HUGE))
                    assert response.status_code < 500, (method, url)
                    response = call(url, dict.fromkeys(query, "-1"))
                    assert response.status_code < 500, (method, url)


def test_deep_json_to_the_token_endpoint_is_a_400():
    """Anonymous deep JSON is refused with a reason, in the client's language."""
    response = ContractClient(headers={"accept-language": "en"}).post(
        "/api/v1/auth/token/", DEEP_JSON, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]
    chinese = ContractClient().post(
        "/api/v1/auth/token/", DEEP_JSON, content_type="application/json"
    )
    assert chinese.status_code == 400
    assert "嵌套层级过深" in chinese.json()["detail"]


def test_deep_json_to_an_endpoint_is_a_400(world):
    journey = world["journeys"][0]
    client = ContractClient()
    client.force_authenticate(journey.deputy)
    response = client.post(
        "/api/v1/suggestions/", DEEP_OBJECT, content_type="application/json"
    )
    assert response.status_code == 400
