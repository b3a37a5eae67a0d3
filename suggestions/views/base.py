"""The one way a page changes something: a POST to an action view that calls a service.

``ActionView`` parses the form, calls ``perform`` (which calls one service), and then
either shows a success message and redirects, or shows why not: field errors next to the
fields (``InvalidInput``), a message for a state or role that forbids the action, and
404 for an object the user may not see. Never a server error for a domain rule.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from common import once
from common.errors import DomainError, InvalidInput, NotFound


class ActionView(once.OneTimeSubmitMixin, LoginRequiredMixin, View):
    """Subclasses set ``form_class`` (optional), ``template_name`` (for actions with a
    page of their own) and implement ``get_object``, ``perform`` and
    ``get_success_url``. Every action is ``one_time``: its form carries
    ``{% form_token %}``, and a second POST of it writes nothing and is answered as
    the first was (where it led, with its success message)."""

    one_time = True
    form_class = None
    template_name: str | None = None
    success_message = ""

    def get_object(self):
        raise NotImplementedError

    def perform(self, obj, form):
        raise NotImplementedError

    def get_success_url(self, obj, result) -> str:
        raise NotImplementedError

    def get_failure_url(self, obj) -> str:
        return self.get_success_url(obj, None)

    def get_form_kwargs(self, obj) -> dict:
        return {}

    def get_context_data(self, obj, form) -> dict:
        return {"object": obj, "form": form}

    def get_success_message(self, obj, result) -> str:
        return str(self.success_message)

    def dispatch(self, request, *args, **kwargs):
        # A token already used is answered before anything is read or checked: the
        # first POST's change may now forbid the action itself (a filed suggestion
        # cannot be filed), and the second must not read as a failure.
        if request.method == "POST" and self.one_time and request.user.is_authenticated:
            first = once.used(self.once_nonce(request))
            if first is not None:
                return self.replay(first)
        return super().dispatch(request, *args, **kwargs)

    def replay(self, first: once.AlreadySubmitted):
        """The answer to a second POST of a used token: the first one's success
        message, or a warning where it had none, and where the first led."""
        if first.message:
            messages.success(self.request, first.message)
        else:
            messages.warning(self.request, str(once.ALREADY_SUBMITTED))
        if first.url:
            return redirect(first.url)
        return redirect(self.get_failure_url(self._load()))

    def _load(self):
        try:
            return self.get_object()
        except NotFound as error:
            raise Http404(str(error)) from None

    def get(self, request, *args, **kwargs):
        if self.template_name is None:
            raise Http404
        obj = self._load()
        form = self.form_class(**self.get_form_kwargs(obj)) if self.form_class else None
        return render(request, self.template_name, self.get_context_data(obj, form))

    def post(self, request, *args, **kwargs):
        obj = self._load()
        form = None
        if self.form_class is not None:
            form = self.form_class(
                data=request.POST, files=request.FILES, **self.get_form_kwargs(obj)
            )
            if not form.is_valid():
                return self.invalid(obj, form)
        nonce = self.once_nonce(request)
        if self.one_time and nonce is None:
            return self.refuse(obj, form, once.INVALID_TOKEN)
        try:
            with self.once_submission(request, nonce) as submission:
                result = self.perform(obj, form)
                url = self.get_success_url(obj, result)
                message = self.get_success_message(obj, result)
                if submission is not None:
                    submission.done(url, message)
        except once.AlreadySubmitted as duplicate:
            return self.replay(duplicate)
        except NotFound as error:
            raise Http404(str(error)) from None
        except InvalidInput as error:
            if form is not None and self.template_name:
                field = error.field if error.field in form.fields else None
                form.add_error(field, str(error.message))
                return self.invalid(obj, form)
            messages.error(request, str(error.message))
            return redirect(self.get_failure_url(obj))
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect(self.get_failure_url(obj))
        if message:
            messages.success(request, message)
        return redirect(url)

    def refuse(self, obj, form, message):
        """The form again (or back to the page) with ``message``; nothing written."""
        if form is not None and self.template_name:
            form.add_error(None, str(message))
            return self.invalid(obj, form)
        messages.error(self.request, str(message))
        return redirect(self.get_failure_url(obj))

    def invalid(self, obj, form):
        if self.template_name:
            return render(
                self.request,
                self.template_name,
                self.get_context_data(obj, form),
                status=400,
            )
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(self.request, f"{label}: {error}" if label else error)
        return redirect(self.get_failure_url(obj))


class SuggestionActionView(ActionView):
    """An action on a suggestion the user may see; back to its page afterwards."""

    def get_object(self):
        from ..models import Suggestion

        suggestion = (
            Suggestion.objects.visible_to(self.request.user)
            .select_related("session", "lead_deputy")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if suggestion is None:
            raise NotFound()
        return suggestion

    def get_success_url(self, obj, result) -> str:
        return obj.get_absolute_url()
