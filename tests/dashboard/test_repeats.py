"""The dashboard's repeated topics (多年重复提出): the session's suggestions that
raise again a topic of an earlier session of the body, with the earlier ones and the
units involved; scoped as the other tabs are (a county's staff never see the
prefecture's).

Wiring, scope and queries; which texts are alike is the intake engine's
(tests/suggestions/intake).
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from suggestions.intake import index

from ..factories import (
    CongressBodyFactory,
    CongressFactory,
    DeputyFactory,
    HandlingUnitFactory,
    LeaderFactory,
    SessionFactory,
    StaffFactory,
    SuggestionFactory,
    UnitMemberFactory,
    deputy_user,
)

pytestmark = pytest.mark.django_db

PAGE = reverse("dashboard:repeats")

# A topic raised in 2022 and again, reworded, in 2023; and topics raised once.
TOPIC_2022 = (
    "关于加快老旧小区改造的建议",
    "我市老旧小区管网老化，建议分批推进老旧小区改造，加装电梯，改造供热管网。",
)
TOPIC_2023 = (
    "关于加快推进老旧小区改造工作的建议",
    "建议加大财政投入，分批推进老旧小区改造，加装电梯，改造供热管网和排水设施。",
)
ONCE = [
    ("关于增开城乡公交线路的建议", "建议增开连接乡镇与城区的公交线路，方便群众出行。"),
    ("关于加强乡村教师队伍建设的建议", "建议提高乡村教师待遇，补充紧缺学科教师。"),
    ("关于保障农村饮水安全的建议", "建议改造农村供水工程，保障农村饮水安全。"),
    ("关于提升村卫生室服务能力的建议", "建议配齐村卫生室设备，加强村医培训。"),
    ("关于加强未成年人司法保护的建议", "建议加强未成年人司法保护和法治教育。"),
    ("关于支持设施农业发展的建议", "建议扶持设施农业，建设温室大棚和冷链仓储。"),
]


def _body(body, *, unit_names=("住建局", "城管局", "交通局")):
    """A congress of ``body`` with a 2022 and a current 2023 session, three units,
    the 2022 topic handled by the first unit, its 2023 repeat by the second, and a
    suggestion on each other topic in 2022 only (the third unit)."""
    congress = CongressFactory(body=body)
    earlier = SessionFactory(congress=congress, ordinal=1, year=2022)
    current = SessionFactory(congress=congress, ordinal=2, year=2023, is_current=True)
    units = [
        HandlingUnitFactory(body=body, name=f"{body.region}{n}") for n in unit_names
    ]
    before = SuggestionFactory(
        session=earlier,
        title=TOPIC_2022[0],
        body=TOPIC_2022[1],
        lead_unit=units[0],
        closed=True,
    )
    for title, text in ONCE:
        SuggestionFactory(
            session=earlier, title=title, body=text, lead_unit=units[2], closed=True
        )
    again = SuggestionFactory(
        session=current,
        title=TOPIC_2023[0],
        body=TOPIC_2023[1],
        lead_unit=units[1],
        assigned=True,
    )
    return {
        "earlier": earlier,
        "current": current,
        "units": units,
        "before": before,
        "again": again,
    }


@pytest.fixture
def land(db):
    """The prefecture (the factories' shared body) and a county below it, each with
    a planted repeat."""
    prefecture = CongressBodyFactory()
    county = CongressBodyFactory(region="昌吉市", level="county", parent=prefecture)
    return {
        "prefecture": prefecture,
        "county": county,
        "p": _body(prefecture),
        "c": _body(county, unit_names=("市住建局", "市城管局", "市交通局")),
        "prefecture_staff": StaffFactory(body=prefecture),
        "county_staff": StaffFactory(body=county),
    }


def _client(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def _rows(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-suggestion="(\d+)"', response.text)]


def test_a_planted_repeat_is_counted_with_its_units(land):
    """The 2023 suggestion rewording a 2022 topic is counted, its earlier one is
    named by session and number, and both lead units by name."""
    p = land["p"]
    response = _client(land["prefecture_staff"]).get(PAGE)
    assert response.status_code == 200
    repeats = response.context["repeats"]
    assert repeats.session == p["current"]
    assert repeats.count == 1
    assert _rows(response) == [p["again"].pk]
    row = repeats.rows[0]
    assert p["before"] in row.earlier
    assert {u.pk for u in row.units} >= {p["units"][0].pk, p["units"][1].pk}
    html = response.text
    assert 'data-testid="repeats-count">1<' in html
    assert f"{p['earlier'].short_label} No. {p['before'].number}" in html
    for unit in p["units"][:2]:
        assert unit.name in html
    # The user's own body: the titles open the suggestions.
    assert p["again"].get_absolute_url() in html
    assert p["before"].get_absolute_url() in html


def test_an_earlier_session_repeats_nothing(land):
    """The first session has no earlier one: nothing is counted."""
    response = _client(land["prefecture_staff"]).get(
        PAGE, {"session": land["p"]["earlier"].pk}
    )
    assert response.status_code == 200
    assert response.context["repeats"].count == 0
    assert 'data-testid="no-repeats"' in response.text


def test_county_staff_see_their_own_repeats_only(land):
    """A county's staff see the county's repeat, nothing of the prefecture's, and
    the prefecture's body or session is a 404."""
    c, p = land["c"], land["p"]
    client = _client(land["county_staff"])
    response = client.get(PAGE)
    assert response.status_code == 200
    assert _rows(response) == [c["again"].pk]
    html = response.text
    assert p["units"][0].name not in html
    for params in (
        {"body": land["prefecture"].pk},
        {"session": p["current"].pk},
        {"session": p["earlier"].pk},
        {"body": land["county"].pk, "session": p["current"].pk},
    ):
        assert client.get(PAGE, params).status_code == 404, params


def test_the_prefecture_reads_a_county_read_only(land):
    """The prefecture's staff read a county's repeats read-only: the figures and
    units, without links to the county's suggestions."""
    c = land["c"]
    response = _client(land["prefecture_staff"]).get(PAGE, {"body": land["county"].pk})
    assert response.status_code == 200
    assert response.context["scope"].read_only
    assert _rows(response) == [c["again"].pk]
    assert c["units"][1].name in response.text
    assert c["again"].get_absolute_url() not in response.text


def test_a_leader_reads_the_page(land):
    """A supervising leader of the body reads it too."""
    response = _client(LeaderFactory(body=land["prefecture"])).get(PAGE)
    assert response.status_code == 200
    assert response.context["repeats"].count == 1


@pytest.mark.parametrize("who", ["deputy", "clerk"])
def test_other_roles_are_refused(land, who):
    """A deputy or a unit's clerk gets 403, as on the other tabs; the anonymous
    are sent to log in."""
    user = deputy_user() if who == "deputy" else UnitMemberFactory()
    assert _client(user).get(PAGE).status_code == 403
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("params", [{"session": "x"}, {"session": "9" * 30}])
def test_bad_parameters_are_a_400(land, params):
    """A session that is not a number answers the form's error, never a 500."""
    response = _client(land["prefecture_staff"]).get(PAGE, params)
    assert response.status_code in (400, 404)


def test_the_tab_is_on_every_dashboard_page(land):
    """The overview links to the page, keeping the session."""
    response = _client(land["prefecture_staff"]).get(reverse("dashboard:index"))
    assert 'data-testid="repeats-tab"' in response.text


def _more_repeats(land, n: int) -> None:
    """``n`` more 2023 suggestions repeating the 2022 topic, each by a deputy of
    its own, with a unit of its own."""
    p = land["p"]
    body = land["prefecture"]
    for i in range(n):
        SuggestionFactory(
            session=p["current"],
            title=TOPIC_2023[0],
            body=TOPIC_2023[1],
            lead_unit=HandlingUnitFactory(body=body, name=f"单位{n}-{i}"),
            lead_deputy=DeputyFactory(delegation__congress=p["current"].congress),
            assigned=True,
        )


# The page's queries, whatever the number of repeats: the sign-in (session, user,
# roles), the bodies the user may open (two levels below, then the bodies), the
# current session and the session picker's; the engine's (its index row, what
# changed since its build, the earlier sessions, the session's counted texts, the
# suggestions it names with their sessions and units); the counted total; and the
# page's frame (the deputy record, the unread notifications).
QUERIES = 16


def test_the_pages_queries_do_not_grow_with_the_repeats(
    land, django_assert_num_queries
):
    """The page reads as many queries for 2 repeats as for 20, ``QUERIES``, once
    the engine holds the body's vectors (its nightly build)."""
    client = _client(land["prefecture_staff"])
    body = land["prefecture"].pk
    _more_repeats(land, 1)
    index.build(body)
    client.get(PAGE)  # the process loads the vectors once
    with django_assert_num_queries(QUERIES):
        assert client.get(PAGE).context["repeats"].count == 2
    _more_repeats(land, 18)
    index.build(body)
    client.get(PAGE)
    with django_assert_num_queries(QUERIES):
        assert client.get(PAGE).context["repeats"].count == 20
