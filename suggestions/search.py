"""Text search of suggestions that works for Chinese.

Most Chinese words are two characters, which a trigram index cannot serve. On
PostgreSQL an expression GIN index (``sugg_text_gram_idx``) holds, for each
suggestion's title and body lower-cased, every pair of neighbouring characters and
every character alone, built by the IMMUTABLE SQL function
``suggestion_grams(title, body)`` of migration ``0006_search_unigrams``. A query
becomes its one character, or the AND of its own bigrams (``suggestion_gram_query``),
so the index returns every suggestion that may contain it; for a longer query the
exact test "title or body contains it" (``ContainsText``) then confirms each
candidate, so the result is exactly right (a one- or two-character query is answered
exactly by the index alone). Both sides are lower-cased and quoted by PostgreSQL
itself: any user input is one bound parameter and can never break the SQL or the
``tsquery`` syntax.

A word found in a third of the archive (教育 in a province's 1,000,000 suggestions)
matches hundreds of thousands of rows: counting them all, or sorting them all for a
page, costs a visit to each. So on PostgreSQL a search counts its matches only up to
``settings.SEARCH_COUNT_LIMIT`` (1,000 by default; like a search engine's "more than
1,000 results"): the list then shows the newest 1,000 and asks to narrow the search,
and ``pagination.DeferredJoinPaginator`` finds those pages by walking the list's
ordered index with that cheap exact test alone (a third of the rows match, so
page 1 reads about 75 rows), never by sorting every match.

So a list that pages through a search takes it in pieces (``text_search`` answers a
``TextSearch``): the index's match that filters the list, and the exact test alone.
The list hands them to the paginator in its count plan (``pagination.SearchCount``,
with the list's rows before the search), which counts and pages from those pieces
rather than taking a built query apart.

SQLite (the embedded default) keeps the plain ``icontains`` scan and an exact count.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import connections
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value

# The longest query searched for; longer input is cut (the form field has no limit).
MAX_QUERY_LENGTH = 200


class BigramMatch(Func):
    """``suggestion_grams(title, body) @@ suggestion_gram_query(query)``: the
    exact expression of the GIN index, so that PostgreSQL uses it."""

    output_field = BooleanField()

    def __init__(self, query: str):
        super().__init__(F("title"), F("body"), Value(query))

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, sql_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(sql_params)
        title, body, query = parts
        return (
            f"suggestion_grams({title}, {body}) @@ suggestion_gram_query({query})",
            params,
        )


def case_free(text: str) -> bool:
    """Whether no character of ``text`` has another case: Chinese, digits and
    most punctuation. Such a text is in a column exactly when it is in the column
    lower-cased (lower-casing makes no uncased character), so its test needs no
    ``lower()``, which costs three quarters of the test on a suggestion's body
    (3,000 bodies: 74 ms with it, 19 ms without, on 2026-12-06)."""
    return all(c.lower() == c == c.upper() for c in text)


def contains_sql(column: str, text: str, placeholder: str = "%s") -> str:
    """The SQL of "``column`` contains ``text``" folding case as the index function
    does, ``text`` one parameter (``placeholder``); without ``lower()`` for a
    case-free text (``case_free``)."""
    if case_free(text):
        return f"strpos({column}, {placeholder}) > 0"
    return f"strpos(lower({column}), lower({placeholder})) > 0"


class ContainsText(Func):
    """``strpos(lower(column), lower(text)) > 0`` (``contains_sql``): the exact
    test of a search on PostgreSQL, folding case as the index function does.
    Unlike ``LIKE '%...%'``, which the planner guesses to match a few rows, an
    inequality on an expression is guessed to hold for a third: for a frequent
    word the planner then walks the list's ordered index and stops after a page,
    instead of testing every row."""

    output_field = BooleanField()
    arg_joiner = ""

    def __init__(self, column: str, text: str):
        super().__init__(F(column))
        self.text = text
        self.template = contains_sql("%(expressions)s", text, placeholder="%%s")

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, **extra_context)
        return sql, (*params, self.text)


@dataclass(frozen=True)
class TextSearch:
    """A search on PostgreSQL in the pieces that its count and its pages use
    (``pagination.SearchCount``), kept apart rather than found again in a built
    query: the list is filtered by ``match``; a page past the count limit is found
    by walking the list's ordered index with ``exact`` alone."""

    text: str  # what is searched for
    exact: Q  # the exact condition: title or body contains the text
    match: Q  # the list's filter: the index's match, confirmed by ``exact`` if needed
    count_limit: int  # count the matches up to this many


# A search whose every character or bigram is in at least this share of all
# suggestions (by the index's statistics) may be counted along the list itself ...
FREQUENT = 0.25
# ... within its first this many rows times the count limit ...
WINDOW_PER_MATCH = 6
# ... when that is cheaper: testing a row costs about 40 times what an index entry
# does (6 µs against 0.15 µs, measured), so the walk wins when share² × rows >
# (limit + 1) × 40, e.g. for a word in a third of 1,000,000 suggestions but not of
# 100,000.
WALK_COST_RATIO = 40


