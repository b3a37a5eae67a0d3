"""The suggestion list's text search (``q``), web and API, on both databases: exactly
the suggestions whose title or body contains the query, case-insensitively; on
PostgreSQL through the GIN index of characters and bigrams (issue 6)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from suggestions.models import Status, Suggestion
from suggestions.search import MAX_QUERY_LENGTH, clean_query, search_suggestions
from tests.api.contract import ContractClient

from ..factories import SessionFactory, StaffFactory, SuggestionFactory

pytestmark = pytest.mark.django_db

# (name, title, body)
TEXTS = [
    ("in_title", "关于加强乡村教育的建议", "建议加大投入。"),
    ("in_body", "关于乡村学校的建议", "乡村教育资源不足，建议加大投入。"),
    ("at_end", "关于学校的建议", "必须重视教育"),
    ("at_start", "教育公平", "建议加大投入。"),
    ("teach_only", "关于教师待遇的建议", "教师队伍不稳定。"),
    ("raise_only", "关于体育设施的建议", "建议新建体育馆。"),
    ("apart", "关于教学与育人的建议", "教书育人。"),
    ("reversed", "育教", "育教"),
    ("boundary", "关于加强乡村教", "育工作的建议"),
    ("latin", "关于5G网络覆盖的建议", "提升农村5G基站密度，改善Wi-Fi。"),
    ("quotes", "关于“it's”和\\的建议", "含有 a'b \\c & | ! : ( ) * 的正文"),
    ("emoji", "表情😀建议", "正文😀😀"),
]


@pytest.fixture
def texts():
    session = SessionFactory()
    return {
        name: SuggestionFactory(session=session, registered=True, title=t, body=b)
        for name, t, b in TEXTS
    }


def expected(texts, query: str) -> set[str]:
    """The reference answer: Python's case-insensitive substring test."""
    q = clean_query(query).casefold()
    return {
        name
        for name, s in texts.items()
        if not q or q in s.title.casefold() or q in s.body.casefold()
    }


def found(texts, query: str) -> set[str]:
    names = {s.pk: name for name, s in texts.items()}
    rows = search_suggestions(Suggestion.objects.all(), query)
    return {names[pk] for pk in rows.values_list("pk", flat=True)}


def test_a_two_character_word_finds_exactly_the_suggestions_containing_it(texts):
    assert found(texts, "教育") == {"in_title", "in_body", "at_end", "at_start"}


@pytest.mark.parametrize(
    ("query", "names"),
    [
        (
            "教",
            {
                "in_title",
                "in_body",
                "at_end",
                "at_start",
                "teach_only",
                "apart",
                "reversed",
                "boundary",
            },
        ),
        (
            "育",
            {
                "in_title",
                "in_body",
                "at_end",
                "at_start",
                "raise_only",
                "apart",
                "reversed",
                "boundary",
            },
        ),
        ("乡村教育", {"in_title", "in_body"}),
        ("重视教育", {"at_end"}),
        ("5g", {"latin"}),
        ("5G网络", {"latin"}),
        ("WI-FI", {"latin"}),
        ("  教育  ", {"in_title", "in_body", "at_end", "at_start"}),
        ("😀", {"emoji"}),
        ("😀😀", {"emoji"}),
        ("it's", {"quotes"}),
        ("\\", {"quotes"}),
        ("a'b \\c", {"quotes"}),
        ("没有这个词", set()),
    ],
)
def test_one_character_longer_words_latin_and_case(texts, query, names):
    assert found(texts, query) == names == expected(texts, query)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the exact test is PostgreSQL's"
)
@pytest.mark.parametrize(
    "query", ["乡村教育", "教", "5g", "5G网络", "WI-FI", "😀😀", "it's", "a'b \\c"]
)
def test_the_exact_test_alone_folds_case_only_where_it_can_matter(texts, query):
    """The walks of a frequent search (its count and its pages) test rows with
    ``exact`` alone: a case-free text skips ``lower()`` and still finds exactly."""
    from suggestions.search import case_free, text_search

    search = text_search(query, using="default")
    names = {s.pk: name for name, s in texts.items()}
    rows = Suggestion.objects.filter(search.exact).values_list("pk", flat=True)
    assert {names[pk] for pk in rows} == expected(texts, query)
    sql = str(Suggestion.objects.filter(search.exact).query)
    assert ("lower(" in sql) is not case_free(query)
    assert case_free("乡村教育😀，5") and not case_free("5G网络")


