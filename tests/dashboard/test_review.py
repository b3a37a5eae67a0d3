"""The annual review: on the demo data, the generated sentences state exactly what the
Changji 2023 review (``reference/changji-2023-review.txt``, a copy of
shared/reference) says; the English rendering; the page and the Word document."""

import io
import re
import unicodedata
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation
from docx import Document

from common.documents import HEADING_FONT, east_asian_font
from congress import names
from congress.models import Congress, CongressBody, CongressLevel, Session
from dashboard import review
from dashboard.statistics import session_statistics
from tests.official import assert_official_form

pytestmark = pytest.mark.django_db

ARTICLE = (Path(__file__).parent / "reference" / "changji-2023-review.txt").read_text(
    encoding="utf-8"
)


def normal(text: str) -> str:
    """Full-width punctuation as the article's half-width, no spaces ("19 件")."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def sentences(text: str) -> list[str]:
    return [s + "。" for s in normal(text).split("。") if s]


@pytest.fixture(scope="module")
def session_2023(demo):
    return demo.sessions["2023"]


@pytest.fixture
def chinese(session_2023):
    with translation.override("zh-hans"):
        return review.build(session_2023)


def test_every_figure_sentence_is_the_articles(chinese):
    article = normal(ARTICLE)
    # The first two paragraphs state the article's figures; then the practice of
    # handling, which the article does not count: the 五定 plans (third), the three
    # meetings and the leaders' part (fourth), and the ratings the article tells in
    # words (fifth; tests below).
    generated = sentences(" ".join(chinese.paragraphs[:2]))
    # The article's own words around the figures, left out of the generated text.
    first, key, *rest = generated
    assert (
        first
        == "昌吉州十六届人大二次会议期间,全州352名州人大代表提出建议295件,数量较2022年增加66件。"
    )
    assert article.replace("提出有价值、有见地建议", "提出建议").count(first[:-1]) == 1
    assert key == "州人大常委会确定36件重点督办代表建议。"
    assert "确定36件事关自治州经济、社会和民生发展的重点督办人大代表建议" in article
    # The rest, word for word as in the article; then the practice behind the
    # figures (三见面, the leaders' part), which the article tells in words.
    practice = sentences(chinese.paragraphs[3])
    assert rest == [
        "昌吉州十六届人大二次会议期间,人大代表提出建议295件,其中:工交财贸类79件、科教文卫类71件、农林水牧类65件、社会建设类35件、劳动人事类12件、其它类33件。",
        "代表建议交州人民政府办理249件,交有关机关和组织办理34件,交州人大常委会相关工委办理12件。",
        "目前,已经解决275件、正在解决或列入规划逐步解决1件、解释说明19件,办成率93.2%。",
        "人大代表对办理结果表示满意的265件,表示基本满意的30件,满意率100%。",
    ]
    for sentence in rest:
        assert sentence in article, sentence
    assert practice[0] == (
        "各承办单位落实“三见面”工作机制,295件主办建议中,办理前与人大代表见面沟通185件、"
        "办理中140件、答复前295件,答复前见面率100%。"
    )
    assert re.fullmatch(
        "落实党政领导领衔办理、人大常委会领导领衔督办工作机制,[0-9]+件重点督办建议由政府"
        "领导领衔办理,州人大常委会领导开展调研视察[0-9]+次、召开座谈会[0-9]+次、"
        "现场督办[0-9]+次。",
        practice[1],
    )
    assert len(practice) == 2


def test_the_review_states_the_plans_filed_on_time(chinese, session_2023):
    """计划按时制定率: of the first lead assignments acknowledged, those whose 五定
    plan was filed by its due day (the demo: most, a few late with a reason)."""
    stats = session_statistics(session_2023)
    assert stats["acknowledged"] == 295
    assert 0.8 * 295 < stats["plans_on_time"] < 295
    practice = normal(chinese.paragraphs[2])
    assert f"已签收的295件主办建议中{stats['plans_on_time']}件按时制定计划" in practice
    assert f"计划按时制定率{stats['plan_on_time_rate']}%" in practice.replace(
        ".0%", "%"
    )
    with translation.override("en"):
        english = review.build(session_2023).paragraphs[2]
    assert f"on time for {stats['plans_on_time']} of the 295 suggestions" in english


def test_the_ratings_paragraph(chinese, session_2023):
    """The review states the attitude's satisfaction beside the result's and how
    the deputies rated: on site, face to face at the evaluation meeting (the
    article: "现场对办理和答复情况进行满意度测评"), or online; every rating is one
    of the 295."""
    stats = session_statistics(session_2023)
    attitudes, channels = stats["attitude_ratings"], stats["ratings_by_channel"]
    assert sum(attitudes.values()) == sum(channels.values()) == 295
    assert attitudes["dissatisfied"] == 0
    assert 100 <= channels["on_site"] <= 150
    assert chinese.paragraphs[4] == (
        f"人大代表对办理态度表示满意的{attitudes['satisfied']}件，"
        f"表示基本满意的{attitudes['basically_satisfied']}件，满意率100%。"
        f"代表在现场测评会上当面测评{channels['on_site']}件，"
        f"网上评价{channels['online']}件。"
    )
    # The plans' and the meetings' paragraphs come before it, last year's promises
    # and the unit assessment after it, in English too.
    assert len(chinese.paragraphs) == 7
    assert "按时制定计划" in chinese.paragraphs[2]
    assert "三见面" in chinese.paragraphs[3]
    with translation.override("en"):
        english = review.build(session_2023).paragraphs
    assert len(english) == 7
    assert "handling plans" in english[2]
    assert "met the deputies" in english[3]
    assert english[4].startswith("With the handling attitude, the deputies were ")
    assert f"{channels['on_site']} were rated on site" in english[4]


def test_the_review_states_how_last_years_promises_ended(chinese):
    """Not in the article (2023's review did not follow 2022's promises): how the
    demo's 2022 promises ended, by the ledger, after the ratings."""
    assert sentences(chinese.paragraphs[5]) == [
        "2022年代表建议答复中作出的“正在解决或列入规划逐步解决”承诺事项36项,"
        "已兑现20项、部分兑现10项、未兑现1项、仍在推进5项。"
    ]


