"""Every notice says what happened and what its recipient may do (issue 13, item 4).

One walk drives suggestions through every event that sends a notice — invitations,
filing, rejection, merging, assignment, acknowledgement, requests and their
decisions, opinions, replies, ratings, re-handling, escalation, reminders and
digests — and checks each notice written, in Chinese and in English:

- it goes to the kind of recipient its text is written for (``messages.AUDIENCE``);
- only the lead deputy is asked to rate; co-signers read that the lead deputy rates;
- every date in it is named as what it is: a deadline (期限为…, 于…前, "by …",
  "deadline is …"), or the day a reply arrived.

Every message kind must turn up in the walk, so a new kind cannot escape the checks.
"""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from common import clock
from notifications import reminders
from notifications.messages import AUDIENCE, MESSAGES
from notifications.models import Notification
from suggestions import services
from suggestions.models import Assignment, Rating, Status
from tests.api.conftest import PNG
from tests.factories import (
    HandlingUnitFactory,
    Journey,
    LeaderFactory,
    StaffFactory,
    UnitMemberFactory,
)

pytestmark = pytest.mark.django_db

ZH_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
# Django's English dates: "March 8, 2026", "Aug. 10, 2026".
EN_DATE = re.compile(r"\b[A-Z][a-z]+\.? \d{1,2}, \d{4}")
# A date is a deadline when it is introduced as one.
ZH_DEADLINE_BEFORE = ("期限为", "期限仍为", "期限由", "延长至")
EN_DEADLINE_BEFORE = ("by ", "deadline is ", "deadline stays ")
EN_DEADLINE_BEFORE += ("from ", "to ")  # an extension asked: from the deadline to …
# Dates that are not deadlines, by kind: the day the reply arrived; the digests'
# lists of due dates under a heading that says they are past their deadline.
NOT_A_DEADLINE = {
    "rating_awaited": ("已于", "arrived on "),
    "digest_overdue": ("· ", "· "),
    "digest_key": ("· ", "· "),
}
ZH_RATE = re.compile(r"请[^。；]*评价")
EN_RATE = re.compile(r"[Pp]lease rate|you will rate")


def _role(user, suggestion) -> str:
    """What the recipient is to the notice's suggestion."""
    if user.is_congress_staff:
        return "staff"
    if user.is_leader:
        return "leader"
    deputy = user.deputy_profile
    if deputy is not None:
        lead = suggestion is not None and suggestion.lead_deputy_id == deputy.pk
        return "lead_deputy" if lead else "cosigner"
    assignment = (
        Assignment.objects.filter(suggestion=suggestion, unit_id=user.unit_id)
        .order_by("-pk")
        .first()
    )
    return "lead_unit" if assignment.is_lead else "co_unit"


def _fits(role: str, audience: str) -> bool:
    if audience == "deputy":
        return role in ("lead_deputy", "cosigner")
    if audience == "unit":
        return role in ("lead_unit", "co_unit")
    return role == audience