HOSTILE = [
    "'",
    "''",
    "\\",
    "\\'",
    "a & b",
    "!",
    "教育 | 体育",
    "教育:*",
    "(教育)",
    "&|!:()*",
    "' OR 1=1 --",
    "'; DROP TABLE suggestions_suggestion; --",
    "%",
    "_",
    "教育\x00",
    "\t\n",
    "<->",
    "a:A",
    "😀" * 10,
    "教" * 300,
    "x" * MAX_QUERY_LENGTH,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_any_input_is_searched_literally(texts, query):
    assert found(texts, query) == expected(texts, query)


@pytest.mark.parametrize("query", ["教育", "'", "&|!:()*", "😀", "教" * 300])
def test_the_web_list_and_the_api_answer_any_search(texts, query):
    staff = StaffFactory()
    web = Client(headers={"accept-language": "en"})
    web.force_login(staff)
    response = web.get("/suggestions/", {"q": query})
    assert response.status_code == 200
    web_pks = {s.pk for s in response.context["page_obj"]}
    api = ContractClient()
    api.force_authenticate(staff)
    response = api.get("/api/v1/suggestions/", {"q": query})
    assert response.status_code == 200
    api_pks = {row["id"] for row in response.json()["results"]}
    want = {texts[name].pk for name in expected(texts, query)}
    assert web_pks == api_pks == want


def test_a_searched_list_costs_no_more_queries_than_an_unsearched_one(texts):
    staff = StaffFactory()
    client = Client()
    client.force_login(staff)
    # Both ask for every session, so neither looks up the current one.
    client.get("/suggestions/", {"session": ""})
    with CaptureQueriesContext(connection) as plain:
        assert client.get("/suggestions/", {"session": ""}).status_code == 200
    with CaptureQueriesContext(connection) as searched:
        response = client.get("/suggestions/", {"session": "", "q": "教育"})
    assert len(response.context["page_obj"]) == 4
    assert len(searched) == len(plain)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the index is PostgreSQL's"
)
def test_postgresql_answers_the_search_from_the_gram_index(texts):
    """The filter's SQL matches the index expression: with sequential scans priced
    out, the plan reads ``sugg_text_gram_idx``."""
    sql, params = search_suggestions(
        Suggestion.objects.all(), "教育"
    ).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "sugg_text_gram_idx" in plan, plan


# --- Many matches: counted up to SEARCH_COUNT_LIMIT (PostgreSQL) --------------------

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite counts every match"
)


@pytest.fixture
def many():
    """Nine suggestions about 教育局 (newest first by creation), two without it."""
    session = SessionFactory()
    made = [
        SuggestionFactory(
            session=session,
            registered=True,
            title=f"关于第{i}号教育局事项的建议" if i != 4 else "关于道路的建议",
            body="正文" if i != 4 else "没有",
        )
        for i in range(10)
    ]
    made.append(SuggestionFactory(session=session, registered=True, title="无关"))
    newest_first = sorted(
        (s for s in made if "教育" in s.title), key=lambda s: (s.created_at, s.pk)
    )[::-1]
    assert len(newest_first) == 9
    return newest_first


def api_pages(client, query, page_size):
    pages, url = [], "/api/v1/suggestions/"
    params = {"q": query, "page_size": page_size}
    while url:
        body = client.get(url, params).json()
        pages.append(body)
        url, params = body["next"], None
    return pages


@on_postgresql
@pytest.mark.parametrize("query", ["教育", "教", "教育局"])
def test_a_search_with_more_matches_than_the_limit_lists_the_newest(
    many, settings, query
):
    settings.SEARCH_COUNT_LIMIT = 4
    api = ContractClient()
    api.force_authenticate(StaffFactory())
    pages = api_pages(api, query, 3)
    assert [(p["count"], p["count_exact"]) for p in pages] == [(4, False)] * 2
    listed = [row["id"] for p in pages for row in p["results"]]
    assert listed == [s.pk for s in many[:4]]


