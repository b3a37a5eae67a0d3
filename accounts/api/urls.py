from django.urls import path

from . import views

urlpatterns = [
    path("auth/token/", views.TokenApi.as_view(), name="auth-token"),
    path("me/", views.MeApi.as_view(), name="me"),
    path("accounts/", views.AccountListApi.as_view(), name="account-list"),
    path("accounts/<int:pk>/", views.AccountDetailApi.as_view(), name="account-detail"),
    path(
        "accounts/<int:pk>/revoke-tokens/",
        views.AccountRevokeTokensApi.as_view(),
        name="account-revoke-tokens",
    ),
]
