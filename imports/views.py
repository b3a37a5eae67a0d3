"""数据导入: staff choose a kind, download its template, upload the filled-in
workbook for a dry run (the report: rows, counts, every problem by row and column),
then apply it. Between the two the file waits in storage under a random name kept in
the user's session, so applying imports exactly the file that was checked (and
checked again)."""

import hashlib
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.api.renderers import XLSX
from common.downloads import content_disposition
from common.errors import InvalidInput

from .blanks import template_file_name, template_workbook
from .columns import KIND_LABELS, Kind
from .forms import ImportForm
from .rules import import_bodies, import_body
from .services import import_run

PENDING = "imports_pending"


def _require_staff(request):
    if not request.user.is_congress_staff:
        raise PermissionDenied


@login_required
def template(request, kind: str):
    _require_staff(request)
    if kind not in Kind.ALL:
        raise Http404
    body_id = request.GET.get("body", "")
    bodies = import_bodies(request.user)
    body = bodies.filter(pk=int(body_id)).first() if body_id.isdigit() else None
    body = body or bodies.first()
    response = HttpResponse(template_workbook(kind, body=body), content_type=XLSX)
    response["Content-Disposition"] = content_disposition(template_file_name(kind))
    return response


@login_required
def index(request):
    """The form; a POST runs the dry run and shows its report."""
    _require_staff(request)
    bodies = import_bodies(request.user)
    report = pending = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, bodies=bodies)
        if form.is_valid():
            kind = form.cleaned_data["kind"]
            body = form.cleaned_data["body"]
            try:
                body = import_body(request.user, body.pk if body else None)
            except InvalidInput as error:
                form.add_error("body", str(error.message))
            else:
                content = form.cleaned_data["file"].read()
                report = import_run(
                    actor=request.user,
                    body=body,
                    kind=kind,
                    file=ContentFile(content),
                    dry_run=True,
                )
                if report.ok and report.rows:
                    pending = _keep(request, kind, body, content, form)
    else:
        form = ImportForm(
            initial={"kind": request.GET.get("kind", Kind.SUGGESTIONS)}, bodies=bodies
        )
    return render(
        request,
        "imports/index.html",
        {
            "form": form,
            "report": report,
            "pending": pending,
            "kinds": [(k, KIND_LABELS[k]) for k in Kind.ALL],
        },
    )


def _keep(request, kind, body, content: bytes, form) -> dict:
    """Store the checked file under a random name for the apply step."""
    _drop(request)
    name = default_storage.save(
        f"imports/{secrets.token_hex(16)}.xlsx", ContentFile(content)
    )
    pending = {
        "token": secrets.token_urlsafe(16),
        "name": name,
        "kind": kind,
        "body": body.pk,
        "body_name": body.name,
        "kind_label": str(KIND_LABELS[kind]),
        "file_name": form.cleaned_data["file"].name[:200],
        "digest": hashlib.sha256(content).hexdigest(),
    }
    request.session[PENDING] = pending
    return pending


def _drop(request) -> None:
    pending = request.session.pop(PENDING, None)
    if pending:
        default_storage.delete(pending["name"])


@login_required
@require_POST
def apply(request):
    """Apply the file checked last (its token from the page): all or nothing."""
    _require_staff(request)
    pending = request.session.get(PENDING)
    sent = request.POST.get("token", "").encode()
    if not pending or not secrets.compare_digest(pending["token"].encode(), sent):
        messages.error(
            request, _("Nothing waits to be imported: upload the file again.")
        )
        return redirect("imports:index")
    try:
        with default_storage.open(pending["name"], "rb") as stored:
            content = stored.read()
    except OSError:
        content = b""
    if hashlib.sha256(content).hexdigest() != pending["digest"]:
        _drop(request)
        messages.error(
            request, _("Nothing waits to be imported: upload the file again.")
        )
        return redirect("imports:index")
    try:
        body = import_body(request.user, pending["body"])
    except InvalidInput:
        _drop(request)
        raise PermissionDenied from None
    report = import_run(
        actor=request.user,
        body=body,
        kind=pending["kind"],
        file=ContentFile(content),
        dry_run=False,
    )
    _drop(request)
    if report.ok:
        messages.success(
            request,
            _(
                "Imported: %(created)s created, %(updated)s updated, %(unchanged)s "
                "unchanged."
            )
            % {
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            },
        )
    bodies = import_bodies(request.user)
    form = ImportForm(initial={"kind": pending["kind"], "body": body}, bodies=bodies)
    return render(
        request,
        "imports/index.html",
        {
            "form": form,
            "report": report,
            "applied": True,
            "kinds": [(k, KIND_LABELS[k]) for k in Kind.ALL],
        },
    )