@on_postgresql
def test_a_search_within_the_limit_is_counted_exactly(many, settings):
    settings.SEARCH_COUNT_LIMIT = 9
    api = ContractClient()
    api.force_authenticate(StaffFactory())
    pages = api_pages(api, "教育", 4)
    assert [(p["count"], p["count_exact"]) for p in pages] == [(9, True)] * 3
    assert [row["id"] for p in pages for row in p["results"]] == [s.pk for s in many]


@on_postgresql
def test_the_pages_of_a_frequent_word_never_call_the_index_function(many, settings):
    """Past the limit, the page's keys come from walking the ordered index with
    the exact ``strpos`` test; the costly index function is left to the count."""
    settings.SEARCH_COUNT_LIMIT = 4
    api = ContractClient()
    api.force_authenticate(StaffFactory())
    api.get("/api/v1/suggestions/", {"q": "教育"})
    with CaptureQueriesContext(connection) as capped:
        api.get("/api/v1/suggestions/", {"q": "教育", "page": 1, "page_size": 2})
    settings.SEARCH_COUNT_LIMIT = 100
    with CaptureQueriesContext(connection) as exact:
        api.get("/api/v1/suggestions/", {"q": "教育", "page": 1, "page_size": 2})
    assert len(capped) == len(exact)
    [count] = [q["sql"] for q in capped if "suggestion_gram_frequency" in q["sql"]]
    assert "suggestion_grams" in count and "LIMIT 5" in count
    [page] = [q["sql"] for q in capped if "LIMIT 2" in q["sql"]]
    assert "suggestion_grams" not in page
    assert "strpos" in page


@on_postgresql
def test_the_web_list_says_there_are_more(many, settings):
    settings.SEARCH_COUNT_LIMIT = 4
    web = Client(headers={"accept-language": "en"})
    web.force_login(StaffFactory())
    response = web.get("/suggestions/", {"q": "教育"})
    assert [s.pk for s in response.context["page_obj"]] == [s.pk for s in many[:4]]
    text = response.content.decode()
    assert "More than 4 suggestions match this search" in text


@on_postgresql
def test_past_the_limit_the_web_lists_tabs_are_uncounted_and_never_grouped(
    many, settings
):
    """A frequent search's tabs would group every match by status (110 ms for
    32,757 matches at 1M): past the limit they are offered without counts, and the
    grouping is skipped by a condition PostgreSQL evaluates once."""
    settings.SEARCH_COUNT_LIMIT = 4
    web = Client()
    web.force_login(StaffFactory())
    response = web.get("/suggestions/", {"session": "", "q": "教育"})
    tabs = response.context["tabs"]
    assert (tabs[0]["key"], tabs[0]["count"], tabs[0]["more_than"]) == ("all", None, 4)
    assert all(tab["count"] is None for tab in tabs)
    assert Status.DRAFT not in {tab["key"] for tab in tabs}
    assert Status.REGISTERED in {tab["key"] for tab in tabs}
    assert ">4+</span>" in response.content.decode()
    chosen = web.get(
        "/suggestions/", {"session": "", "q": "教育", "status": Status.REGISTERED}
    )
    assert [s.pk for s in chosen.context["page_obj"]] == [s.pk for s in many[:4]]
    assert chosen.context["page_obj"].paginator.count_exact is False
    from suggestions.search import (
        status_counts_sql,
        status_counts_within_limit,
        text_search,
    )

    rows = Suggestion.objects.all()
    search = text_search("教育", using=rows.db)
    sql, params = status_counts_sql(rows, search)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "One-Time Filter" in plan and "(never executed)" in plan, plan
    assert status_counts_within_limit(rows, search) is None


@on_postgresql
def test_within_the_limit_the_web_lists_tabs_count_each_status(many, settings):
    settings.SEARCH_COUNT_LIMIT = 9
    many[0].status = Status.ASSIGNED
    many[0].save(update_fields=["status"])
    web = Client()
    web.force_login(StaffFactory())
    response = web.get("/suggestions/", {"session": "", "q": "教育"})
    counts = {tab["key"]: tab["count"] for tab in response.context["tabs"]}
    assert counts == {"all": 9, Status.REGISTERED: 8, Status.ASSIGNED: 1}
    assert response.context["page_obj"].paginator.count == 9
    chosen = web.get(
        "/suggestions/", {"session": "", "q": "教育", "status": Status.ASSIGNED}
    )
    assert [s.pk for s in chosen.context["page_obj"]] == [many[0].pk]


