"""Forms of the handling unit's pages. Field names are the services' argument names;
the services, not these forms, decide what the rules allow."""

import re
import zoneinfo
from datetime import date, datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ..models import ContactMethod, ContactStage, Outcome

# Clerks enter local times; the congress works on Beijing time (docs/deadlines.md) whatever
# the server's or the browser's zone.
BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
ISO_DATE = "%Y-%m-%d"

# What the letter input offers to pick; the service judges the file by its content.
LETTER_ACCEPT = ".pdf,.doc,.docx,.jpg,.jpeg,.png"


class BeijingDateTimeField(forms.DateTimeField):
    """A ``datetime-local`` value read, and shown, as Beijing time."""

    widget = forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format=DATETIME_LOCAL
    )

    def to_python(self, value):
        with timezone.override(BEIJING):
            return super().to_python(value)

    def prepare_value(self, value):
        with timezone.override(BEIJING):
            return super().prepare_value(value)


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ReassignmentRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why another unit should handle it"),
        widget=_textarea(),
        help_text=_("Name the unit that is responsible, if you know it."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "reassign_%s")
        super().__init__(*args, **kwargs)


class ExtensionRequestForm(forms.Form):
    reason = forms.CharField(label=_("Why more time is needed"), widget=_textarea())
    until = forms.DateField(
        label=_("New due date asked for"),
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
    )

    def __init__(
        self, *args, due: date | None = None, limit: date | None = None, **kwargs
    ):
        kwargs.setdefault("auto_id", "extend_%s")
        super().__init__(*args, **kwargs)
        until = self.fields["until"]
        if due is not None:
            until.widget.attrs["min"] = (due + timedelta(days=1)).strftime(ISO_DATE)
        if limit is not None:
            until.widget.attrs["max"] = limit.strftime(ISO_DATE)
            until.help_text = _("At the latest %(date)s (the rules' limit).") % {
                "date": date_format(limit, "DATE_FORMAT")
            }


class ContactForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=ContactStage.choices,
        help_text=_(
            "Which of the three meetings with the deputy (三见面) this was: before "
            "handling, during it, or before replying."
        ),
    )
    method = forms.ChoiceField(label=_("How"), choices=ContactMethod.choices)
    contacted_at = BeijingDateTimeField(label=_("When"), help_text=_("Beijing time."))
    note = forms.CharField(
        label=_("What was discussed"), widget=_textarea(), required=False
    )

    def __init__(
        self, *args, now: datetime | None = None, stage: str | None = None, **kwargs
    ):
        kwargs.setdefault("auto_id", "contact_%s")
        super().__init__(*args, **kwargs)
        if stage:
            self.fields["stage"].initial = stage
        if now is not None:
            local = timezone.localtime(now, BEIJING)
            self.fields["contacted_at"].widget.attrs["max"] = local.strftime(
                DATETIME_LOCAL
            )
            self.fields["contacted_at"].initial = local.replace(second=0, microsecond=0)


_PROMISE_LINE = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})\s+(.+?)\s*$")


class PromisesField(forms.CharField):
    """A class-B reply's promises (承诺事项), one a line: the date it is due by
    (2024-06-30), a space, and what is promised. Read into ``{"text", "due_on"}``
    items; the service checks them against the rules."""

    widget = forms.Textarea(attrs={"rows": 3, "placeholder": "2024-06-30 …"})

    def to_python(self, value):
        items = []
        for line in (super().to_python(value) or "").splitlines():
            if not line.strip():
                continue
            match = _PROMISE_LINE.match(line)
            if match is None:
                raise forms.ValidationError(
                    _("Start each line with the date it is due by: 2024-06-30 …")
                )
            try:
                due_on = date.fromisoformat(
                    "-".join(f"{int(p):02d}" for p in match[1].split("-"))
                )
            except ValueError:
                raise forms.ValidationError(
                    _("%(value)s is not a date.") % {"value": match[1]}
                ) from None
            items.append({"text": match[2], "due_on": due_on})
        return items


