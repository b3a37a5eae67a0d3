"""Entry on behalf (代录, issue 16): staff enter a suggestion handed in on paper for
its deputies, with the scan of the signed original; it is submitted at once, the
co-signers count, the timeline names who entered it and the deputies are told."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from common.errors import InvalidInput, NotPermitted
from dashboard.statistics import session_statistics
from notifications.models import Notification
from suggestions import selectors, services, workflow
from suggestions.models import CoSignature, Event, Status, Suggestion
from tests.conftest import NOW
from tests.factories import (
    CategoryFactory,
    CongressFactory,
    DeputyFactory,
    SessionFactory,
    StaffFactory,
    UnitMemberFactory,
    deputy_user,
    open_for_intake,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def scan(name="原件.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def paper(journey):
    """The journey's cast with its session open, and a second co-signer."""
    open_for_intake(journey.session)
    journey.second = deputy_user(delegation__congress=journey.session.congress)
    return journey


def enter(paper, **fields):
    fields.setdefault("actor", paper.staff)
    fields.setdefault("session", paper.session)
    fields.setdefault("lead_deputy", paper.deputy.deputy_profile)
    fields.setdefault(
        "co_signers",
        [paper.cosigner.deputy_profile.pk, paper.second.deputy_profile.pk],
    )
    fields.setdefault("title", "关于加快老旧小区改造的建议")
    fields.setdefault("body", "建议加大财政投入，分批推进老旧小区改造。")
    fields.setdefault("original", scan())
    return services.suggestion_enter_on_behalf(**fields)


def stored_files(settings) -> list:
    from pathlib import Path

    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


class TestHappyPath:
    def test_it_is_submitted_led_by_the_deputy_and_entered_by_staff(self, paper):
        """The suggestion is submitted at once, led by the lead deputy, marked as
        entered by the staff member, unnumbered until filed like any submission."""
        s = enter(paper, category=paper.category.pk)
        s.refresh_from_db()
        assert s.status == Status.SUBMITTED
        assert s.lead_deputy == paper.deputy.deputy_profile
        assert s.entered_by == paper.staff
        assert s.is_entered_on_behalf
        assert s.submitted_at == NOW
        assert s.created_at == NOW
        assert s.category == paper.category
        # Numbers are given at filing (立案), as for every submitted suggestion.
        assert s.number is None

    def test_the_co_signers_have_signed(self, paper):
        """Co-signers confirmed by their signatures on paper count at once."""
        s = enter(paper)
        rows = CoSignature.objects.filter(suggestion=s).order_by("deputy_id")
        assert {c.deputy for c in rows} == {
            paper.cosigner.deputy_profile,
            paper.second.deputy_profile,
        }
        assert all(c.signed_at == NOW and c.declined_at is None for c in rows)

    def test_the_scan_is_stored_under_a_non_guessable_name(self, paper, settings):
        """The original is kept as its checked kind; its uploaded name is kept
        apart."""
        s = enter(paper, original=scan("张三等代表建议原件.pdf"))
        s.refresh_from_db()
        assert s.original.name.startswith("originals/")
        assert s.original.name.endswith(".pdf")
        assert "张三" not in s.original.name
        assert s.original_name == "张三等代表建议原件.pdf"
        assert s.original.read() == PDF
        assert len(stored_files(settings)) == 1

    def test_the_timeline_says_who_entered_it(self, paper):
        """One timeline entry, 代录, by the staff member, draft → submitted."""
        s = enter(paper)
        events = list(Event.objects.filter(suggestion=s))
        assert len(events) == 1
        event = events[0]
        assert event.action == "enter-on-behalf"
        assert event.actor == paper.staff
        assert (event.from_status, event.to_status) == ("draft", "submitted")
        assert event.note == str(paper.staff)
        assert event.data["lead_deputy"] == paper.deputy.deputy_profile.pk
        assert workflow.action_label("enter-on-behalf") == "Entered on behalf"

    def test_the_deputies_are_told(self, paper):
        """The lead deputy hears the suggestion is theirs; each co-signer that their
        signature counts."""
        s = enter(paper)
        sent = {
            (n.recipient_id, n.kind) for n in Notification.objects.filter(suggestion=s)
        }
        assert sent == {
            (paper.deputy.pk, "entered_on_behalf"),
            (paper.cosigner.pk, "entered_on_behalf_cosigner"),
            (paper.second.pk, "entered_on_behalf_cosigner"),
        }
        lead = Notification.objects.get(recipient=paper.deputy, suggestion=s)
        assert s.title in lead.title
        assert str(paper.staff) in lead.body

    def test_the_deputies_see_it_as_their_own(self, paper):
        """The lead deputy and the co-signers find it in their lists as if they had
        submitted it; the lead deputy may withdraw it as any submission."""
        s = enter(paper)
        for user in (paper.deputy, paper.cosigner, paper.second):
            assert selectors.suggestion_list(user=user).filter(pk=s.pk).exists()
        withdrawn = services.suggestion_withdraw(suggestion_id=s.pk, actor=paper.deputy)
        assert withdrawn.status == Status.WITHDRAWN

    def test_staff_file_it_as_any_other_and_it_counts(self, paper):
        """Filed, it gets its session's next number and counts in the figures like
        any suggestion."""
        paper.create()
        paper.submit()
        paper.register()
        s = enter(paper)
        filed = services.suggestion_register(
            suggestion_id=s.pk, actor=paper.staff, category=paper.category
        )
        assert filed.number == 2
        figures = session_statistics(paper.session)
        assert figures["suggestions"] == 2


