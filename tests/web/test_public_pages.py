"""The public's pages per congress body (issue 15): the platform's home listing every
body, each body's published replies under its own address, and the detail page
under it; the address a published suggestion had before still leads there.

Fetched in English, so that the assertions read the source strings.
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from congress.models import CongressBody, CongressLevel
from suggestions.models import PublishedCount

from ..factories import (
    CongressBodyFactory,
    CongressFactory,
    SessionFactory,
    SuggestionFactory,
)

pytestmark = pytest.mark.django_db

HOME = reverse("suggestions:public-home")


def client() -> Client:
    return Client(headers={"accept-language": "en"})


def body_url(body) -> str:
    return reverse("suggestions:public-list", args=[body.pk])


def session_of(body, *, ordinal: int = 1, year: int = 2026, **kw):
    return SessionFactory(
        congress=CongressFactory(body=body),
        ordinal=ordinal,
        year=year,
        opened_on=dt.date(year, 1, 10),
        **kw,
    )


def published_in(session, n: int = 1, **kw):
    return SuggestionFactory.create_batch(
        n, session=session, closed=True, is_public=True, **kw
    )


@pytest.fixture
def bodies():
    """A prefecture's body with two counties' below it, and a second prefecture's
    body listed before its parent (by id) to show the grouping is by parent."""
    prefecture = CongressBodyFactory()
    county = CongressBodyFactory(
        region="木垒哈萨克自治县", level=CongressLevel.COUNTY, parent=prefecture
    )
    city = CongressBodyFactory(
        region="昌吉市", level=CongressLevel.COUNTY, parent=prefecture
    )
    other = CongressBodyFactory(region="伊犁哈萨克自治州")
    return {"prefecture": prefecture, "county": county, "city": city, "other": other}


@pytest.fixture
def replies(bodies):
    """Published replies: three in the prefecture's two sessions, one in a county;
    and suggestions the public must not see."""
    old = session_of(bodies["prefecture"], ordinal=1, year=2025)
    latest = session_of(bodies["prefecture"], ordinal=2, year=2026, is_current=True)
    county = session_of(bodies["county"], year=2026, is_current=True)
    return {
        "old": old,
        "latest": latest,
        "county_session": county,
        "prefecture": published_in(old, 2) + published_in(latest, 1),
        "county": published_in(county, 1),
        "hidden": [
            SuggestionFactory(session=latest, closed=True, is_public=False),
            SuggestionFactory(session=county, submitted=True, is_public=True),
        ],
    }


# --- the home page ------------------------------------------------------------------


def test_home_lists_every_body_grouped_under_its_parent(bodies, replies):
    """Each prefecture's body heads a group with its counties' below it; a body
    without published replies is listed too, with 0."""
    response = client().get(HOME)
    assert response.status_code == 200
    groups = [
        [(entry.body, entry.depth, entry.published) for entry in group]
        for group in response.context["groups"]
    ]
    assert groups == [
        [
            (bodies["prefecture"], 0, 3),
            (bodies["county"], 1, 1),
            (bodies["city"], 1, 0),
        ],
        [(bodies["other"], 0, 0)],
    ]
    assert response.context["published"] == 4


def test_home_shows_each_bodys_name_region_count_latest_session_and_link(
    bodies, replies
):
    """A row says which body, where, how many published replies and the session
    opened last, and links to the body's page."""
    content = client().get(HOME).content.decode()
    for body in bodies.values():
        assert f'href="{body_url(body)}"' in content
        assert body.name in content
    assert replies["latest"].short_name in content
    assert replies["old"].short_name not in content
    assert 'data-testid="body-published">3<' in content


def test_home_with_one_body_lists_it():
    """With one body the home page is the same list, of one row."""
    body = CongressBodyFactory()
    published_in(session_of(body))
    response = client().get(HOME)
    assert [[e.body for e in g] for g in response.context["groups"]] == [[body]]
    assert f'href="{body_url(body)}"' in response.content.decode()


def test_home_counts_from_the_kept_counts():
    """The counts are the per-session ones the triggers keep: the home page never
    counts the suggestions."""
    session = session_of(CongressBodyFactory())
    published_in(session, 2)
    PublishedCount.objects.filter(session=session).update(n=41)
    assert client().get(HOME).context["published"] == 41


def _home_queries(django_assert_num_queries, n_bodies: int) -> None:
    for i in range(n_bodies):
        body = CongressBodyFactory(region=f"第{i}县", level=CongressLevel.COUNTY)
        published_in(session_of(body))
    # The bodies with their counts and latest sessions' ids; those sessions.
    with django_assert_num_queries(2):
        response = client().get(HOME)
    listed = sum(len(g) for g in response.context["groups"])
    # (The factories' units belong to the default body, listed as well.)
    assert listed == CongressBody.objects.count() >= n_bodies