def test_title_and_tables(chinese):
    assert chinese.title == "2023年昌吉州人大代表建议办理工作综述"
    categories, handlers = chinese.tables
    assert [(label, n) for label, n, _ in categories.rows] == [
        ("工交财贸", 79),
        ("科教文卫", 71),
        ("农林水牧", 65),
        ("社会建设", 35),
        ("劳动人事", 12),
        ("其它", 33),
    ]
    assert [n for _, n, _ in handlers.rows] == [249, 34, 12]
    assert categories.rows[0][2] == "26.8%"


def test_english_rendering(session_2023):
    with translation.override("en"):
        document = review.build(session_2023)
    text = " ".join(document.paragraphs)
    assert document.title == "Deputies' suggestions in 2023: the annual review"
    assert text.startswith(
        "During the 2nd session of the 16th 昌吉回族自治州 People's Congress (2023), "
        "its 352 deputies handed in 295 suggestions, 66 more than in 2022."
    )
    for phrase in (
        "36 of them under key supervision",
        "工交财贸 79, 科教文卫 71, 农林水牧 65, 社会建设 35, 劳动人事 12, 其它 33",
        "the government and its departments handled 249, other organs and "
        "organisations 34, the standing committee's working bodies 12",
        "275 resolved, 1 being resolved or planned, 19 explained; a completion rate "
        "of 93.2%",
        "satisfied with 265, basically satisfied with 30: a satisfaction rate of 100%",
        "With the handling attitude, the deputies were satisfied with",
        "were rated on site, face to face at an evaluation meeting, and",
        "Of the 36 promises made in 2022's replies classed B (being resolved or "
        "planned): 20 kept, 10 partly kept, 1 not kept, 5 still open.",
    ):
        assert phrase in text