class TestRefusals:
    def test_a_non_staff_user_may_not(self, paper, unchanged):
        """A deputy, a unit clerk: refused as a role that may never do this."""
        clerk = UnitMemberFactory(unit=paper.unit)
        for actor in (paper.deputy, clerk):
            with unchanged(), pytest.raises(NotPermitted):
                enter(paper, actor=actor)

    def test_staff_of_another_body_find_no_session_to_enter_into(
        self, paper, unchanged
    ):
        """Staff of another congress body cannot enter into this body's session."""
        other_body = CongressFactory(body__region="伊犁").body
        outsider = StaffFactory(body=other_body)
        with unchanged(), pytest.raises(InvalidInput) as error:
            enter(paper, actor=outsider)
        assert error.value.field == "session"

    def test_the_session_must_accept_suggestions(self, paper, unchanged):
        """A session that is not open for intake is refused on ``session``."""
        closed = SessionFactory(congress=paper.session.congress)
        with unchanged(), pytest.raises(InvalidInput) as error:
            enter(paper, session=closed)
        assert error.value.field == "session"

    def test_the_lead_deputy_is_required(self, paper, unchanged):
        with unchanged(), pytest.raises(InvalidInput) as error:
            enter(paper, lead_deputy=None)
        assert error.value.field == "lead_deputy"

    def test_a_deputy_of_another_body_cannot_lead(self, paper, unchanged):
        """The lead deputy must be a deputy of the session's congress."""
        foreign = DeputyFactory(
            delegation__congress=CongressFactory(body__region="伊犁")
        )
        with unchanged(), pytest.raises(InvalidInput) as error:
            enter(paper, lead_deputy=foreign)
        assert error.value.field == "lead_deputy"

    def test_an_inactive_deputy_cannot_lead(self, paper, unchanged):
        deputy = paper.deputy.deputy_profile
        deputy.active = False
        deputy.save()
        with unchanged(), pytest.raises(InvalidInput) as error:
            enter(paper)
        assert error.value.field == "lead_deputy"

    def test_the_co_signer_rules_are_the_drafts(self, paper, unchanged):
        """Co-signers: not the lead deputy, deputies of the same congress."""
        foreign = DeputyFactory(
            delegation__congress=CongressFactory(body__region="伊犁")
        )
        for co_signers in ([paper.deputy.deputy_profile.pk], [foreign.pk]):
            with unchanged(), pytest.raises(InvalidInput) as error:
                enter(paper, co_signers=co_signers)
            assert error.value.field == "co_signers"

    def test_the_scan_is_required(self, paper, unchanged, settings):
        """Without the original nothing proves the signatures: refused."""
        with unchanged(), pytest.raises(InvalidInput) as error:
            enter(paper, original=None)
        assert error.value.field == "original"
        assert stored_files(settings) == []

    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("原件.pdf", b"MZ\x90\x00\x03\x00\x00\x00"),  # a program renamed .pdf
            ("原件.docx", b"PK\x03\x04not really a zip"),
            ("原件.pdf", b""),
        ],
    )
    def test_a_file_that_is_no_scan_is_refused(
        self, paper, unchanged, settings, name, content
    ):
        """The scan is judged by its bytes (PDF, JPEG, PNG): nothing written, no
        file stored."""
        with unchanged(), pytest.raises(InvalidInput) as error:
            enter(paper, original=scan(name, content))
        assert error.value.field == "original"
        assert stored_files(settings) == []

    def test_a_word_document_is_no_scan(self, paper, unchanged):
        """A Word document proves no signature: refused although a letter may be
        one."""
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
        with unchanged(), pytest.raises(InvalidInput) as error:
            enter(paper, original=scan("原件.docx", buffer.getvalue()))
        assert error.value.field == "original"

    def test_a_title_is_required(self, paper, unchanged):
        with unchanged(), pytest.raises(InvalidInput) as error:
            enter(paper, title="  ")
        assert error.value.field == "title"

    def test_a_category_of_another_body_is_refused(self, paper, unchanged):
        other = CategoryFactory(body=CongressFactory(body__region="伊犁").body)
        with unchanged(), pytest.raises(InvalidInput) as error:
            enter(paper, category=other.pk)
        assert error.value.field == "category"


def test_a_deleted_staff_account_leaves_the_suggestion(paper):
    """``entered_by`` does not hold the suggestion hostage to an account: the row
    stays marked as entered on behalf by its scan."""
    s = enter(paper)
    Suggestion.objects.filter(pk=s.pk).update(entered_by=None)
    s.refresh_from_db()
    assert s.is_entered_on_behalf