def _walk(language: str) -> None:
    """Every event that writes a notice, with every recipient speaking
    ``language``."""
    users = get_user_model().objects
    with clock.frozen_at(timezone.now() - dt.timedelta(days=200)):
        main = Journey(co_unit=True)
        merged = Journey(session=main.session)
        refused = Journey(session=main.session)
        handed = Journey(session=main.session, co_unit=True)
        late = Journey(session=main.session, co_unit=True)
        again = Journey(session=main.session)
        waiting = Journey(session=main.session)
        new_lead, new_co = HandlingUnitFactory(), HandlingUnitFactory()
        new_lead_clerk = UnitMemberFactory(unit=new_lead)
        new_co_clerk = UnitMemberFactory(unit=new_co)
        StaffFactory()
        leader = LeaderFactory()
        users.update(language=language)

        # Invitation, filing, merging, rejection.
        main.create()
        services.suggestion_cosign(
            suggestion_id=main.suggestion.pk, actor=main.cosigner
        )
        main.submit()
        merged.create(title="关于老旧小区加装电梯的建议")
        services.suggestion_cosign(
            suggestion_id=merged.suggestion.pk, actor=merged.cosigner
        )
        merged.submit()
        services.suggestion_merge(
            suggestion_id=merged.suggestion.pk,
            actor=main.staff,
            into=main.suggestion.pk,
        )
        refused.to(Status.SUBMITTED)
        services.suggestion_decline_cosign(
            suggestion_id=refused.suggestion.pk, actor=refused.cosigner
        )
        services.suggestion_reject(
            suggestion_id=refused.suggestion.pk,
            actor=refused.staff,
            reason="属于来信来访事项。",
        )
        main.register()
        # Entered on behalf (代录) from a signed paper original.
        services.suggestion_enter_on_behalf(
            actor=refused.staff,
            session=main.session,
            lead_deputy=refused.deputy.deputy_profile,
            co_signers=[refused.cosigner.deputy_profile.pk],
            title="关于增设公交线路的建议",
            body="建议增设公交线路。",
            original=SimpleUploadedFile("原件.png", PNG, content_type="image/png"),
        )

        # Assignment, acknowledgement, requests and their decisions, an opinion.
        main.assign(key_supervised=True, supervising_leader=leader)
        main.acknowledge()
        lead, co = main.lead_assignment(), main.co_assignment()
        services.assignment_acknowledge(assignment_id=co.pk, actor=main.co_clerk)
        # A leader's supervision of the key suggestion.
        services.suggestion_supervision_opinion(
            suggestion_id=main.suggestion.pk, actor=leader, text="请加快办理进度。"
        )
        services.suggestion_urge(suggestion_id=main.suggestion.pk, actor=leader)
        for decide in ("deny", "approve"):
            request = services.assignment_request_extension(
                assignment_id=lead.pk,
                actor=main.clerk,
                reason="涉及多个部门，需要更多时间。",
                until=lead.due_at + dt.timedelta(days=30),
            )
            if decide == "deny":
                services.adjustment_deny(
                    request_id=request.pk, actor=main.staff, reason="期限足够。"
                )
            else:
                services.adjustment_approve(request_id=request.pk, actor=main.staff)
        for assignment, clerk in ((lead, main.clerk), (co, main.co_clerk)):
            request = services.assignment_request_reassignment(
                assignment_id=assignment.pk, actor=clerk, reason="不属于本单位职责。"
            )
            services.adjustment_deny(
                request_id=request.pk, actor=main.staff, reason="属于本单位职责。"
            )
        services.assignment_reply(
            assignment_id=co.pk,
            actor=main.co_clerk,
            outcome="resolved",
            body="同意主办单位的意见。",
        )

        # Reassignments approved: a lead unit and a co-unit handed on.
        handed.to(Status.ASSIGNED)
        for assignment, clerk, unit in (
            (handed.lead_assignment(), handed.clerk, new_lead),
            (handed.co_assignment(), handed.co_clerk, new_co),
        ):
            request = services.assignment_request_reassignment(
                assignment_id=assignment.pk, actor=clerk, reason="不属于本单位职责。"
            )
            services.adjustment_approve(
                request_id=request.pk, actor=handed.staff, new_unit=unit
            )
        assert new_lead_clerk.pk and new_co_clerk.pk

        # The lead reply (the co-units' round ends with it), classed B with a
        # promise due the same day (reminded on the sweeps below), the rating.
        main.reply(
            outcome="in_progress",
            promises=[{"text": "年内完工", "due_on": clock.today()}],
        )
        main.evaluate(Rating.SATISFIED, comment="办理认真。")

        # Dissatisfied: re-handled, then escalated.
        again.to(Status.REHANDLING)
        again.reply()
        again.evaluate(Rating.DISSATISFIED, comment="仍未解决。")
        assert again.refresh().escalated

        # Reminders: a co-unit's opinion, then the lead unit's reply, due and late.
        late.create()
        late.submit()
        late.register()
        late.assign(key_supervised=True)
        late_lead, late_co = late.lead_assignment(), late.co_assignment()
        # A 五定 plan whose milestone passes without progress reported.
        services.assignment_acknowledge(assignment_id=late_lead.pk, actor=late.clerk)
        services.assignment_file_plan(
            assignment_id=late_lead.pk,
            actor=late.clerk,
            responsible_leader="王副局长",
            officer="李明",
            officer_phone="0994-2345678",
            measures="实地调研，制定方案。",
            milestones=[{"title": "完成实地调研", "due_on": clock.today()}],
            complete_by=late_lead.due_at,
        )
        waiting.to(Status.REPLIED)
    users.update(language=language)
    for day in (
        late_co.due_at - dt.timedelta(days=1),
        late_co.due_at + dt.timedelta(days=1),
        late_lead.due_at - dt.timedelta(days=1),
        late_lead.due_at + dt.timedelta(days=1),
    ):
        reminders.sweep(today=day)
    reminders.send_digests(today=late_lead.due_at + dt.timedelta(days=1))
    assert waiting.refresh().status == Status.REPLIED


@pytest.fixture(params=["zh-hans", "en"])
def notices(request):
    _walk(request.param)
    rows = list(
        Notification.objects.select_related("recipient", "suggestion").order_by("pk")
    )
    return request.param, rows