def test_last_years_promises_by_the_ledger(session_2023, demo):
    """The review's promise sentence counts the previous session's promises by
    state, in the ledger's one aggregate; a session with no earlier one (the
    demo's 2022) or whose previous session made none says nothing of them."""
    from dashboard.statistics import promise_outcomes
    from suggestions.models import Promise

    previous = demo.sessions["2022"]
    counts = promise_outcomes(previous)
    rows = Promise.objects.filter(reply__assignment__suggestion__session=previous)
    assert counts["total"] == rows.count() == 36
    for state in ("kept", "partly", "not_kept", "open"):
        assert counts[state] == rows.filter(state=state).count()
    assert review.last_years_promises(previous) is None
    with translation.override("zh-hans"):
        first = review.build(previous)
    assert not any("承诺事项" in p for p in first.paragraphs)


def test_fewer_same_and_pending(session_2023):
    stats = session_statistics(session_2023)
    with translation.override("zh-hans"):
        fewer = review.build(session_2023, stats={**stats, "change": -5})
        same = review.build(session_2023, stats={**stats, "change": 0})
        pending = review.build(
            session_2023,
            stats={
                **stats,
                "outcomes": {**stats["outcomes"], "resolved": 270},
                "ratings": {**stats["ratings"], "dissatisfied": 2},
            },
        )
    assert "数量较2022年减少5件" in fewer.paragraphs[0]
    assert "数量与2022年持平" in same.paragraphs[0]
    assert "正在办理5件" in pending.paragraphs[1]
    assert "表示不满意的2件" in pending.paragraphs[1]


@pytest.mark.parametrize(
    ("region", "level", "short", "word"),
    [
        ("昌吉回族自治州", CongressLevel.PREFECTURE, "昌吉州", "州"),
        ("湘西土家族苗族自治州", CongressLevel.PREFECTURE, "湘西州", "州"),
        ("木垒哈萨克自治县", CongressLevel.COUNTY, "木垒县", "县"),
        ("乌鲁木齐市", CongressLevel.PREFECTURE, "乌鲁木齐市", "市"),
        ("新疆维吾尔自治区", CongressLevel.PROVINCIAL, "新疆", "自治区"),
        ("某地", CongressLevel.COUNTY, "某地", "县"),
    ],
)
def test_place_words_come_from_the_congress(region, level, short, word):
    congress = Congress(body=CongressBody(region=region, level=level), ordinal=1)
    assert names.short_region(congress) == short
    assert names.place_word(congress) == word


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "一"), (2, "二"), (10, "十"), (16, "十六"), (20, "二十"), (42, "四十二")],
)
def test_chinese_numbers(n, text):
    assert names.chinese_number(n) == text


def test_session_short_names_and_labels():
    congress = Congress(
        body=CongressBody(region="昌吉回族自治州", level=CongressLevel.PREFECTURE),
        ordinal=16,
    )
    session = Session(congress=congress, ordinal=2, year=2023)
    with translation.override("zh-hans"):
        assert session.short_name == "昌吉州十六届人大二次会议"
        assert session.short_label == "2023年"
        name = names.file_name("办理情况统计", "statistics", "xlsx", session=session)
    assert (name.name, name.fallback) == (
        "昌吉州十六届人大二次会议_办理情况统计.xlsx",
        "2023-2_statistics.xlsx",
    )
    with translation.override("en"):
        assert session.short_name == "昌吉州 16th congress, 2nd session"
        assert session.short_label == "2023"
    # Nothing a file name may not hold, whatever a unit is called.
    odd = names.file_name('a/b\\c:"d"', "x", "pdf", session=session)
    assert not set('/\\:"') & set(odd.name) and odd.name.endswith(".pdf")