class ReplyForm(forms.Form):
    """The lead unit's reply letter, or a co-unit's opinion to the lead unit."""

    outcome = forms.ChoiceField(label=_("Class of the reply"))
    body = forms.CharField(label=_("Text"), widget=_textarea(8))
    signed_by = forms.CharField(
        label=_("Signed off by"),
        max_length=100,
        required=False,
        help_text=_("The unit head who signed the letter."),
    )
    contact_person = forms.CharField(
        label=_("Contact person"),
        max_length=50,
        required=False,
        help_text=_("Whom the deputy may call about the reply (the letter's note)."),
    )
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    letter = forms.FileField(
        label=_("Letter (scan or document)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": LETTER_ACCEPT}),
        # The limit itself is enforced by the service (letters.MAX_LETTER_BYTES).
        help_text=_("PDF, Word, JPEG or PNG, at most 20 MB."),
    )
    co_opinion_note = forms.CharField(
        label=_("Why reply before the co-units' opinions"),
        required=False,
        max_length=5_000,
        widget=_textarea(3),
        help_text=_(
            "Needed while a co-unit has neither given its opinion nor reached its "
            "opinion deadline; kept with the reply."
        ),
    )

    promises = PromisesField(
        label=_("Promises (class B)"),
        required=False,
        max_length=20_000,
        help_text=_(
            "A reply classed B states what the unit promises and by when: one "
            "promise a line, its due date first (2024-06-30 …). The unit reports "
            "on each when due."
        ),
    )

    def __init__(self, *args, offered=(), is_lead: bool = True, **kwargs):
        kwargs.setdefault("auto_id", "reply_%s")
        super().__init__(*args, **kwargs)
        if not is_lead:
            del self.fields["co_opinion_note"]
            del self.fields["promises"]
        # Only the classes the congress's rules offer, in the scheme's order.
        self.fields["outcome"].choices = [
            (value, label) for value, label in Outcome.choices if value in offered
        ]
        if not is_lead:
            self.fields["outcome"].label = _("Class the opinion suggests")
            self.fields["body"].label = _("Opinion")
            self.fields["signed_by"].help_text = ""
            self.fields["letter"].label = _("Opinion letter (scan or document)")


class FulfilForm(forms.Form):
    note = forms.CharField(label=_("What has been done"), widget=_textarea())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "fulfil_%s")
        super().__init__(*args, **kwargs)


