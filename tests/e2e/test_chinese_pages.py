"""Every page each role reaches reads in Chinese: signed in with Chinese as the
language, a walk from the workbench (menu, cards, tabs, filters, a list's first row,
a detail page's actions) finds no English word of three letters or more outside what
people typed, bar PDF, JPEG, PNG, Word, Excel, xlsx and API."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import User
from suggestions.models import AdjustmentKind, Assignment, AssignmentRole, Status

from ..factories import (
    AdjustmentRequestFactory,
    ContactRecordFactory,
    CoSignatureFactory,
    EventFactory,
    LeaderFactory,
    SuggestionFactory,
)
from .crawl import crawl, english_words

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHINESE = {"locale": "zh-CN"}


@pytest.fixture
def world(cast):
    """A suggestion in every state, with the rows that make each kind of card and
    list show something: an invitation to co-sign, a co-unit, a pending extension
    request, a contact record, a timeline."""
    past = timezone.now() - dt.timedelta(days=40)
    common = {
        "session": cast.session,
        "lead_deputy": cast.deputy.deputy_profile,
        "category": cast.category,
        "base_time": past,
    }
    handled = {"lead_unit": cast.lead_unit}
    draft = SuggestionFactory(title="关于加强农村饮水安全保障的建议", **common)
    submitted = SuggestionFactory(
        title="关于完善社区养老服务设施的建议", submitted=True, **common
    )
    CoSignatureFactory(
        suggestion=submitted, deputy=cast.cosigner.deputy_profile, invited_at=past
    )
    CoSignatureFactory(suggestion=draft, deputy=cast.cosigner.deputy_profile)
    SuggestionFactory(title="关于规范校外培训机构的建议", registered=True, **common)
    assigned = SuggestionFactory(
        title="关于改善城区交通秩序的建议", assigned=True, **common, **handled
    )
    lead = Assignment.objects.get(suggestion=assigned, role=AssignmentRole.LEAD)
    Assignment.objects.create(
        suggestion=assigned,
        unit=cast.co_unit,
        role=AssignmentRole.CO,
        round=1,
        assigned_at=lead.assigned_at,
        due_at=lead.due_at - dt.timedelta(days=30),
    )
    AdjustmentRequestFactory(
        assignment=lead,
        kind=AdjustmentKind.EXTENSION,
        requested_until=lead.due_at + dt.timedelta(days=30),
        reason="需要协调多个部门，申请延期一个月。",
        requested_by=cast.lead_clerk,
    )
    ContactRecordFactory(assignment=lead, recorded_by=cast.lead_clerk)
    for state, title in (
        ("replied", "关于推进老旧小区改造的建议"),
        ("rehandling", "关于加快乡村道路建设的建议"),
        ("closed", "关于提升基层医疗服务能力的建议"),
    ):
        SuggestionFactory(
            title=title,
            is_public=True,
            **{state: True},
            **common,
            **handled,
        )
    SuggestionFactory(title="关于增设公交线路的建议", withdrawn=True, **common)
    SuggestionFactory(title="关于个人住房补贴的建议", rejected=True, **common)
    for action, to_status in (
        ("create", Status.DRAFT),
        ("submit", Status.SUBMITTED),
        ("register", Status.REGISTERED),
        ("assign", Status.ASSIGNED),
    ):
        EventFactory(
            suggestion=assigned,
            action=action,
            actor=cast.staff,
            from_status=Status.DRAFT,
            to_status=to_status,
            created_at=past,
        )
    leader = LeaderFactory(username="leader", name="张领导")
    # The factories name people after their user names: people's names are Chinese.
    for user in User.objects.all():
        if user.name.isascii():
            user.name = f"工作人员{user.pk}"
            user.save(update_fields=["name"])
    return leader


def _english_on(texts: dict[str, str]) -> list[str]:
    found = []
    for path, text in texts.items():
        for word in english_words(text):
            at = text.find(word)
            context = text[max(at - 20, 0) : at + len(word) + 20].replace("\n", " ⏎ ")
            found.append(f"{path}: {word} («{context}»)")
    return found


def test_every_page_of_every_role_reads_in_chinese(stage, cast, world):
    people = {
        "staff": cast.staff,
        "leader": world,
        "unit clerk": cast.lead_clerk,
        "deputy": cast.deputy,
        "co-signer": cast.cosigner,
    }
    found = []
    visited = 0
    for label, user in people.items():
        person = stage.signed_in(label, user, **CHINESE)
        texts = crawl(person, "/workbench/")
        visited += len(texts)
        found += [f"{label} {line}" for line in _english_on(texts)]
    public = stage.person("public", **CHINESE)
    texts = crawl(public, "/public/")
    found += [f"public {line}" for line in _english_on(texts)]
    visited += len(texts)
    assert visited > 40, f"only {visited} pages reached"
    assert not found, "English on Chinese pages:\n" + "\n".join(found)


def test_the_crawl_finds_an_english_word(stage, cast, world, settings):
    """The walk can fail: a page that shows an English word is caught."""
    person = stage.signed_in("staff", cast.staff, **CHINESE)
    person.page.set_content("<body><p>已提交</p><p>descending</p></body>")
    from .crawl import visible_text

    assert english_words(visible_text(person.page)) == ["descending"]
    person.page.set_content(
        "<body><p>导出 Excel、PDF</p><p data-user-text>Smith</p></body>"
    )
    assert english_words(visible_text(person.page)) == []
