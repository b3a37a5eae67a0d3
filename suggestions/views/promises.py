"""The promise ledger's pages (承诺事项台账): the list across sessions with its
filters and Excel export (staff, leaders and units, each what they may read), and
the report on one promise (the lead unit; staff correct)."""

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from audit.downloads import XLSX, download
from common import clock
from common.errors import NotFound
from congress.models import HandlingUnit, Session
from congress.selectors import body_ids_for

from .. import selectors, services
from ..exports import promise_file_name, promise_workbook
from ..filters import PromiseFilter
from ..models import REPORTED_STATES, Promise, PromiseState
from ..services.promises import promise_report_kind
from .base import ActionView

PAGE_SIZE = 25


def _reads_ledger(user) -> bool:
    """Who has the ledger page: staff and leaders (their bodies' promises) and a
    unit's members (their unit's). Deputies read their suggestions' promises on
    the suggestions' pages."""
    return bool(user.supervised_body_ids) or user.is_superuser or user.is_unit_member


class PromiseReportForm(forms.Form):
    kept = forms.ChoiceField(
        label=_("How it ended"),
        choices=[(s.value, s.label) for s in REPORTED_STATES],
    )
    note = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2})
    )
    reported_on = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Today unless given."),
    )

    def __init__(self, *args, promise: Promise | None = None, **kwargs):
        kwargs.setdefault("auto_id", f"promise{promise.pk if promise else ''}_%s")
        super().__init__(*args, **kwargs)


def with_report_forms(user, promises) -> list[Promise]:
    """Each promise marked with what ``user`` may do to its report
    (``promise_report_kind``) and, where something, the form for it."""
    rows = list(promises)
    for promise in rows:
        promise.report_kind = promise_report_kind(user, promise)
        promise.report_form = (
            PromiseReportForm(promise=promise) if promise.report_kind else None
        )
    return rows


class PromiseLedgerView(LoginRequiredMixin, View):
    template_name = "suggestions/promises.html"

    def filtered(self, request):
        user = request.user
        if not _reads_ledger(user):
            raise Http404
        filterset = PromiseFilter(
            request.GET or None, queryset=selectors.promise_ledger(user=user)
        )
        bodies = body_ids_for(user)
        sessions = Session.objects.select_related("congress__body").order_by(
            "-opened_on", "-pk"
        )
        units = HandlingUnit.objects.order_by("name")
        if bodies is not None:
            sessions = sessions.filter(congress__body_id__in=bodies)
            units = units.filter(body_id__in=bodies)
        if user.is_unit_member and not user.supervised_body_ids:
            units = units.filter(pk=user.unit_id)
        filterset.filters["session"].queryset = sessions
        filterset.filters["unit"].queryset = units
        return filterset

    def get(self, request):
        filterset = self.filtered(request)
        rows = filterset.qs if filterset.is_bound and filterset.is_valid() else None
        if rows is None:
            rows = filterset.queryset
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = with_report_forms(request.user, page.object_list)
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            self.template_name,
            {
                "filter_form": filterset.form,
                "page_obj": page,
                "today": clock.today(),
                "export_url": f"{reverse('suggestions:promise-export')}?"
                f"{query.urlencode()}",
                "open_state": PromiseState.OPEN,
            },
        )


class PromiseExportView(PromiseLedgerView):
    """The ledger with the same filters as an Excel workbook."""

    def get(self, request):
        filterset = self.filtered(request)
        if filterset.is_bound and not filterset.is_valid():
            # The page with the filters' errors, as the suggestion list's export.
            response = super().get(request)
            response.status_code = 400
            return response
        rows = filterset.qs if filterset.is_bound else filterset.queryset
        session = (
            filterset.form.cleaned_data.get("session") if filterset.is_bound else None
        )
        return download(
            request, promise_workbook(rows), promise_file_name(session), XLSX
        )


class PromiseReportView(ActionView):
    """``POST``: the report on one promise (or staff's correction of it); back to
    the page it came from (the ledger or the assignment), with the error as a
    message if refused."""

    http_method_names = ["post"]

    def get_form_kwargs(self, obj) -> dict:
        return {"promise": obj}

    form_class = PromiseReportForm

    def get_object(self):
        promise = (
            selectors.promise_ledger(user=self.request.user)
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if promise is None:
            raise NotFound()
        return promise

    def perform(self, obj, form):
        data = form.cleaned_data
        return services.promise_report(
            promise_id=obj.pk,
            actor=self.request.user,
            state=data["kept"],
            note=data["note"],
            reported_on=data["reported_on"],
        )

    def get_success_url(self, obj, result) -> str:
        user = self.request.user
        if user.is_unit_member and user.unit_id == obj.reply.assignment.unit_id:
            return (
                reverse("suggestions:assignment-detail", args=[obj.reply.assignment_id])
                + "#promises"
            )
        return reverse("suggestions:promises")

    def get_success_message(self, obj, result) -> str:
        return str(_("The report on the promise is recorded."))