@pytest.mark.parametrize("n_bodies", [2, 8])
def test_home_query_count_does_not_grow_with_bodies(
    django_assert_num_queries, n_bodies
):
    """Two queries for the home page, with 2 bodies as with 8."""
    _home_queries(django_assert_num_queries, n_bodies)


def test_the_start_page_sends_the_public_to_the_home():
    """The site's root sends an anonymous visitor to the public's home page."""
    response = client().get("/")
    assert response.status_code == 302
    assert response["Location"] == HOME


# --- a body's page ------------------------------------------------------------------


def test_body_page_lists_only_its_bodys_published_replies(bodies, replies):
    """The county's page lists the county's published reply, nothing of the
    prefecture's or unpublished; its name is in the title and the breadcrumb."""
    response = client().get(body_url(bodies["county"]), {"session": ""})
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == replies["county"]
    assert response.context["page_obj"].paginator.count == 1
    content = response.content.decode()
    assert f"{bodies['county'].name}: published replies" in content
    assert f'<li class="breadcrumb-item"><a href="{HOME}">' in content
    prefecture = client().get(body_url(bodies["prefecture"]), {"session": ""})
    assert set(prefecture.context["page_obj"]) == set(replies["prefecture"])
    assert prefecture.context["page_obj"].paginator.count == 3


def test_body_page_opens_on_its_own_current_session(bodies, replies):
    """Opened without filters, a body's page shows its own current session, not
    another body's."""
    response = client().get(body_url(bodies["prefecture"]))
    assert response.context["chosen_session"] == replies["latest"]
    assert list(response.context["page_obj"]) == replies["prefecture"][2:]
    county = client().get(body_url(bodies["county"]))
    assert county.context["chosen_session"] == replies["county_session"]


def test_body_page_offers_only_its_bodys_sessions_and_units(bodies, replies):
    """The session and unit choices are the body's; another body's session is
    refused, not used to show that body's replies."""
    response = client().get(body_url(bodies["prefecture"]))
    form = response.context["filter"].form
    assert set(form.fields["session"].queryset) == {replies["old"], replies["latest"]}
    units = set(form.fields["unit"].queryset)
    assert units
    assert all(unit.body_id == bodies["prefecture"].pk for unit in units)
    other = client().get(
        body_url(bodies["prefecture"]), {"session": replies["county_session"].pk}
    )
    assert "session" in other.context["filter_errors"]
    assert replies["county"][0] not in list(other.context["page_obj"])


def test_body_page_of_an_unknown_body_is_404(bodies):
    missing = max(b.pk for b in bodies.values()) + 1
    url = reverse("suggestions:public-list", args=[missing])
    assert client().get(url).status_code == 404


def _body_page_queries(django_assert_num_queries, body, session, n: int) -> None:
    published_in(session, n)
    # The body, its current session, that session checked by the form, the count
    # (the kept one), the session, category and unit choices, the page's rows.
    with django_assert_num_queries(8):
        response = client().get(body_url(body))
    assert len(response.context["page_obj"]) == n


@pytest.mark.parametrize("n_rows", [2, 20])
def test_body_page_query_count_does_not_grow_with_rows(
    django_assert_num_queries, n_rows
):
    """The same queries for 2 rows as for 20: deputies, units and categories come
    with the rows."""
    body = CongressBodyFactory()
    session = session_of(body, is_current=True)
    _body_page_queries(django_assert_num_queries, body, session, n_rows)


# --- the detail page and its old address ------------------------------------------


def test_detail_answers_under_its_own_body_only(bodies, replies):
    """A published suggestion is read under its body's address; under another
    body's it is not found."""
    suggestion = replies["county"][0]
    own = reverse(
        "suggestions:public-detail", args=[bodies["county"].pk, suggestion.pk]
    )
    assert suggestion.get_public_url() == own
    response = client().get(own)
    assert response.status_code == 200
    assert f'href="{body_url(bodies["county"])}"' in response.content.decode()
    for other in ("prefecture", "other"):
        url = reverse(
            "suggestions:public-detail", args=[bodies[other].pk, suggestion.pk]
        )
        assert client().get(url).status_code == 404


def test_detail_of_an_unpublished_suggestion_is_404(bodies, replies):
    hidden = replies["hidden"][0]
    assert client().get(hidden.get_public_url()).status_code == 404


def test_the_old_address_redirects_permanently_to_the_bodys(bodies, replies):
    """/public/<pk>/ (printed and shared before) is a permanent redirect to the
    body's address; an unpublished one is not found there either."""
    suggestion = replies["county"][0]
    response = client().get(f"/public/{suggestion.pk}/")
    assert response.status_code == 301
    assert response["Location"] == suggestion.get_public_url()
    assert client().get(f"/public/{replies['hidden'][0].pk}/").status_code == 404


def test_the_list_links_to_the_bodys_detail_address(bodies, replies):
    """The rows of a body's page link to the detail under that body."""
    suggestion = replies["county"][0]
    content = client().get(body_url(bodies["county"])).content.decode()
    assert f'href="{suggestion.get_public_url()}"' in content