class AssignmentSearchForm(forms.Form):
    """The search over a unit's assignments: a title or a number, and a session."""

    q = forms.CharField(
        label=_("Title or number"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control"}),
    )
    session = forms.ModelChoiceField(
        label=_("Session"),
        required=False,
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, **kwargs):
        from congress.models import Session

        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.select_related(
            "congress__body"
        ).order_by("-opened_on", "-pk")
        self.fields["session"].label_from_instance = lambda s: s.short_name


class AssignmentLetterForm(forms.Form):
    """Which assignments a unit's 交办函 lists: ``session`` (a session of the unit's
    congress body; its current one if neither field is given) and ``suggestions``
    (ids separated by commas: those among the unit's assignments)."""

    MAX_SUGGESTIONS = 500

    session = forms.IntegerField(
        label=_("Session"), required=False, min_value=1, max_value=2**63 - 1
    )
    suggestions = forms.CharField(
        label=_("Suggestions"), required=False, max_length=5000
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit

    def clean_session(self):
        from congress.models import Session

        pk = self.cleaned_data.get("session")
        if pk is None:
            return None
        session = (
            Session.objects.select_related("congress__body")
            .filter(pk=pk, congress__body_id=self.unit.body_id)
            .first()
        )
        if session is None:
            raise forms.ValidationError(
                _("No such session of the unit's congress body.")
            )
        return session

    def clean_suggestions(self) -> list[int] | None:
        text = self.cleaned_data.get("suggestions", "").strip()
        if not text:
            return None
        parts = [part.strip() for part in text.split(",") if part.strip()]
        if not parts or not all(p.isascii() and p.isdigit() for p in parts):
            raise forms.ValidationError(
                _("Give the suggestions' ids as whole numbers separated by commas.")
            )
        if len(parts) > self.MAX_SUGGESTIONS:
            raise forms.ValidationError(
                _("At most %(n)d suggestions in one letter.")
                % {"n": self.MAX_SUGGESTIONS}
            )
        ids = {int(p) for p in parts}
        # Beyond the database's integers is no suggestion: nothing to list.
        return sorted(i for i in ids if i < 2**63)

    def clean(self):
        from congress.models import Session

        data = super().clean()
        if self.errors:
            return data
        if data.get("session") is None and data.get("suggestions") is None:
            current = (
                Session.objects.select_related("congress__body")
                .filter(congress__body_id=self.unit.body_id)
                .current()
            )
            if current is None:
                raise forms.ValidationError(
                    _("There is no current session. Pick a session.")
                )
            data["session"] = current
        return data


class MilestonesField(forms.CharField):
    """The plan's milestones, one a line: a date (YYYY-MM-DD) and what is done by
    then, as ``[{"title", "due_on"}]``; the service judges the dates."""

    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value):
        text = super().to_python(value)
        rows = []
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            day, _sep, title = line.partition(" ")
            try:
                due_on = date.fromisoformat(day.strip())
            except ValueError:
                raise forms.ValidationError(
                    _(
                        "Line %(n)d: start with a date such as 2026-05-10, then "
                        "what is done by then."
                    )
                    % {"n": number}
                ) from None
            rows.append({"title": title.strip(), "due_on": due_on})
        return rows

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{m['due_on']:%Y-%m-%d} {m['title']}" for m in value)
        return value


class PlanForm(forms.Form):
    """The lead unit's 五定 plan (filed, or revised with the values it has)."""

    responsible_leader = forms.CharField(label=_("Responsible leader"), max_length=100)
    officer = forms.CharField(label=_("Handling officer"), max_length=50)
    officer_phone = forms.CharField(
        label=_("Handling officer's phone"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    measures = forms.CharField(label=_("Measures"), widget=_textarea(4))
    milestones = MilestonesField(
        label=_("Milestones"),
        help_text=_(
            "One a line: the date, then what is done by then, e.g. "
            "“2026-05-10 完成实地调研”."
        ),
    )
    complete_by = forms.DateField(
        label=_("To be completed by"),
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
    )
    late_reason = forms.CharField(
        label=_("Reason for filing late"), widget=_textarea(2), required=False
    )

    def __init__(self, *args, plan=None, latest=None, late=False, **kwargs):
        kwargs.setdefault("auto_id", "plan_%s")
        if plan is not None and "data" not in kwargs:
            kwargs["initial"] = {
                "responsible_leader": plan.responsible_leader,
                "officer": plan.officer,
                "officer_phone": plan.officer_phone,
                "measures": plan.measures,
                "complete_by": plan.complete_by,
                "milestones": [
                    {"title": m.title, "due_on": m.due_on}
                    for m in plan.milestones.all()
                ],
            }
        super().__init__(*args, **kwargs)
        if latest is not None:
            field = self.fields["complete_by"]
            field.widget.attrs["max"] = latest.strftime(ISO_DATE)
            field.help_text = _("No later than the handling deadline, %(date)s.") % {
                "date": date_format(latest, "DATE_FORMAT")
            }
        if plan is not None or not late:
            # Only a first filing after its due day is asked why.
            del self.fields["late_reason"]
        else:
            self.fields["late_reason"].required = True


class ProgressForm(forms.Form):
    milestone = forms.TypedChoiceField(
        label=_("Milestone"), coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(label=_("Progress"), widget=_textarea())

    def __init__(self, *args, plan=None, **kwargs):
        kwargs.setdefault("auto_id", "progress_%s")
        super().__init__(*args, **kwargs)
        choices = [("", _("General progress"))]
        if plan is not None:
            choices += [
                (m.pk, f"{date_format(m.due_on, 'SHORT_DATE_FORMAT')} {m.title}")
                for m in plan.milestones.all()
            ]
        self.fields["milestone"].choices = choices