def test_the_page_and_the_word_document(session_2023):
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(get_user_model().objects.get(username="leader"))
    page = client.get(reverse("dashboard:review"), {"session": session_2023.pk})
    assert page.status_code == 200
    content = page.content.decode()
    assert "办成率93.2%" in content and "满意率100%" in content
    response = client.get(
        reverse("dashboard:review-docx"), {"session": session_2023.pk}
    )
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "attachment" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    assert_official_form(document, title="2023年昌吉州人大代表建议办理工作综述")
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[0] == "2023年昌吉州人大代表建议办理工作综述"
    # The tables under first-level headings in 黑体; signed by the body's office.
    headings = [
        p.text
        for p in document.paragraphs
        if p.runs and east_asian_font(p.runs[0]) == HEADING_FONT
    ]
    assert headings == ["一、按类别", "二、按承办机关"]
    assert "昌吉州人大常委会办公室" in texts
    assert re.fullmatch(r"20\d\d年\d{1,2}月\d{1,2}日", texts[-1])
    body = normal(" ".join(texts))
    assert "办成率93.2%" in body and "满意率100%" in body
    assert "交州人民政府办理249件" in body
    categories, handlers = document.tables
    assert [c.text for c in categories.rows[0].cells] == ["类别", "建议", "占比"]
    assert [r.cells[1].text for r in categories.rows[1:]] == [
        "79",
        "71",
        "65",
        "35",
        "12",
        "33",
    ]
    assert [r.cells[1].text for r in handlers.rows[1:]] == ["249", "34", "12"]


def test_the_api_document_in_english(session_2023):
    from tests.api.contract import ContractClient

    client = ContractClient(headers={"accept-language": "en"})
    client.force_authenticate(get_user_model().objects.get(username="staff"))
    response = client.get("/api/v1/dashboard/review.docx", {"session": session_2023.pk})
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    assert_official_form(
        document, title="Deputies' suggestions in 2023: the annual review"
    )
    texts = [p.text for p in document.paragraphs if p.text]
    assert "1. By category" in texts and "2. By handling body" in texts
    assert "Office of the Standing Committee of the 昌吉州 People's Congress" in texts
    assert (
        client.get("/api/v1/dashboard/review.docx", {"session": "x"}).status_code == 400
    )
    assert (
        client.get("/api/v1/dashboard/review.docx", {"session": 999999}).status_code
        == 400
    )
    client.force_authenticate(get_user_model().objects.get(username="deputy"))
    assert client.get("/api/v1/dashboard/review.docx").status_code == 403
    assert ContractClient().get("/api/v1/dashboard/review.docx").status_code == 401


def test_the_review_names_the_highest_and_lowest_scoring_units(chinese, session_2023):
    """The last paragraph: the unit assessment's highest and lowest scores under
    the prefecture's formula (绩效考核), as the assessment page ranks them."""
    from dashboard import assessment

    result = assessment.assess(session_2023)
    top, bottom = result.scores[0], result.scores[-1]
    assert top.score > bottom.score
    text = chinese.paragraphs[6]
    assert text.startswith("按照《州人大常委会代表建议办理绩效考核办法》，对")
    assert f"{len(result.scores)}个承办单位" in text
    assert f"得分最高的是{top.unit.name}" in text
    assert f"（{assessment.number(top.score)}分），最低的是" in text
    lowest = [s for s in result.scores if s.score == bottom.score]
    assert str(lowest[0].unit.name) in text.split("最低的是")[1]
    if len(lowest) > 3:
        assert f"等{len(lowest)}个单位（" in text.split("最低的是")[1]
    assert text.endswith(f"（{assessment.number(bottom.score)}分）。")
    with translation.override("en"):
        english = review.build(session_2023).paragraphs[6]
    assert english.startswith("Under the assessment formula, of the ")
    assert f"({assessment.number(top.score)} points)" in english