def test_an_unsearched_list_is_counted_exactly(many):
    api = ContractClient()
    api.force_authenticate(StaffFactory())
    body = api.get("/api/v1/suggestions/").json()
    assert (body["count"], body["count_exact"]) == (11, True)
    body = api.get("/api/v1/suggestions/", {"q": "教育局"}).json()
    assert (body["count"], body["count_exact"]) == (9, True)


def searched(rows, text: str):
    """``rows`` and the search for ``text`` among them, kept apart as a list
    does."""
    from suggestions.search import text_search

    search = text_search(text, using=rows.db)
    assert search is not None
    return rows, search


def count_plan(rows, search) -> list[str]:
    """The executed plan of the search's count, sequential scans priced out."""
    from suggestions.search import count_sql

    sql, params = count_sql(rows, search)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}", params)
        return [row[0] for row in cursor.fetchall()]


def frequency(text: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT suggestion_gram_frequency(%s)", [text])
        return cursor.fetchone()[0]


@on_postgresql
def test_a_frequent_word_is_counted_along_the_list_not_through_the_index(
    many, settings, monkeypatch
):
    from suggestions import search
    from suggestions.search import FREQUENT, count_matches

    settings.SEARCH_COUNT_LIMIT = 4
    # Eleven rows: the index is always cheaper unless the walk is priced as free.
    monkeypatch.setattr(search, "WALK_COST_RATIO", 0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE suggestions_suggestion")
    assert frequency("教育") == pytest.approx(9 / 11)
    assert FREQUENT <= 9 / 11
    assert (frequency("无关"), frequency("冷链")) == (pytest.approx(1 / 11), 0)
    rows, search = searched(Suggestion.objects.all(), "教育")
    index = [line for line in count_plan(rows, search) if "sugg_text_gram_idx" in line]
    assert index and all("never executed" in line for line in index)
    assert count_matches(rows, search) == 5
    # Frequent overall, but not within these filters: the index counts exactly.
    two = Suggestion.objects.filter(pk__in=[many[0].pk, many[1].pk, many[2].pk])
    assert count_matches(*searched(two.exclude(pk=many[2].pk), "教育")) == 2


@on_postgresql
@pytest.mark.parametrize("analyzed", [False, True])
def test_a_rare_word_or_a_small_table_is_counted_through_the_index(
    many, settings, analyzed
):
    """No statistics yet, or a table too small for the walk to pay."""
    from suggestions.search import count_matches

    settings.SEARCH_COUNT_LIMIT = 4
    if analyzed:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE suggestions_suggestion")
    rows, search = searched(Suggestion.objects.all(), "教育")
    assert (frequency("教育") > 0) is analyzed
    index = [line for line in count_plan(rows, search) if "sugg_text_gram_idx" in line]
    assert index and not any("never executed" in line for line in index)
    assert count_matches(rows, search) == 5


@on_postgresql
def test_the_staffs_search_over_all_sessions_walks_past_no_draft(many, settings):
    """Drafts have no submission time, so the newest-submitted order puts every
    body's drafts first: the staff's list over all sessions (which never shows a
    draft) walks the index without them (``sugg_submitted_live_idx``), not the
    drafts' rows one by one before its first match, and still lists the same
    suggestions."""
    settings.SEARCH_COUNT_LIMIT = 4  # past it, the page walks the ordered index
    session = many[0].session
    for i in range(30):
        SuggestionFactory(session=session, title=f"关于第{i}号教育草稿的建议")
    assert Suggestion.objects.filter(submitted_at__isnull=True).count() == 30
    web = Client()
    web.force_login(StaffFactory())
    with CaptureQueriesContext(connection) as queries:
        response = web.get("/suggestions/", {"session": "", "q": "教育"})
    listed = [s.pk for s in response.context["page_obj"]]
    assert listed == [s.pk for s in many[:4]]  # the newest four: none a draft
    page = [q["sql"] for q in queries if 'IN (SELECT V0."id"' in q["sql"]]
    assert len(page) == 1, [q["sql"] for q in queries]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN (COSTS OFF) {page[0]}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "sugg_submitted_live_idx" in plan, plan
