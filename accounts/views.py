from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from . import text_size, two_factor
from .forms import OTPCodeForm, ProfileForm
from .lockout import lockout_response

_PENDING = "otp_pending_user"
_PENDING_BACKEND = "otp_pending_backend"
_PENDING_NEXT = "otp_pending_next"


@login_required
def profile(request):
    """The user's own details and interface language."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        translation.activate(user.language)
        messages.success(request, _("Your profile has been saved."))
        response = redirect("accounts:profile")
        response.set_cookie("django_language", user.language, samesite="Lax")
        return response
    return render(request, "accounts/profile.html", {"form": form})


# The values the text-size switch sends, and the size each one chooses.
_TEXT_SIZES = {"large": True, "standard": False}


@require_POST
def set_text_size(request):
    """The header's 大字版 switch: remember the size, then back to the page it was on
    (a ``next`` on this site only), or home."""
    large = _TEXT_SIZES.get(request.POST.get("size", ""))
    if large is None:
        return HttpResponseBadRequest(
            _("Choose the large or the standard text size."),
            content_type="text/plain; charset=utf-8",
        )
    text_size.choose(request, large)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        next_url = "home"
    return redirect(next_url)


class LoginView(auth_views.LoginView):
    """Password first; users with a two-factor device then give a code."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.requires_otp(user):
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[_PENDING] = user.pk
        self.request.session[_PENDING_BACKEND] = user.backend
        self.request.session[_PENDING_NEXT] = self.get_success_url()
        return redirect("accounts:login-otp")


@sensitive_post_parameters("code")
@never_cache
def login_otp(request):
    """The second step of a two-factor sign-in: the code from the authenticator."""
    user_id = request.session.get(_PENDING)
    user = (
        get_user_model().objects.filter(pk=user_id, is_active=True).first()
        if user_id
        else None
    )
    if user is None:
        return redirect("accounts:login")
    if two_factor.is_locked(request, user.get_username()):
        return lockout_response(request)
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.check_code(request, user, form.cleaned_data["code"])
        if device is None:
            if getattr(request, "axes_locked_out", False):
                return lockout_response(request)
            form.add_error("code", _("The code is wrong or has expired."))
        else:
            next_url = request.session.pop(_PENDING_NEXT, "") or ""
            backend = request.session.pop(_PENDING_BACKEND, None)
            request.session.pop(_PENDING, None)
            login(request, user, backend=backend)  # a new session key
            otp_login(request, device)
            if not url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}
            ):
                next_url = "/"
            return redirect(next_url)
    return render(
        request,
        "accounts/login_otp.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
@sensitive_post_parameters("code")
def two_factor_settings(request):
    """Staff enrol an authenticator app (scan a QR code, confirm with a code) or
    remove it (with a current code)."""
    user = request.user
    if not user.is_congress_staff:
        raise PermissionDenied
    device = two_factor.confirmed_totp(user)
    form = OTPCodeForm(request.POST or None)
    if device is not None:
        if request.method == "POST" and form.is_valid():
            if device.verify_token(form.cleaned_data["code"].strip()):
                two_factor.remove_devices(request, user)
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("accounts:two-factor")
            form.add_error("code", _("The code is wrong or has expired."))
        return render(
            request,
            "accounts/two_factor.html",
            {"form": form, "enrolled": True},
            status=400 if form.errors else 200,
        )
    pending = two_factor.pending_device(user)
    if request.method == "POST" and form.is_valid():
        if two_factor.confirm_device(request, pending, form.cleaned_data["code"]):
            otp_login(request, pending)
            messages.success(
                request,
                _("Two-factor sign-in is on: the next sign-in asks for a code."),
            )
            return redirect("accounts:two-factor")
        form.add_error("code", _("The code is wrong or has expired."))
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "enrolled": False,
            "qr": two_factor.qr_data_uri(pending),
            "secret": two_factor.secret_base32(pending),
        },
        status=400 if form.errors else 200,
    )


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token (an expired page, cookies off): the
    site's page instead of Django's, whose inline styles the CSP would block."""
    return render(
        request,
        "403_csrf.html",
        {"reason": reason},
        status=403,
    )
