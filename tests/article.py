"""The figures of the Changji 2023 year-end review
(``../shared/reference/changji-2023-review.txt``) that the demo data reproduces."""

CATEGORIES = ["工交财贸", "科教文卫", "农林水牧", "社会建设", "劳动人事", "其它"]


def check_article_figures(figures, sessions) -> None:
    """Every figure of the article in a session's statistics, exactly."""
    assert figures["session"] == sessions["2023"].pk
    assert figures["deputies"] == 352
    assert figures["suggestions"] == 295
    assert figures["previous_session_suggestions"] == 229
    assert [(r["category"], r["count"]) for r in figures["by_category"]] == list(
        zip(CATEGORIES, [79, 71, 65, 35, 12, 33], strict=True)
    )
    assert {r["group"]: r["count"] for r in figures["by_handler_group"]} == {
        "government": 249,
        "other_organs": 34,
        "standing_committee": 12,
    }
    assert figures["outcomes"] == {
        "resolved": 275,
        "in_progress": 1,
        "explained": 19,
        "reference": 0,
    }
    assert figures["completion_rate"] == 93.2
    assert figures["ratings"] == {
        "satisfied": 265,
        "basically_satisfied": 30,
        "dissatisfied": 0,
    }
    assert figures["satisfaction_rate"] == 100.0
    assert figures["key_supervised"] == 36
    assert sum(r["count"] for r in figures["by_delegation"]) == 295
