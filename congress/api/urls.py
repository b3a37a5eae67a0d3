from django.urls import path

from . import views

urlpatterns = [
    path("bodies/", views.CongressBodyListApi.as_view(), name="body-list"),
    path("congresses/", views.CongressListApi.as_view(), name="congress-list"),
    path(
        "congresses/<int:pk>/",
        views.CongressDetailApi.as_view(),
        name="congress-detail",
    ),
    path("sessions/", views.SessionListApi.as_view(), name="session-list"),
    path("sessions/<int:pk>/", views.SessionDetailApi.as_view(), name="session-detail"),
    path("delegations/", views.DelegationListApi.as_view(), name="delegation-list"),
    path(
        "delegations/<int:pk>/",
        views.DelegationDetailApi.as_view(),
        name="delegation-detail",
    ),
    path("units/", views.HandlingUnitListApi.as_view(), name="unit-list"),
    path("units/<int:pk>/", views.HandlingUnitDetailApi.as_view(), name="unit-detail"),
]