def count_matches(rows: QuerySet, search: TextSearch) -> int:
    """How many rows of ``rows`` (the list without its search, on PostgreSQL) match
    ``search``, counting at most ``search.count_limit + 1``, in one query.

    The index answers by building a bitmap of every suggestion that holds the text:
    for 教育 in a 1,000,000-suggestion archive, 336,000 entries and 50-60 ms. When
    the index's statistics (``suggestion_gram_frequency``, migration 0007) say the
    text is that frequent, the first rows of the list are tested with the cheap
    exact condition instead (22-29 ms): limit + 1 matches among them settle the
    count ("more than"), and only if they are not found does the index count.
    Each step runs only when reached (``CASE`` with its subqueries evaluated on
    demand)."""
    sql, params = count_sql(rows, search)
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def status_counts_within_limit(rows: QuerySet, search: TextSearch) -> dict | None:
    """How many rows of ``rows`` (the list without its search) that match
    ``search`` are in each status; None when more than ``search.count_limit``
    match (a list's status tabs are then shown uncounted), in one query.

    Grouping every match of a frequent text costs the index's whole bitmap and a
    visit to each match (教育 in a 100,000-suggestion session: 32,757 rows, about
    110 ms), more than the list's page. So the matches are first counted as
    ``count_matches`` counts them (up to the limit, cheaply for a frequent text);
    only a count within the limit groups them, and a gating condition that
    PostgreSQL evaluates once skips the grouping otherwise."""
    limit = search.count_limit
    sql, params = status_counts_sql(rows, search)
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    total = next(n for status, n in found if status is None)
    if total > limit:
        return None
    return {status: n for status, n in found if status is not None}


def status_counts_sql(rows: QuerySet, search: TextSearch) -> tuple[str, tuple]:
    """The SQL of ``status_counts_within_limit`` and its parameters: a row
    (NULL, the capped count), then (status, count) rows when that is within the
    limit."""
    limit = search.count_limit
    # The index's matches once (a CTE PostgreSQL runs only when read: never when
    # the walk along the list settles "more than" first), counted and grouped.
    matches = rows.filter(search.match).order_by().values("status")[: limit + 1]
    matches_sql, matches_params = matches.query.sql_with_params()
    counted_sql, counted_params = count_sql(rows, search, matches_from="matched")
    # Django's own SQL (its values stay parameters) and an integer: nothing of the
    # user's is spliced in.
    sql = f"""
        WITH matched AS MATERIALIZED ({matches_sql}),
            counted(n) AS MATERIALIZED ({counted_sql})
        SELECT NULL, n FROM counted
        UNION ALL
        (SELECT m.status, count(*) FROM matched AS m
         WHERE (SELECT n FROM counted) <= {limit:d}
         GROUP BY m.status)
    """  # noqa: S608
    return sql, (*matches_params, *counted_params)


def count_sql(
    rows: QuerySet, search: TextSearch, *, matches_from: str | None = None
) -> tuple[str, tuple]:
    """The SQL of ``count_matches`` and its parameters. ``matches_from``: a
    relation the caller's query defines holding the index's matches (at most
    limit + 1), counted instead of running the index again."""
    limit = search.count_limit
    if matches_from is None:
        matches = rows.filter(search.match).order_by().values("pk")[: limit + 1]
        matches_sql, matches_params = matches.query.sql_with_params()
        matches_from = f"({matches_sql}) AS m"
    else:
        matches_params = ()
    window = rows.order_by()
    window = window.values(searched_title=F("title"), searched_body=F("body"))
    window = window[: (limit + 1) * WINDOW_PER_MATCH]
    window_sql, window_params = window.query.sql_with_params()
    # Django's own SQL (its values stay parameters) and integers: nothing of the
    # user's is spliced in.
    sql = f"""
        SELECT CASE
            WHEN (
                SELECT share >= %s AND share * share * n > %s
                FROM suggestion_gram_frequency(%s) AS share,
                    (SELECT reltuples AS n FROM pg_class WHERE oid = %s::regclass) AS t
            ) AND (
                SELECT count(*) FROM (
                    SELECT 1 FROM ({window_sql}) AS w
                    WHERE {contains_sql("w.searched_title", search.text)}
                        OR {contains_sql("w.searched_body", search.text)}
                    LIMIT {limit + 1:d}
                ) AS found
            ) > {limit:d} THEN {limit + 1:d}
            ELSE (SELECT count(*) FROM {matches_from})
        END
    """  # noqa: S608
    return sql, (
        FREQUENT,
        (limit + 1) * WALK_COST_RATIO,
        search.text,
        rows.model._meta.db_table,
        *window_params,
        search.text,
        search.text,
        *matches_params,
    )


def clean_query(value: str) -> str:
    """The text searched for: without NUL (which PostgreSQL text cannot hold),
    without surrounding blanks, at most ``MAX_QUERY_LENGTH`` characters."""
    return (value or "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH].strip()


def text_search(value: str, *, using: str) -> TextSearch | None:
    """The search for ``value`` (cleaned) on the database ``using`` when that is
    PostgreSQL; None for a blank value or another database, where a search is a
    plain filter (``search_suggestions``)."""
    value = clean_query(value)
    if not value or connections[using].vendor != "postgresql":
        return None
    exact = Q(ContainsText("title", value)) | Q(ContainsText("body", value))
    if len(value) <= 2 and not ({"\x01", "\x02"} & set(value)):
        # One or two characters: the index's answer is already exact (the query
        # is one of the text's own characters or bigrams).
        match = Q(BigramMatch(value))
    else:
        match = Q(BigramMatch(value)) & exact
    return TextSearch(
        text=value,
        exact=exact,
        match=match,
        count_limit=settings.SEARCH_COUNT_LIMIT,
    )


def search_suggestions(queryset: QuerySet, value: str) -> QuerySet:
    """The suggestions of ``queryset`` whose title or body contains ``value``, case
    insensitively (blank ``value``: all of them). A list that pages through a
    search takes its pieces instead (``text_search``): the index function costs
    about a millisecond a row, so a page of a search with few matches comes from
    the index's matches, sorted, and one with many from the ordered index with the
    exact condition alone (``pagination.DeferredJoinPaginator``)."""
    value = clean_query(value)
    if not value:
        return queryset
    search = text_search(value, using=queryset.db)
    if search is None:
        return queryset.filter(Q(title__icontains=value) | Q(body__icontains=value))
    return queryset.filter(search.match)
