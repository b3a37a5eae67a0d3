from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.DashboardApi.as_view(), name="dashboard"),
    path("dashboard/trend/", views.DashboardTrendApi.as_view(), name="dashboard-trend"),
    path(
        "dashboard/rollup/", views.DashboardRollupApi.as_view(), name="dashboard-rollup"
    ),
    path(
        "dashboard/export.xlsx",
        views.DashboardExportApi.as_view(),
        name="dashboard-export",
    ),
    path(
        "dashboard/review.docx",
        views.DashboardReviewApi.as_view(),
        name="dashboard-review",
    ),
]
