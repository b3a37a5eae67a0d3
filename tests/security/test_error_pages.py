"""The admin shows a signed-in user who is no admin the 403 page (not a redirect loop),
and under /api/ errors are JSON whatever the path."""

import pytest
from django.test import Client, override_settings
from django.urls import path

from config.urls import urlpatterns as site_urls

from ..factories import StaffFactory, deputy_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["deputy", "staff"])
def test_the_admin_refuses_a_signed_in_user_who_is_no_admin(client, role):
    user = deputy_user() if role == "deputy" else StaffFactory(is_staff=False)
    client.force_login(user)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 1
    assert "403.html" in [t.name for t in response.templates]


def test_the_admin_sends_a_stranger_to_the_login(client):
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "url", ["/api/v1/nonexistent/", "/api/nothing", "/api/v1/suggestions/0/x/"]
)
def test_an_unknown_api_path_is_a_json_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_an_unknown_page_is_the_html_404(client):
    response = client.get("/nonexistent/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("api/v1/boom/", _boom), path("boom/", _boom), *site_urls]
handler404 = "config.errors.page_not_found"
handler500 = "congress.health.server_error"


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_under_the_api_is_json():
    client = Client(raise_request_exception=False, headers={"accept-language": "en"})
    response = client.get("/api/v1/boom/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "error"
    response = client.get("/boom/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
