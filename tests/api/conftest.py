"""A cast around one suggestion for the API tests, and clients that act as them."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from suggestions import services
from suggestions.models import Outcome

from ..factories import (
    HandlingUnitFactory,
    Journey,
    LeaderFactory,
    UnitMemberFactory,
    deputy_user,
    open_for_intake,
)
from . import contract

# A 五定 plan for work acknowledged at the tests' NOW (10 March 2026, due 10 June).
PLAN = {
    "responsible_leader": "王副局长",
    "officer": "李明",
    "officer_phone": "0994-2345678",
    "measures": "实地调研，制定方案。",
    "milestones": [{"title": "完成实地调研", "due_on": date(2026, 4, 1)}],
    "complete_by": date(2026, 6, 1),
}
PLAN_JSON = {
    **PLAN,
    "milestones": [{"title": "完成实地调研", "due_on": "2026-04-01"}],
    "complete_by": "2026-06-01",
}

ROLES = (
    "staff",
    "leader",
    "unit",
    "other_unit",
    "lead",
    "cosigner",
    "other_deputy",
    "anonymous",
)


def client_as(user=None) -> APIClient:
    """A JSON client in English, authenticated as ``user`` (anonymous for None),
    whose answers are checked against the schema."""
    client = contract.ContractClient(headers={"accept-language": "en"})
    if user is not None:
        client.force_authenticate(user)
    return client


# The smallest thing that is a PNG by content: the signature and a header chunk.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17


def png_letter(name: str = "答复函.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


class Cast(Journey):
    """A ``Journey`` (staff, lead deputy, invited co-signer, lead unit and its clerk)
    plus a leader, another unit's clerk and a deputy with no part in it; ``state``
    walks the suggestion there through the services."""

    def __init__(self):
        super().__init__()
        congress = self.session.congress
        self.leader = LeaderFactory()
        self.other_unit = HandlingUnitFactory()
        self.other_clerk = UnitMemberFactory(unit=self.other_unit)
        self.other_deputy = deputy_user(delegation__congress=congress)

    def user(self, role: str):
        return {
            "staff": self.staff,
            "leader": self.leader,
            "unit": self.clerk,
            "other_unit": self.other_clerk,
            "lead": self.deputy,
            "cosigner": self.cosigner,
            "other_deputy": self.other_deputy,
            "anonymous": None,
        }[role]

    def cosign(self):
        return services.suggestion_cosign(
            suggestion_id=self.suggestion.pk, actor=self.cosigner
        )

    def state(self, state: str):
        """draft (co-signer invited), submitted (co-signed), registered, assigned,
        key (assigned for key supervision), acknowledged (and the meeting the
        rules require before the reply recorded, 三见面), planned (acknowledged,
        the 五定 plan filed), requested (a pending reassignment request), replied,
        promised (replied, classed in progress, with one promise), lettered
        (replied with a PNG letter), meeting (replied, an evaluation meeting with
        the lead deputy present), rated_on_site (rated at that meeting, the form's
        scan a PNG);
        entered (submitted: entered on behalf by staff with a PNG scan, co-signed
        on paper)."""
        if state == "entered":
            open_for_intake(self.session)
            self.suggestion = services.suggestion_enter_on_behalf(
                actor=self.staff,
                session=self.session,
                lead_deputy=self.deputy.deputy_profile,
                co_signers=[self.cosigner.deputy_profile.pk],
                title="关于增设公交线路的建议",
                body="建议增设公交线路。",
                original=png_letter("原件.png"),
            )
            return self.suggestion
        self.create()
        if state == "draft":
            return self.suggestion
        self.cosign()
        self.submit()
        if state == "submitted":
            return self.refresh()
        self.register()
        if state == "registered":
            return self.refresh()
        self.assign(key_supervised=state == "key")
        if state in ("assigned", "key"):
            return self.refresh()
        if state == "requested":
            self.request = services.assignment_request_reassignment(
                assignment_id=self.lead_assignment().pk,
                actor=self.clerk,
                reason="不属于本单位职责。",
            )
            return self.refresh()
        self.acknowledge()
        if state == "acknowledged":
            self.meet()
            return self.refresh()
        if state == "planned":
            services.assignment_file_plan(
                assignment_id=self.lead_assignment().pk,
                actor=self.clerk,
                **PLAN,
            )
            return self.refresh()
        outcome = Outcome.IN_PROGRESS if state == "promised" else Outcome.RESOLVED
        extra = {"letter": png_letter()} if state == "lettered" else {}
        if state == "promised":
            extra["promises"] = [{"text": "年内完工", "due_on": "2026-09-30"}]
        self.reply_row = self.reply(outcome, **extra)
        if state in ("meeting", "rated_on_site"):
            # An evaluation meeting with the lead deputy present (现场测评).
            self.meeting = services.evaluation_meeting_create(
                actor=self.staff,
                session=self.session,
                held_on=self.session.opened_on,
                place="常委会会议室",
                deputies=[self.deputy.deputy_profile.pk],
                units=[self.unit.pk],
            )
        if state == "rated_on_site":
            self.evaluation = services.evaluation_meeting_rate(
                meeting_id=self.meeting.pk,
                actor=self.staff,
                suggestion_id=self.suggestion.pk,
                deputy_id=self.deputy.deputy_profile.pk,
                attitude="satisfied",
                result="satisfied",
                form_scan=png_letter("征询意见表.png"),
            )
        return self.refresh()


@pytest.fixture
def cast(db, now):
    return Cast()