def test_the_walk_sends_every_kind_of_notice(notices):
    _language, rows = notices
    assert {n.kind for n in rows} == set(MESSAGES)


def test_each_notice_goes_to_the_recipient_it_is_written_for(notices):
    _language, rows = notices
    wrong = [
        (n.kind, _role(n.recipient, n.suggestion))
        for n in rows
        if not _fits(_role(n.recipient, n.suggestion), AUDIENCE[n.kind])
    ]
    assert wrong == []


def test_only_the_lead_deputy_is_asked_to_rate(notices):
    """No rating instruction to a co-signer, a merged suggestion's deputy, a unit,
    staff or a leader; a co-signer reads that the lead deputy rates."""
    language, rows = notices
    asks = ZH_RATE if language == "zh-hans" else EN_RATE
    for n in rows:
        role = _role(n.recipient, n.suggestion)
        if role != "lead_deputy":
            assert not asks.search(n.body), (n.kind, role, n.body)
    told = [n for n in rows if n.kind in ("replied_cosigner", "assigned_cosigner")]
    assert told
    for n in told:
        assert ("由领衔代表评价" if language == "zh-hans" else "who rates it") in (
            n.body
        )
    asked = [n for n in rows if n.kind in ("replied", "rating_awaited")]
    assert asked and all(asks.search(n.body) for n in asked)


def test_every_date_is_named_as_a_deadline(notices):
    """A date in a notice is a deadline and says so (答复期限为2027年2月9日, 于…前,
    "the new reply deadline is …"), unless it is the day a reply arrived or a line of
    a digest of overdue items."""
    language, rows = notices
    chinese = language == "zh-hans"
    pattern = ZH_DATE if chinese else EN_DATE
    before = ZH_DEADLINE_BEFORE if chinese else EN_DEADLINE_BEFORE
    dated = 0
    for n in rows:
        for match in pattern.finditer(n.body):
            dated += 1
            head, tail = n.body[: match.start()], n.body[match.end() :]
            exempt = NOT_A_DEADLINE.get(n.kind, ("\0", "\0"))[0 if chinese else 1]
            assert (
                head.endswith(before)
                or (chinese and tail.startswith("前"))
                or head.endswith(exempt)
            ), (n.kind, n.body)
    assert dated > 20


def test_every_deadline_kind_names_its_date(notices):
    """The notices about a deadline carry the date itself."""
    _language, rows = notices
    pattern = ZH_DATE if _language == "zh-hans" else EN_DATE
    deadline_kinds = {
        "assigned",
        "assigned_co",
        "assigned_deputy",
        "assigned_cosigner",
        "reassigned_in",
        "reassigned_in_co",
        "reassigned_deputy",
        "extension_requested",
        "extension_approved",
        "extension_denied",
        "reassignment_denied",
        "reassignment_denied_co",
        "opinion",
        "rehandling",
        "rehandling_staff",
        "due_soon",
        "due_soon_co",
        "overdue",
        "overdue_co",
    }
    for n in rows:
        if n.kind in deadline_kinds:
            assert pattern.search(n.body), (n.kind, n.body)


# --- the two defects reported --------------------------------------------------------


def test_co_signers_are_not_asked_to_rate(journey):
    """Reported: co-signers were told "请于…前对答复进行评价" although only the lead
    deputy rates. They are told the reply reached the lead deputy, who rates it."""
    journey.create()
    services.suggestion_cosign(
        suggestion_id=journey.suggestion.pk, actor=journey.cosigner
    )
    for step in ("submit", "register", "assign", "reply"):
        getattr(journey, step)()
    [to_cosigner] = Notification.objects.filter(
        recipient=journey.cosigner, kind__startswith="replied"
    )
    assert "对答复进行评价" not in to_cosigner.body
    assert "答复已送达领衔代表，由领衔代表评价" in to_cosigner.body
    [to_lead] = Notification.objects.filter(
        recipient=journey.deputy, kind__startswith="replied"
    )
    assert "对答复进行评价" in to_lead.body


def test_an_approved_extension_names_the_new_deadline(journey):
    """Reported: "…申请已获批准。2027年2月9日" left the date unexplained. The
    notice says the date is the new reply deadline."""
    journey.to(Status.ASSIGNED)
    request = services.assignment_request_extension(
        assignment_id=journey.lead_assignment().pk,
        actor=journey.clerk,
        reason="需要更多时间。",
        until=dt.date(2026, 8, 10),
    )
    services.adjustment_approve(request_id=request.pk, actor=journey.staff)
    [message] = Notification.objects.filter(recipient=journey.clerk).order_by("-pk")[:1]
    assert "延期申请已获批准，新的答复期限为2026年8月10日" in message.body
